"""A daily delivery: records of a corpus held back to be loaded later.

A chain partner's export of today holds the records made since the last one:
people who arrived today (new persons), new signals on people already known
(an IND interview, a COA visit) and new members of networks already in the
store. The generator's records follow each person's arrival, so the newest
records by date would be follow-ups only; instead half of the delivery is
every record of randomly chosen persons (new persons, network members among
them at their share of the population) and half is records drawn at random
from everyone else (new signals on known persons). Loading the base and then
the delivery must give the same store as loading everything at once - which
is what the scale benchmark checks (issue 21).

A record is held back with all its copies (the supplementary police export
repeats some records), so no record is split between the two.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from workbench.generate.mess import Files
from workbench.generate.records import Row

__all__ = ["DeliveryMix", "delivery_mix", "split_delivery"]


@dataclass(frozen=True)
class DeliveryMix:
    """What kinds of news a delivery brings (counted by record)."""

    records: int
    new_persons: int  # persons with no record in the base
    known_persons: int  # persons with records in both
    network_records: int  # records carrying a network's markers

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def _key(row: Row) -> tuple[str, str]:
    return (row.source, row.record_id)


def split_delivery(files: Files, fraction: float, rng: random.Random) -> tuple[Files, Files]:
    """Split ``files`` into (base, delivery), the delivery ``fraction`` of the records.

    >>> import datetime as dt
    >>> rows = [Row("ind", dt.date(2024, 1, 1), 0, f"P{i % 50}", {}, record_id=str(i))
    ...         for i in range(200)]
    >>> base, delivery = split_delivery({"ind": rows}, 0.05, random.Random(1))
    >>> len(delivery["ind"]), len(base["ind"])
    (10, 190)
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"delivery fraction must be between 0 and 1, not {fraction}")
    records: dict[tuple[str, str], str] = {}  # record -> subject
    for rows in files.values():
        for row in rows:
            records.setdefault(_key(row), row.subject)
    target = round(len(records) * fraction)
    by_subject: dict[str, list[tuple[str, str]]] = {}
    for key, subject in records.items():
        by_subject.setdefault(subject, []).append(key)
    subjects = sorted(by_subject)
    rng.shuffle(subjects)
    held: set[tuple[str, str]] = set()
    for subject in subjects:  # half: every record of persons new to the store
        if len(held) + len(by_subject[subject]) > target // 2:
            break
        held.update(by_subject[subject])
    rest = sorted(set(records) - held)
    held.update(rng.sample(rest, target - len(held)))  # half: news on known persons
    base = {stem: [r for r in rows if _key(r) not in held] for stem, rows in files.items()}
    delivery = {stem: [r for r in rows if _key(r) in held] for stem, rows in files.items()}
    return base, delivery


def _persons(rows: Iterable[Row]) -> set[str]:
    out: set[str] = set()
    for r in rows:
        out.update(p for p in (r.subject, *r.companions, r.visitor) if p and p.startswith("P"))
    return out


def delivery_mix(base: Files, delivery: Files) -> DeliveryMix:
    """Count what the delivery brings, to show a benchmark covers every kind."""
    known = _persons(r for rows in base.values() for r in rows)
    arriving = _persons(r for rows in delivery.values() for r in rows)
    records = {_key(r) for rows in delivery.values() for r in rows}
    networked = {_key(r) for rows in delivery.values() for r in rows if r.network is not None}
    return DeliveryMix(len(records), len(arriving - known), len(arriving & known), len(networked))
