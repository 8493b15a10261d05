"""Covert networks with known roles, turned into police exports the way wiretaps record them.

Published covert networks (CAVIAR's 11 wiretap phases, court-record
networks) give who called or met whom and, from the verdicts, who led. The
roles benchmark (``benchmarks/roles_bench.py``) reads such a network from a
directory - nothing fetched is ever in this repository - and this module
turns it into signals in the police export format (formats README, section
1): every numbered node becomes a synthetic person (a generated name, a
Dutch mobile number, a V-number), and every contact in a phase becomes one
tap report about one of the two lines ("Tapverslag: gesprek met <name> op
<number>"), the other party's number written in the text, as a tap clerk
writes it. The workbench then loads, resolves and detects as it would any
export, and the benchmark compares its roles with the known ones.

A network directory holds:

- ``edges.csv``: header ``a,b,weight[,phase]``, one contact per row (node
  labels as in the source; weight = number of calls or meetings, default 1;
  phase = 1, 2, ... for networks observed in phases), **or** CAVIAR's own
  layout: ``phase1.csv`` ... ``phase11.csv``, each an adjacency matrix whose
  first row and first column are the node labels and whose cells count calls;
- ``roles.csv``: header ``node,role``, role ``leader`` or ``member`` (nodes
  not listed are neither, and count in no figure).

:func:`covert_like` makes a small network of the same shape for the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.generate.forms import new_phone
from workbench.generate.names import FAMILY, GIVEN

__all__ = [
    "EXPECTED",
    "CovertNetwork",
    "NetworkFilesMissing",
    "covert_like",
    "read_network",
    "write_police_export",
]

EXPECTED = (
    "edges.csv (header a,b,weight[,phase]) or phase1.csv..phaseN.csv (adjacency matrices, "
    "labels in the first row and column), and roles.csv (header node,role; role leader or member)"
)
POLICE_HEADER = (
    "registratie_id", "datum", "signaalsoort", "thema", "v_nummer", "achternaam", "voornaam",
    "geboortedatum", "nationaliteit", "geslacht", "telefoon", "document_type", "document_nummer",
    "document_land", "locatie", "facilitator", "omschrijving",
)  # fmt: skip
_PHASE = re.compile(r"^phase(\d+)\.csv$", re.IGNORECASE)


class NetworkFilesMissing(FileNotFoundError):
    """A network directory lacks the files the benchmark reads; the message says which."""


@dataclass(frozen=True)
class CovertNetwork:
    """Contacts ``(a, b, weight, phase)`` between node labels, and the known roles."""

    name: str
    edges: tuple[tuple[str, str, float, int], ...]
    roles: dict[str, str] = field(default_factory=dict)

    @property
    def nodes(self) -> list[str]:
        return sorted({n for a, b, *_ in self.edges for n in (a, b)}, key=_natural)


def _natural(label: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", label)
    return (int(digits) if digits else -1, label)


def read_network(directory: Path) -> CovertNetwork:
    """The network in ``directory`` (see the module's docstring), or NetworkFilesMissing."""
    roles_file = directory / "roles.csv"
    phases = sorted(
        (int(m.group(1)), p)
        for p in (directory.iterdir() if directory.is_dir() else ())
        if (m := _PHASE.match(p.name))
    )
    edges_file = directory / "edges.csv"
    if not roles_file.is_file() or not (edges_file.is_file() or phases):
        raise NetworkFilesMissing(f"{directory}: expected {EXPECTED}")
    edges = _edge_list(edges_file) if edges_file.is_file() else _matrices(phases)
    with roles_file.open(newline="", encoding="utf-8-sig") as fh:
        roles = {r["node"].strip(): r["role"].strip().lower() for r in csv.DictReader(fh)}
    unknown = sorted(set(roles.values()) - {"leader", "member"})
    if unknown:
        raise ValueError(f"{roles_file}: roles must be leader or member, not {unknown}")
    return CovertNetwork(directory.name, tuple(edges), roles)


def _edge_list(path: Path) -> list[tuple[str, str, float, int]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [
            (r["a"].strip(), r["b"].strip(), float(r.get("weight") or 1), int(r.get("phase") or 1))
            for r in csv.DictReader(fh)
            if r["a"].strip() != r["b"].strip()
        ]


def _matrices(phases: list[tuple[int, Path]]) -> list[tuple[str, str, float, int]]:
    """CAVIAR's phase matrices: a cell counts calls from the row's node to the column's."""
    out: dict[tuple[str, str, int], float] = {}
    for phase, path in phases:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
        labels = [c.strip() for c in rows[0][1:]]
        for row in rows[1:]:
            a = row[0].strip()
            for b, cell in zip(labels, row[1:], strict=False):
                calls = float(cell or 0)
                if calls > 0 and a != b:
                    key = (min(a, b), max(a, b), phase)
                    out[key] = out.get(key, 0.0) + calls
    return [(a, b, w, p) for (a, b, p), w in sorted(out.items())]


def covert_like(
    *, leaders: int = 4, cells: int = 8, cell_size: int = 7, seed: int = 1
) -> CovertNetwork:
    """A covert-shaped network: dense cells of foot soldiers, and leaders who talk to each
    other and to one or two members of several cells each (never the whole cell).

    >>> net = covert_like(seed=1)
    >>> len(net.nodes), sum(r == "leader" for r in net.roles.values())
    (60, 4)
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    edges: list[tuple[str, str, float, int]] = []
    roles: dict[str, str] = {}
    heads = [f"n{i + 1}" for i in range(leaders)]
    roles.update(dict.fromkeys(heads, "leader"))
    cell_members: list[list[str]] = []
    label = leaders
    for _ in range(cells):
        members = [f"n{label + i + 1}" for i in range(cell_size)]
        label += cell_size
        roles.update(dict.fromkeys(members, "member"))
        cell_members.append(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if rng.random() < 0.6:
                    edges.append((a, b, float(rng.randint(1, 5)), rng.randint(1, 4)))
    for i, a in enumerate(heads):
        for b in heads[i + 1 :]:
            if rng.random() < 0.7:
                edges.append((a, b, float(rng.randint(1, 3)), rng.randint(1, 4)))
        for members in rng.sample(cell_members, k=min(len(cell_members), 3)):
            for b in rng.sample(members, k=rng.randint(1, 2)):
                edges.append((a, b, float(rng.randint(1, 4)), rng.randint(1, 4)))
    return CovertNetwork("covert-like", tuple(edges), roles)


def write_police_export(
    network: CovertNetwork, out: Path, *, seed: int = 1, start: dt.date = dt.date(2024, 1, 1)
) -> dict[str, str]:
    """Write ``politie_<name>.csv`` into ``out``; returns each record id's subject node.

    One tap report per contact and phase, about one of the two lines (chosen
    at random, as either could be the tapped one): the subject with name,
    V-number and own number; the other party by name and number in the text.
    Phase ``p`` falls in month ``p`` after ``start``.
    """
    # Names come from their own stream, so that a change to the name tables
    # leaves the tap reports (who was tapped, and when) as they were.
    people = _people(network.nodes, random.Random(f"people-{seed}"))  # noqa: S311
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    subject_of: dict[str, str] = {}
    rows = []
    slug = re.sub(r"[^a-z0-9]+", "-", network.name.lower()).strip("-") or "network"
    for number, (a, b, _, phase) in enumerate(network.edges, start=1):
        tapped, other = (a, b) if rng.random() < 0.5 else (b, a)
        record_id = f"PL-{start.year}-{number:06d}"
        subject_of[record_id] = tapped
        day = start + dt.timedelta(days=30 * (phase - 1) + rng.randrange(28))
        given, family, v_number, phone = people[tapped]
        o_given, o_family, _, o_phone = people[other]
        rows.append(
            {
                "registratie_id": record_id,
                "datum": day.isoformat(),
                "signaalsoort": "hard",
                "thema": "mensensmokkel",
                "v_nummer": v_number,
                "achternaam": family,
                "voornaam": given,
                "geslacht": "M",
                "telefoon": phone,
                "locatie": "Rotterdam",
                "omschrijving": f"Tapverslag: gesprek met {o_given} {o_family} op {o_phone}.",
            }
        )
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"politie_{slug}.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=POLICE_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return subject_of


def _people(nodes: list[str], rng: random.Random) -> dict[str, tuple[str, str, str, str]]:
    """A distinct synthetic person per node: given and family name, V-number, mobile."""
    out: dict[str, tuple[str, str, str, str]] = {}
    used: set[tuple[str, str]] = set()
    for node in nodes:
        while True:
            language = rng.choice(("arabic", "kurdish", "tigrinya", "farsi"))
            given = rng.choice(GIVEN[language]["M"])[0]  # type: ignore[index]
            family = rng.choice(FAMILY[language])[0]  # type: ignore[index]
            if (given, family) not in used:
                break
        used.add((given, family))
        v_number = f"{rng.randrange(10**9, 10**10)}"
        out[node] = (given, family, v_number, new_phone("NLD", rng).e164)
    return out
