"""What a run can take from the previous one: the work on parts of the projection nobody touched.

Communities, roles (betweenness and brokerage), link strength and suggested
links are each computed inside one connected component of the projection and
depend on nothing outside it (``communities.component_seed`` seeds each
component from its own members). So each component is named by a digest of
its content - its members and every thing that links them, with its
members, signals, confidence and size - and what a run computed for it is
kept under that digest. The next run reuses the entry of a component whose
digest it finds again, and computes the others. A daily delivery touches
few components; the rest are found unchanged.

The memo is keyed as a whole by the code version and every parameter: any
change there and nothing is reused. Verdicts and the learned model only rank
clusters, and ranking, scores, lineage and alerts are always computed for
the whole run; a benign mark changes the projection, so the components it
touches get another digest. Reuse therefore gives exactly what a full run
gives (``tests/detect/test_incremental.py`` compares them cluster by cluster).

The memo is a JSON file beside the store (``detect-memo.json`` in the
workbench home), written after the run is; a missing, unreadable or stale
file only means a full run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import igraph as ig  # type: ignore[import-untyped]

from workbench.detect.projection import KINDS, Projection, Thing
from workbench.detect.roles import MemberRole, Reach

__all__ = ["FILE", "Memo", "Part", "header", "parts", "role_from", "role_to"]

log = logging.getLogger(__name__)

FILE = "detect-memo.json"
FORMAT = 2  # 2: things digested by ``_content``, not as JSON


@dataclass(frozen=True)
class Part:
    """One connected component of the projection: its vertices and the digest of its content."""

    vertices: list[int]
    digest: str


def header(code_version: str, parameters: Mapping[str, Any]) -> str:
    """What every entry of a memo depends on besides its component."""
    text = json.dumps(
        {"format": FORMAT, "code": code_version, "parameters": parameters},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def parts(graph: ig.Graph, projection: Projection, min_size: int) -> list[Part]:
    """The components of ``graph`` with at least ``min_size`` vertices, each with its digest.

    A thing that links anybody links only members of one component (a
    clique thing all its members, a star thing each member to its centre);
    a star without its centre links nobody and belongs to none.
    """
    components = [list(c) for c in graph.connected_components() if len(c) >= min_size]
    index = {name: v for v, name in enumerate(graph.vs["name"])} if graph.vcount() else {}
    part_of = {v: k for k, c in enumerate(components) for v in c}
    digests = [hashlib.sha256() for _ in components]
    for k, c in enumerate(components):
        digests[k].update("\n".join(graph.vs[v]["name"] for v in c).encode())
    for thing in projection.things:
        if KINDS[thing.kind].star and thing.centre is None:
            continue
        anchor = thing.centre if thing.centre is not None else next(iter(thing.members))
        found = part_of.get(index.get(anchor, -1))
        if found is not None:
            digests[found].update(_content(thing))
    return [Part(c, d.hexdigest()) for c, d in zip(components, digests, strict=True)]


def _content(thing: Thing) -> bytes:
    """Everything of a thing, for a digest: as JSON it took 4 s a run at a million rows.

    The members and confidences are in sorted order already (``group_things``).
    """
    members, confidence = tuple(thing.members.items()), tuple(thing.confidence.items())
    return repr((thing.kind, thing.key, thing.label, thing.centre, thing.size, members,
                 confidence)).encode()  # fmt: skip


def role_to(role: MemberRole) -> dict[str, Any]:
    """A role as JSON (``dataclasses.asdict`` took 13 s for 38k roles at 80k persons)."""
    return {**vars(role), "reach": dict(vars(role.reach))}


def role_from(data: Mapping[str, Any]) -> MemberRole:
    return MemberRole(**{**data, "reach": Reach(**data["reach"])})


@dataclass
class Memo:
    """Per component digest, what the run that wrote it computed there.

    An entry: ``communities`` (member ids of every community of at least the
    minimum size), and per cluster (by its first member) ``roles``,
    ``strength``, ``suggestions`` and ``cross`` (its links into its wider
    network), and ``networks`` (each wider network as its clusters' first
    members).
    """

    header: str
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None, header: str) -> Memo:
        """The memo at ``path`` if it was written under ``header``, else an empty one."""
        if path is None or not path.exists():
            return cls(header)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("detection memo %s unreadable, running in full: %s", path, exc)
            return cls(header)
        if not isinstance(data, dict) or data.get("header") != header:
            log.info("detection memo %s is of other code or parameters: running in full", path)
            return cls(header)
        return cls(header, dict(data.get("entries") or {}))

    def get(self, digest: str) -> dict[str, Any] | None:
        return self.entries.get(digest)

    def save(self, path: Path, entries: Mapping[str, Mapping[str, Any]]) -> None:
        """Replace the file with this run's entries (written aside, then renamed)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_suffix(".tmp")
        aside.write_text(json.dumps({"header": self.header, "entries": entries}), encoding="utf-8")
        os.replace(aside, path)
