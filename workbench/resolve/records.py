"""What entity resolution knows of one mention, ready to compare.

A :class:`Record` is built once per ``PersonMention`` (or per row of a
benchmark data set) and holds only comparison-ready values: folded name
tokens, the birth date as parts with its precision, identifiers as sets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.resolve.names import outline_key, skeleton, tokens

if TYPE_CHECKING:
    from loaders.records import Signal

__all__ = [
    "Birth",
    "Record",
    "RecordIndex",
    "centre_of",
    "from_directory",
    "from_signal",
    "link_companions",
    "v_number_typo",
]


def v_number_typo(a: str, b: str) -> bool:
    """Whether two different V-numbers are more likely one number mistyped.

    Two adjacent digits swapped, or one digit wrong before the last two.
    A difference only in the last two digits is *not* a typo: numbers
    issued together (a family registered on one day) differ just there.

    >>> v_number_typo("2803456781", "2803456718"), v_number_typo("2803456781", "2813456781")
    (True, True)
    >>> v_number_typo("2803456781", "2803456782"), v_number_typo("2803456781", "1234567890")
    (False, False)
    """
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 2:
        i, j = diff
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    return len(diff) == 1 and diff[0] < len(a) - 2


@dataclass(frozen=True, slots=True)
class Birth:
    """A birth date known to year, month or day; ``administrative`` marks 1 January.

    Registrations of people without papers often get 1 January of the
    estimated year, so such a date says little more than the year.

    >>> Birth.parse("1990-01-01", administrative=True)
    Birth(year=1990, month=1, day=1, administrative=True)
    >>> Birth.parse("1990"), Birth.parse("not a date")
    (Birth(year=1990, month=None, day=None, administrative=False), None)
    """

    year: int
    month: int | None = None
    day: int | None = None
    administrative: bool = False

    @classmethod
    def parse(cls, iso: str | None, *, administrative: bool = False) -> Birth | None:
        """From an ISO prefix (``1990``, ``1990-05``, ``1990-05-17``)."""
        return _birth(iso, administrative) if iso else None

    @property
    def precise(self) -> bool:
        """Known to the day and not an administrative 1 January."""
        return self.day is not None and not self.administrative

    def digits(self) -> str:
        """``YYYYMMDD`` with unknown parts as ``00``, for typo comparisons."""
        return f"{self.year:04d}{self.month or 0:02d}{self.day or 0:02d}"


@lru_cache(maxsize=1 << 16)
def _birth(iso: str, administrative: bool) -> Birth | None:
    """:meth:`Birth.parse`, once per distinct date (mentions share a few tens of thousands)."""
    try:
        numbers = [int(p) for p in iso.split("-")[:3]]
    except ValueError:
        return None
    month, day = (*numbers[1:], None, None)[:2]
    return Birth(numbers[0], month, day, administrative)


# The roles that travelled on a record, so that its route and arrival day hold
# for them: a KMar subject and companions, not a visitor seen at a reception centre.
TRAVELLING_ROLES = ("subject", "companion")


def centre_of(source: str, role: str | None, location: str | None) -> str | None:
    """The reception centre a mention lives at: a COA report's location, for its resident.

    Keyed as the store keys a ``Location`` (spaces collapsed, case folded). A
    visitor or a police or border record's place says nothing of where one lives.

    >>> centre_of("coa", "subject", " azc  Ter Apel"), centre_of("coa", "visitor", "azc Ter Apel")
    ('azc ter apel', None)
    """
    if source != "coa" or role != "subject" or not location or not location.strip():
        return None
    return " ".join(location.split()).casefold()


@dataclass(frozen=True, slots=True)
class Record:
    """One mention as entity resolution compares it.

    ``group`` marks records that can never be the same entity as each other:
    two people in one source record, two rows of one de-duplicated list.
    ``mates`` are the others who travelled on the same record (a KMar subject's
    companions, and the subject for each companion), set by
    :func:`link_companions` once all of a record's mentions exist; a mate
    without a nationality of its own then takes the one its party holds.
    ``outlines`` and ``key`` are the name's token skeletons and their sorted
    join; :func:`~workbench.resolve.spellings.respell` maps them onto the
    spellings a run learned to be one name.
    """

    id: str
    name: str
    birth: Birth | None = None
    nationality: str | None = None
    sex: str | None = None
    v_number: str | None = None
    phones: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    region: str | None = None
    group: str | None = None
    # Travel context of the record (a KMar ID-lane record holds it for every
    # companion too): the route as alpha-3 codes and the arrival day (ordinal).
    route: tuple[str, ...] = ()
    arrival: int | None = None
    # The day the record was made (ordinal): a person's records in the
    # Netherlands come after their arrival, so a record dated before another
    # mention's arrival is about someone else.
    seen: int | None = None
    # The reception centre a COA resident was reported at (its location key).
    centre: str | None = None
    # Whether ``nationality`` is the travel party's, not recorded for the mention itself.
    party_nationality: bool = False
    # Not compared as a field (mates refer back): the companions comparison uses them.
    mates: tuple[Record, ...] = field(default=(), compare=False, repr=False)
    tokens: tuple[str, ...] = field(init=False)
    words: tuple[str, ...] = field(init=False)  # tokens sorted: equal for any word order
    outlines: tuple[str, ...] = field(init=False)  # each token's skeleton, in token order
    key: str = field(init=False)

    def __post_init__(self) -> None:
        words, ordered, outlines, key = _name_parts(self.name)
        object.__setattr__(self, "tokens", words)
        object.__setattr__(self, "words", ordered)
        object.__setattr__(self, "outlines", outlines)
        object.__setattr__(self, "key", key)


# Names repeat (every ``Mohammed Ali``): a run building a million records worked the
# same name out again for each, and held a copy of its tuples per record.
@lru_cache(maxsize=1 << 20)
def _name_parts(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    """A name's tokens, the tokens sorted, their outlines and its key (``Record``'s fields)."""
    words = tokens(name)
    outlines = tuple(skeleton(t) for t in words)
    return words, tuple(sorted(words)), outlines, outline_key(outlines)


class RecordIndex(dict[str, Record]):
    """Records by id that remembers the list it was made from, in that list's order.

    :func:`~workbench.resolve.scoring.positions` can then trust pairs made
    over that very list without walking it: checking a million records for
    each 50,000-link chunk a run writes took 15 of a first run's seconds at a
    million rows, growing with the square of the store. Read-only by
    convention: a changed index no longer matches its list.

    >>> rs = [Record("a", "x"), Record("b", "y")]
    >>> index = RecordIndex(rs)
    >>> index["b"].name, index.records is rs
    ('y', True)
    >>> RecordIndex([Record("a", "x"), Record("a", "y")]).records is None  # ids repeat
    True
    """

    def __init__(self, records: Sequence[Record]) -> None:
        super().__init__((r.id, r) for r in records)
        self.records = records if len(self) == len(records) else None


def link_companions(travelled: Iterable[Record]) -> None:
    """Give each record in ``travelled`` the others of its source record as ``mates``.

    ``travelled`` holds the records of mentions in a travelling role
    (:data:`TRAVELLING_ROLES`); records that share a ``group`` travelled
    together. A household is recorded at the border once per member, so
    the same person's border records list the same companions
    (:data:`~workbench.resolve.compare.COMPANIONS`).

    A companion's nationality is seldom recorded, and a household travels as
    one: a record without a nationality takes the one its mates hold, when
    they hold exactly one (``party_nationality`` says so). Set once, while
    the records are being built: ``Record`` is otherwise immutable.

    >>> a, b = Record("a", "x", group="k:1", nationality="SYR"), Record("b", "y", group="k:1")
    >>> c = Record("c", "z")
    >>> link_companions([a, b, c])
    >>> [m.id for m in a.mates], [m.id for m in b.mates], c.mates
    (['b'], ['a'], ())
    >>> b.nationality, b.party_nationality, a.party_nationality
    ('SYR', True, False)
    """
    together: dict[str, list[Record]] = {}
    for r in travelled:
        if r.group:
            together.setdefault(r.group, []).append(r)
    for members in together.values():
        if len(members) < 2:
            continue
        held = {r.nationality for r in members if r.nationality and not r.party_nationality}
        for r in members:
            object.__setattr__(r, "mates", tuple(m for m in members if m is not r))
            if r.nationality is None and len(held) == 1:
                object.__setattr__(r, "nationality", next(iter(held)))
                object.__setattr__(r, "party_nationality", True)


def from_signal(sig: Signal) -> list[Record]:
    """The person mentions of one loaded record, without a store (benchmarks, tests).

    Ids are ``source|record_id|role|position``; the record's route and arrival
    day hold for the roles that travelled on it, as in the store.
    """
    out = []
    arrival = dt.date.fromisoformat(sig.arrival_date).toordinal() if sig.arrival_date else None
    seen = dt.date.fromisoformat(sig.date[:10]).toordinal()
    for i, p in enumerate(sig.persons):
        dob = p.birth_date
        travelling = p.role in TRAVELLING_ROLES
        out.append(
            Record(
                f"{sig.source}|{sig.record_id}|{p.role}|{i}",
                p.name.raw if p.name else "",
                Birth.parse(dob.value, administrative=dob.administrative) if dob else None,
                nationality=p.nationality,
                sex=p.sex,
                v_number=p.v_number,
                phones=frozenset(x.e164 for x in p.phones if x.e164),
                documents=frozenset(d.number for d in p.documents if d.number),
                group=f"{sig.source}|{sig.record_id}",
                route=tuple(sig.route or ()) if travelling else (),
                arrival=arrival if travelling else None,
                seen=seen,
                centre=centre_of(sig.source, p.role, sig.location),
            )
        )
    link_companions(r for r, p in zip(out, sig.persons, strict=True) if p.role in TRAVELLING_ROLES)
    return out


def from_directory(directory: Path) -> list[Record]:
    """Every person mention of the export files in ``directory``, once (benchmarks, tests).

    Straight from the loaders, without a store; ids as :func:`from_signal` makes them.
    """
    from loaders import load

    records = [
        r
        for path in sorted(directory.iterdir())
        if path.suffix in (".csv", ".jsonl", ".xlsx")
        for sig in load(path).records
        for r in from_signal(sig)
    ]
    return list({r.id: r for r in records}.values())
