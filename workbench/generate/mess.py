"""Messiness, each kind at a small rate and every instance recorded.

Real exports repeat rows, contradict themselves, carry text that is hostile
to whatever displays it, and hold optional values that do not parse. The
loaders must take all of it (duplicates counted, conflicts kept, hostile
text stored verbatim, odd values warned about); the truth says exactly where
each instance is, so tests can check that they did. Deliberately *invalid*
rows (``bad_rows``) are off by default: a normal corpus loads with zero
rejects.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

from workbench.generate.records import ID_FIELD, SOURCES, Row, Source

__all__ = ["HOSTILE", "LONG_NOTE", "MULTILINE_NOTE", "Files", "MessLog", "make_mess"]

MULTILINE_NOTE = (
    'Eerste regel van de notitie.\nTweede regel, met "aanhalingstekens", komma\'s; '
    "en puntkomma's.\r\nDerde regel."
)
LONG_NOTE = "Zeer lange notitie over het verloop van het gesprek. " * 240  # ~12,700 chars
RTL_OVERRIDE = "Naam met \u202erichtingsteken\u202c erin"
HOSTILE: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x","y")',
    "+SUM(1,2)",
    "@cmd",
    "' OR 1=1 --",
    "MATCH (n) DETACH DELETE n",
    '"}]); DROP TABLE signals; --',
    RTL_OVERRIDE,
    MULTILINE_NOTE,
    LONG_NOTE,
)

# Per source: (free-text field, name field), as paths into the row data.
_TEXT_FIELDS: dict[Source, tuple[str, str]] = {
    "politie": ("omschrijving", "achternaam"),
    "kmar": ("signaal.toelichting", "persoon.naam"),
    "ind": ("toelichting", "naam"),
    "coa": ("toelichting", "naam_bewoner"),
}
_PHONE_FIELDS: dict[Source, str] = {
    "politie": "telefoon", "kmar": "telefoons", "ind": "smokkelaar_telefoon",
    "coa": "bezoeker_telefoon",
}  # fmt: skip
_ODD_PHONES = ("onbekend", "geen", "06-1234", "12345", "n.v.t.")
_ODD_PLATES = ("grijze Opel", "??-??-??", "onbekend")

# Files are keyed by name stem; "politie_aanvulling" is a supplementary police
# export that repeats part of the main one (cross-file duplicates).
Files = dict[str, list[Row]]


@dataclass
class MessLog:
    """What was done, by record key (``source:record_id``)."""

    hostile: list[dict[str, str]] = field(default_factory=list)
    unparseable: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    bad_rows: list[tuple[Row, str, str, str]] = field(
        default_factory=list
    )  # row, field, value, why


def get_path(data: dict[str, Any], path: str) -> Any:
    head, _, rest = path.partition(".")
    return get_path(data[head], rest) if rest else data[head]


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    head, _, rest = path.partition(".")
    if rest:
        set_path(data[head], rest, value)
    else:
        data[head] = value


def _key(row: Row) -> str:
    return f"{row.source}:{row.record_id}"


class _Mess:
    def __init__(self, files: Files, rng: random.Random) -> None:
        self.files = files
        self.rng = rng
        self.log = MessLog()
        # Rows outside any network (their markers stay intact), each used once.
        self.pool: dict[Source, list[Row]] = {}
        for source in SOURCES:
            self.pool[source] = [r for r in files[source] if r.network is None]
            rng.shuffle(self.pool[source])

    def pick(self, source: Source) -> Row | None:
        """An untouched row of ``source``; None when a tiny corpus runs out."""
        pool = self.pool[source]
        return pool.pop() if pool else None

    def hostile(self) -> None:
        """Every hostile string at least once per file (RTL override not in
        the cp1252 IND file), plus one more per 1,500 rows; in a tiny file at
        most a quarter of its rows, so other kinds of mess find rows too."""
        for source in SOURCES:
            values = [v for v in HOSTILE if not (source == "ind" and "\u202e" in v)]
            extra = len(self.files[source]) // 1500
            budget = min(len(values) + extra, len(self.files[source]) // 4)  # leave some plain rows
            for i in range(budget):
                value = values[i % len(values)]
                if source == "coa":  # xlsx (XML) turns a stored CR LF into LF
                    value = value.replace("\r\n", "\n")
                row = self.pick(source)
                if row is None:
                    break
                text_field, name_field = _TEXT_FIELDS[source]
                is_name = i % 3 == 2 and value not in (LONG_NOTE, MULTILINE_NOTE)
                path = name_field if is_name else text_field
                set_path(row.data, path, value)
                self.log.hostile.append({"record": _key(row), "field": path, "value": value})

    def unparseable(self) -> None:
        for source in SOURCES:
            for i in range(max(2, len(self.files[source]) // 2000)):
                row = self.pick(source)
                if row is None:
                    break
                if source == "coa" and i % 2 == 1:
                    path, value = "kenteken", self.rng.choice(_ODD_PLATES)
                    row.data[path] = value
                else:
                    path, value = _PHONE_FIELDS[source], self.rng.choice(_ODD_PHONES)
                    if source == "kmar":
                        row.data[path] = [{"nummer": value, "imei": None}]
                        path = "telefoons.nummer"
                    else:
                        row.data[path] = value
                self.log.unparseable.append({"record": _key(row), "field": path, "value": value})

    def conflicts(self) -> None:
        """Same record id, other content: a corrected re-export."""
        for source in SOURCES:
            for _ in range(max(1, len(self.files[source]) // 2500)):
                row = self.pick(source)
                if row is None:
                    break
                other = copy.copy(row)
                other.data = copy.deepcopy(row.data)
                text_field = _TEXT_FIELDS[source][0]
                old = get_path(other.data, text_field) or ""
                set_path(
                    other.data, text_field, f"{old} Aanvulling: gegevens gecorrigeerd.".strip()
                )
                target = "politie_aanvulling" if source == "politie" else source
                self._insert_after(target, row, other)
                self.log.conflicts.append({"record": _key(row), "field": text_field})

    def duplicates(self) -> None:
        for source in SOURCES:
            for _ in range(max(2, len(self.files[source]) // 250)):
                row = self.pick(source)
                if row is not None:
                    self._insert_after(source, row, row)
        for _ in range(max(3, len(self.files["politie"]) // 30)):
            row = self.pick("politie")
            if row is not None:
                self.files["politie_aanvulling"].append(row)
        self.files["politie_aanvulling"].sort(key=lambda r: (r.day, r.record_id))

    def _insert_after(self, target: str, original: Row, copy_: Row) -> None:
        rows = self.files[target]
        start = rows.index(original) + 1 if target == original.source else 0
        rows.insert(self.rng.randint(start, len(rows)), copy_)

    def bad_rows(self) -> None:
        """Rows every loader must reject, one of each kind per file."""
        plan: tuple[tuple[Source, str, str, str], ...] = (
            ("politie", "datum", "2015-02-30", "impossible date"),
            ("politie", "v_nummer", "280345678", "V-number not ten digits"),
            ("kmar", "signaal.thema", "smokkel", "unknown theme"),
            ("ind", "signaaldatum", "31-04-2016", "impossible date"),
            ("ind", "thema", "fraude", "unknown theme"),
            ("coa", "v_nummer", "301298765", "V-number not ten digits"),
            ("coa", "thema", "uitbuiting", "unknown theme"),
        )
        for i, (source, path, value, why) in enumerate(plan):
            base = self.pick(source)
            if base is None:
                continue
            row = copy.copy(base)
            row.data = copy.deepcopy(base.data)
            row.network = None
            row.record_id = {
                "politie": f"PL-2016-{990001 + i}", "kmar": f"KM-2016-{990001 + i}",
                "ind": f"IND-{990001 + i}", "coa": f"COA-{990001 + i}",
            }[source]  # fmt: skip
            row.data[ID_FIELD[source]] = row.record_id
            set_path(row.data, path, value)
            rows = self.files[source]
            rows.insert(self.rng.randrange(len(rows) + 1), row)
            self.log.bad_rows.append((row, path, value, why))


def make_mess(rows: list[Row], rng: random.Random, *, bad_rows: bool) -> tuple[Files, MessLog]:
    """Split ``rows`` into files and make them messy; returns files and log."""
    files: Files = {source: [r for r in rows if r.source == source] for source in SOURCES}
    files["politie_aanvulling"] = []
    mess = _Mess(files, rng)
    mess.hostile()
    mess.unparseable()
    mess.conflicts()
    mess.duplicates()
    if bad_rows:
        mess.bad_rows()
    return files, mess.log
