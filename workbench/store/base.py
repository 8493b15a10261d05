"""The storage interface: the operations the application needs, and no more.

Not a generic query passthrough: every operation here is one the ingest,
resolution, detection, UI or CLI code needs, and each is covered by the
contract suite in ``tests/store/`` for every backend.

``CypherStore`` implements all of them once, in Cypher both dialects accept
(see ``cypher.py``). A backend only supplies how to open a unit of work, how
to insert brand-new nodes and edges fast, the shortest-path query, and its
text index. Labels and property names placed in query text come from the
graph model, never from input; values always travel as parameters.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Protocol

from graph_schema.model import (
    EdgeType,
    Model,
    NodeType,
    Property,
    ValidationError,
    check_properties,
    check_value,
)
from workbench.collector import gc_paused
from workbench.store import cypher
from workbench.store.errors import InvalidWrite, LostKeys, MissingEndpoint
from workbench.store.keys import KeyCheck, KeyRepair, LabelKeys

log = logging.getLogger(__name__)

Row = dict[str, Any]
CHUNK = 20_000
# Lost nodes ``repair_keys`` re-creates in one write unit: each unit scans the
# edge types of their labels (2.6 s for 3 mentions at 88k persons, ADR 0019)
# under the exclusive lock, so a unit is bounded; losses seen were a handful.
REPAIR_UNIT = 1_000


@dataclass(frozen=True)
class Node:
    """A node as stored: id, label and decoded properties."""

    id: str
    label: str
    props: dict[str, Any]


@dataclass(frozen=True)
class Edge:
    """A directed edge between two node ids, with decoded properties."""

    type: str
    src: str
    dst: str
    props: dict[str, Any]


@dataclass
class Subgraph:
    """Nodes and edges; ``more`` counts neighbours left out per node (capped expansion)."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Hop:
    """One step of a neighbourhood expansion, as a backend answers it (``_adjacent``)."""

    seeds: Sequence[str]
    number: int  # hops from the seeds
    done: Sequence[str]  # nodes expanded at earlier hops: their edges were given then
    types: Sequence[str] | None  # the edge types walked; None: all


@dataclass(frozen=True)
class SearchHit:
    """One full-text hit: the node, the text that matched, and its rank (lower is better)."""

    id: str
    label: str
    snippet: str
    rank: float


@dataclass
class UpsertResult:
    """What an upsert did: created, updated and unchanged counts."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass
class Retraction:
    """What withdrawing signals as provenance does (``retract_signals``).

    ``deleted_nodes`` are the ids of nodes that no remaining signal asserts;
    the other counts are of nodes and edges that stay but forget the ids.
    """

    deleted_nodes: list[str] = field(default_factory=list)
    updated_nodes: int = 0
    deleted_edges: int = 0
    updated_edges: int = 0


class Runner(ABC):
    """One open unit of work: runs parameterised Cypher, returns plain rows."""

    @abstractmethod
    def tabular(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        """Column names and rows as lists: hot paths skip building a dict per row."""

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Rows as dicts keyed by column name."""
        columns, rows = self.tabular(query, params)
        return [dict(zip(columns, row, strict=True)) for row in rows]


class Writer(Protocol):
    """Batched writes inside one transaction (see ``GraphStore.writer``)."""

    def upsert_nodes(self, label: str, rows: Iterable[Row]) -> UpsertResult: ...
    def upsert_edges(self, type_: str, rows: Iterable[Row]) -> UpsertResult: ...
    def delete_nodes(self, ids: Sequence[str]) -> int: ...
    def delete_edges_from(self, type_: str, src: Sequence[str]) -> None: ...
    def retract_signals(self, signal_ids: Sequence[str]) -> Retraction: ...


class GraphStore(Protocol):
    """What every backend offers. Reads may be grouped with ``reader()``."""

    kind: str
    location: str
    model: Model

    def ensure_schema(self) -> None: ...
    def writer(self) -> AbstractContextManager[Writer]: ...
    def staged(self, rows: int) -> AbstractContextManager[None]: ...
    def reader(self) -> AbstractContextManager[None]: ...
    def get_nodes(
        self, ids: Sequence[str], *, fields: Sequence[str] | None = None
    ) -> dict[str, Node]: ...
    def find_nodes(
        self,
        label: str,
        where: Mapping[str, Any] | None = None,
        *,
        limit: int | None = None,
        fields: Sequence[str] | None = None,
        after: str | None = None,
    ) -> list[Node]: ...
    def find_values(
        self, label: str, fields: Sequence[str], where: Mapping[str, Any] | None = None
    ) -> list[list[Any]]: ...
    def find_edges(
        self, type_: str, *, src: Sequence[str] | None = None, dst: Sequence[str] | None = None
    ) -> list[Edge]: ...
    def edge_ends(self, type_: str) -> list[tuple[str, str]]: ...
    def neighbourhood(
        self,
        ids: Sequence[str],
        *,
        depth: int = 1,
        limit: int = 200,
        edge_types: Sequence[str] | None = None,
    ) -> Subgraph: ...
    def shortest_path(self, a: str, b: str, *, max_depth: int = 6) -> Subgraph | None: ...
    def search(
        self, text: str, *, labels: Sequence[str] | None = None, limit: int = 50
    ) -> list[SearchHit]: ...
    def subgraph_for_analysis(
        self, *, node_labels: Sequence[str], edge_types: Sequence[str]
    ) -> Subgraph: ...
    def counts(self) -> dict[str, dict[str, int]]: ...
    def count_nodes(self, label: str) -> int: ...
    def plan_retraction(self, signal_ids: Sequence[str]) -> Retraction: ...
    def check_keys(self) -> KeyCheck: ...
    def repair_keys(self) -> KeyRepair: ...
    def close(self) -> None: ...


# -- value conversion shared by both backends ---------------------------------


def encode(prop: Property, value: Any) -> Any:
    """Turn a Python value into what the store keeps (JSON as text, UTC times)."""
    if value is None:
        return None
    if prop.type == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if prop.type == "datetime":
        return value.astimezone(dt.UTC)
    if prop.type == "strings":
        return list(value)
    return value


def decode(prop: Property | None, value: Any) -> Any:
    """Turn what the store returned back into the Python value that was written."""
    if value is None or prop is None:
        return value
    if prop.type == "json" and isinstance(value, str):
        return json.loads(value)
    if prop.type == "datetime" and isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    if prop.type == "float" and isinstance(value, int):
        return float(value)
    return value


def _decode_column(prop: Property, rows: list[list[Any]], k: int) -> None:
    """:func:`decode` of every row's ``k``-th value, in place: one loop a column, not a
    call a value (3 of the 9 s of reading 2.9 million links at a million rows)."""
    if prop.type == "datetime":
        for row in rows:
            v = row[k]
            if isinstance(v, dt.datetime) and v.tzinfo is None:
                row[k] = v.replace(tzinfo=dt.UTC)
    elif prop.type == "float":
        for row in rows:
            v = row[k]
            if isinstance(v, int):
                row[k] = float(v)
    else:
        for row in rows:
            row[k] = decode(prop, row[k])


_ENDS = frozenset(("id", "src", "dst"))  # not properties: a node's id, an edge's ends


def _union(old: Sequence[Any] | None, new: Iterable[Any] | None) -> list[Any]:
    """``old`` followed by the items of ``new`` it lacks, in their order.

    Linear: hubs (a border post, a helpdesk number) carry provenance lists of
    tens of thousands of signals, so membership is a set, not a list scan.

    >>> _union(["s1", "s2"], ["s2", "s3", "s3"])
    ['s1', 's2', 's3']
    """
    out = list(old or [])
    seen = set(out)
    for value in new or []:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


def _merge(props: Mapping[str, Property], old: Mapping[str, Any], new: Mapping[str, Any]) -> Row:
    """The properties after an upsert: given values replace, ``union`` lists grow.

    A node's ``id`` or an edge's ends in ``new`` are not properties: skipped.
    """
    out = dict(old)
    for name, value in new.items():
        if name in _ENDS:
            continue
        prop = props.get(name)
        out[name] = _union(old.get(name), value) if prop and prop.merge == "union" else value
    return out


class _Batch:
    """Rows merged by key as they arrive, for one upsert.

    A key seen once keeps its row as given; a repeated key merges into it,
    growing ``union`` lists in place with a set beside each, so a key repeated
    k times costs O(k), not O(k^2).
    """

    def __init__(self, props: Mapping[str, Property]) -> None:
        self.props = props
        self.unions = [name for name, prop in props.items() if prop.merge == "union"]
        self.rows: dict[Any, Row] = {}
        self._seen: dict[tuple[Any, str], set[Any]] = {}

    def add(self, key: Any, row: Row) -> None:
        """Add ``row`` (owned by the batch from now on) under ``key``."""
        mine = self.rows.get(key)
        if mine is None:
            self.rows[key] = row
            return
        for name, value in row.items():
            if name not in self.unions:
                mine[name] = value
                continue
            seen = self._seen.get((key, name))
            if seen is None:  # first repeat: own the list, callers may share theirs
                mine[name] = _union(mine.get(name), ())
                seen = self._seen[(key, name)] = set(mine[name])
            for item in value or ():
                if item not in seen:
                    seen.add(item)
                    mine[name].append(item)


_NONE = type(None)


# Python types ``check_value`` accepts as they are (no enum, no timezone to
# check): a column of these needs no per-value call. Exact types: a subclass
# goes the long way, which may only be stricter.
_PLAIN: dict[str, frozenset[type]] = {
    "string": frozenset((str,)),
    "int": frozenset((int,)),
    "float": frozenset((float, int)),
    "bool": frozenset((bool,)),
    "date": frozenset((dt.date,)),
}


def _column_valid(prop: Property, column: list[Any]) -> bool:
    """Whether ``check_value`` accepts every value of a column, each distinct value asked once.

    Loads repeat values (sources, roles, dates, one-signal provenance lists),
    so a column costs a set, not a call per row; a column of plain values
    (names, record ids: all distinct) is settled by its set of types. Lists
    of strings are checked by their types (lists are not hashable); anything
    unusual answers False.
    """
    types = set(map(type, column))
    if _NONE in types:
        if prop.required:
            return False
        types.discard(_NONE)
    if prop.type == "strings":
        return types <= {list, tuple} and set(
            map(type, chain.from_iterable(filter(None, column)))
        ) <= {str}
    if not prop.enum and types <= _PLAIN.get(prop.type, frozenset()):
        return True
    try:
        distinct: Iterable[tuple[type, Any]] = set(zip(map(type, column), column, strict=True))
    except TypeError:  # unhashable values (json): each is asked
        distinct = zip(map(type, column), column, strict=True)
    try:
        for _, value in distinct:
            if value is not None:
                check_value(prop, value, prop.name)
    except ValidationError:
        return False
    return True


def check_rows(
    props: Mapping[str, Property], rows: Sequence[Row], where: Callable[[int], str]
) -> None:
    """``check_properties`` for a batch: a column at a time, row by row only on a failure.

    The row-by-row pass is the authority: it raises the error naming the row
    (``where(i)``) exactly as before. A column that fails the quick pass only
    sends the batch there, so the quick pass may be stricter, never looser.
    """
    keys = set(chain.from_iterable(rows)) - _ENDS
    valid = keys <= props.keys() and all(
        _column_valid(prop, [row.get(name) for row in rows]) if name in keys else not prop.required
        for name, prop in props.items()
    )
    if not valid:
        for i, row in enumerate(rows):
            check_properties(props, row, where(i))


def _text_doc(label: str, searchable: Sequence[str], row: Row) -> tuple[str, str, str]:
    """A node's full-text document: (id, label, its searchable values, one a line)."""
    parts = [str(row[p]) for p in searchable if row.get(p) not in (None, "")]
    return (row["id"], label, "\n".join(parts))


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _found(rows: Iterable[Row]) -> Iterator[Row]:
    """The rows of ``cypher.edges_from`` / ``edges_to`` that hold an edge: an end with no
    edge of the type comes back once, with the other end null."""
    return (row for row in rows if row["src"] is not None and row["dst"] is not None)


def _retracted(
    rows: Iterable[Row], gone: set[str], keys: tuple[str, ...]
) -> tuple[list[Row], list[Row]]:
    """Rows naming a ``gone`` signal: those keeping other signals, and those left with none.

    >>> _retracted([{"id": "a", "signals": ["s1", "s2"]}, {"id": "b", "signals": ["s1"]},
    ...             {"id": "c", "signals": ["s3"]}], {"s1"}, ("id",))
    ([{'id': 'a', 'signals': ['s2']}], [{'id': 'b', 'signals': []}])
    """
    keep: list[Row] = []
    drop: list[Row] = []
    for row in rows:
        signals = row["signals"] or []
        if gone.isdisjoint(signals):
            continue
        left = [s for s in signals if s not in gone]
        (keep if left else drop).append({**{k: row[k] for k in keys}, "signals": left})
    return keep, drop


def _changes(
    props: Iterable[str], old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[str, ...]:
    """The properties an update changes, in schema order: only they are written.

    Writing an unchanged value costs LadybugDB about what a changed one does:
    re-scored model links set all 14 properties at about 190 us a row, their 5
    changed ones at 60 (ADR 0002, eleventh round).

    >>> _changes(["a", "b", "c"], {"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None})
    ('b',)
    """
    return tuple(p for p in props if new.get(p) != old.get(p))


def _all_null(props: Iterable[str], rows: Sequence[Row]) -> set[str]:
    """Properties that are null in every row of a batch."""
    return {p for p in props if all(row.get(p) is None for row in rows)}


def capped_bfs(
    seeds: Sequence[str],
    adjacent: Callable[[list[str], int], Iterable[Edge]],
    *,
    depth: int,
    limit: int,
) -> tuple[list[str], list[Edge], dict[str, int]]:
    """Breadth-first expansion from ``seeds`` keeping at most ``limit`` nodes.

    ``adjacent(frontier, hop)`` gives the edges touching the frontier's nodes
    (all ``hop`` hops from the seeds); it may leave out edges to nodes of
    earlier frontiers, which it gave when those were the frontier. Only kept
    nodes are asked about, so a hub's thousands of neighbours are counted,
    never expanded. Returns the kept node ids (seeds first), the edges
    between kept nodes, and per kept node how many of its neighbours the cap
    left out. Neighbours are visited in id order, so the result is
    deterministic.

    >>> es = [Edge("HAS_PHONE", f"p{i}", "f", {}) for i in range(5)]
    >>> def adjacent(ids, hop):
    ...     return [e for e in es if e.src in ids or e.dst in ids]
    >>> keep, kept, more = capped_bfs(["p0"], adjacent, depth=2, limit=3)
    >>> keep, more
    (['p0', 'f', 'p1'], {'f': 3})
    """
    edges: dict[tuple[str, str, str], Edge] = {}
    adjacency: dict[str, set[str]] = defaultdict(set)
    keep = list(dict.fromkeys(seeds))[:limit] if limit > 0 else []
    kept = set(keep)
    more: dict[str, int] = {}
    frontier = list(keep)
    for hop in range(depth):
        if not frontier:
            break
        for e in adjacent(frontier, hop):
            key = (e.type, e.src, e.dst)
            if key not in edges:
                edges[key] = e
                adjacency[e.src].add(e.dst)
                adjacency[e.dst].add(e.src)
        nxt: list[str] = []
        for node in frontier:
            for other in sorted(adjacency[node]):
                if other in kept:
                    continue
                if len(kept) >= limit:
                    more[node] = more.get(node, 0) + 1
                    continue
                kept.add(other)
                keep.append(other)
                nxt.append(other)
        frontier = nxt
    kept_edges = [e for e in edges.values() if e.src in kept and e.dst in kept]
    return keep, kept_edges, more


# -- the shared implementation -------------------------------------------------


class CypherStore(ABC):
    """Every interface operation in shared Cypher; backends fill in the hooks."""

    kind = "abstract"
    location = ""
    _create_chunk = CHUNK  # rows per ``_create_nodes`` / ``_create_edges`` call

    def __init__(self, model: Model) -> None:
        self.model = model
        self._runner: Runner | None = None
        self._writing = False
        # Nodes created in the open write unit have no stored edges yet, so
        # upsert_edges need not look theirs up (the lookup dominates ingest).
        self._fresh: set[str] = set()
        self._touched: set[tuple[str, str]] = set()  # (edge type, fresh src) written since
        # per property mapping (by id, the mapping kept to guard the id): those to decode
        self._decoding: dict[int, tuple[Mapping[str, Property], tuple[tuple[str, Property], ...]]]
        self._decoding = {}
        self._subsets: dict[tuple[str, tuple[str, ...]], Mapping[str, Property]] = {}
        # Write units this object committed, and a callback after each: the unit
        # boundary is where a test stops or kills a writer (tests/store/test_staged.py).
        self.units = 0
        self.on_unit: Callable[[int], None] | None = None

    # hooks ---------------------------------------------------------------------

    @abstractmethod
    def _open(self, *, write: bool) -> AbstractContextManager[Runner]:
        """Open one unit of work (a transaction for writes)."""

    @abstractmethod
    def _create_nodes(self, r: Runner, node: NodeType, rows: list[Row]) -> None:
        """Insert nodes known not to exist yet (Python values; encode with ``_encode_row``)."""

    @abstractmethod
    def _create_edges(self, r: Runner, edge: EdgeType, src: str, dst: str, rows: list[Row]) -> None:
        """Insert edges known not to exist yet between ``src`` and ``dst`` (Python values)."""

    @abstractmethod
    def _shortest_path(
        self, r: Runner, a: str, b: str, max_depth: int
    ) -> tuple[list[Row], list[Row]] | None:
        """Dialects differ here: raw nodes and edges (with ``src``/``dst`` ids) of a path."""

    @abstractmethod
    def _index_text(self, r: Runner, docs: list[tuple[str, str, str]]) -> None:
        """Add or replace (id, label, text) in the full-text index."""

    @abstractmethod
    def _unindex_text(self, r: Runner, ids: Sequence[str]) -> None:
        """Remove ids from the full-text index."""

    @abstractmethod
    def _search(
        self, r: Runner, text: str, labels: Sequence[str] | None, limit: int
    ) -> list[SearchHit]:
        """Full-text search; hits may name deleted nodes (filtered by the caller)."""

    def _edge_key(self, row: Row) -> tuple[str, str]:
        return (row["src"], row["dst"])

    # units of work ---------------------------------------------------------------

    @contextmanager
    def _unit(self, *, write: bool = False) -> Iterator[Runner]:
        """Reuse the open unit of work, or open one for this operation.

        The cyclic collector pauses for the unit: a page's reads make a few
        hundred thousand containers that die by reference counting, and the
        full passes they triggered (one or two a cluster-list call at 225k
        rows) cost 0.05-0.15 s each, the page's slow calls at p95.
        """
        if self._runner is not None:
            if write and not self._writing:
                raise InvalidWrite("cannot write inside a reader(); use writer()")
            yield self._runner
            return
        with gc_paused(), self._open(write=write) as runner:
            self._runner, self._writing = runner, write
            self._fresh, self._touched = set(), set()
            try:
                yield runner
            finally:
                self._runner, self._writing = None, False
                self._fresh, self._touched = set(), set()
        if write:
            self.units += 1
            if self.on_unit is not None:
                self.on_unit(self.units)

    @contextmanager
    def reader(self) -> Iterator[None]:
        """Group several reads into one unit of work (one open, one lock)."""
        with self._unit(write=False):
            yield

    @contextmanager
    def writer(self) -> Iterator[CypherStore]:
        """One write transaction: everything inside commits together or not at all."""
        with self._unit(write=True):
            yield self

    @contextmanager
    def staged(self, rows: int) -> Iterator[None]:
        """Group the write units of one run (about ``rows`` rows) so readers see all or none.

        Here one transaction: a server with multi-version reads (Neo4j) lets
        readers go on reading the last committed state while it runs. The
        embedded store, whose readers wait for its one writer, stages a big
        run on a copy instead (ADR 0016).
        """
        with self._unit(write=True):
            yield

    # writes ------------------------------------------------------------------------

    def _prepare_nodes(self, node: NodeType, rows: Iterable[Row]) -> dict[str, Row]:
        """The rows merged by id, each a copy carrying its ``id`` (derived when not given).

        The id stays in the row, so a new node's row goes to the backend as it
        is, without another copy (``_merge`` skips it).
        """
        label, node_id = node.label, self.model.node_id
        given = [dict(row) for row in rows]
        try:
            for row in given:
                row["id"] = row.get("id") or node_id(label, row)
            check_rows(node.properties, given, lambda i: f"{label} {given[i]['id']}")
        except ValidationError as exc:
            raise InvalidWrite(str(exc)) from exc
        batch = _Batch(node.properties)
        for row in given:
            batch.add(row["id"], row)
        return batch.rows

    @gc_paused()  # its full passes walked the caller's rows: 0.2 s of a 1.8 s upsert
    def upsert_nodes(self, label: str, rows: Iterable[Row]) -> UpsertResult:
        """Create or update nodes by id (derived from the key when not given).

        Properties given replace the stored ones; ``union`` properties (the
        ``signals`` provenance list) grow. Rows identical to what is stored
        change nothing, so re-running a load is a no-op.
        """
        node = self.model.node(label)
        batch = self._prepare_nodes(node, rows)
        result = UpsertResult()
        with self._unit(write=True) as r:
            # a first load into an empty label asks one count, not one lookup per id
            present = self._existing_ids(r, label, list(batch)) if self._any_nodes(r, label) else ()
            existing = self._fetch_nodes(r, label, [i for i in batch if i in present])
            created = []
            changes: dict[tuple[str, ...], list[Row]] = {}
            for node_id, row in batch.items():
                old = existing.get(node_id)
                if old is None:
                    created.append(row)
                    continue
                merged = _merge(node.properties, old.props, row)
                changed = _changes(node.properties, old.props, merged)
                if not changed:
                    result.unchanged += 1
                else:
                    changes.setdefault(changed, []).append({"id": node_id, **merged})
            for part in _chunks(created, self._create_chunk):
                self._create_nodes(r, node, list(part))
            for nulls, names, part in self._updates(node.properties, changes):
                r.run(cypher.set_nodes(node, nulls, names), {"rows": part})
            updated = [row for rows_ in changes.values() for row in rows_]
            searchable = node.searchable  # a property computed per call
            if searchable:
                docs = [_text_doc(label, searchable, row) for row in chain(created, updated)]
                self._index_text(r, docs)
            result.created, result.updated = len(created), len(updated)
            self._fresh.update(row["id"] for row in created)
        return result

    @gc_paused()
    def upsert_edges(self, type_: str, rows: Iterable[Row]) -> UpsertResult:
        """Create or update edges, one per (type, src, dst); both ends must exist."""
        edge = self.model.edge(type_)
        allowed = set(edge.endpoints)
        given = list(rows)
        label_of = self.model.label_of
        pairs = [(label_of(row["src"]), label_of(row["dst"])) for row in given]
        for pair in set(pairs) - allowed:
            raise InvalidWrite(
                f"{type_}: {pair[0]} -> {pair[1]} is not an allowed endpoint pair "
                f"({', '.join(f'{a}->{b}' for a, b in edge.endpoints)})"
            )
        try:
            check_rows(
                edge.properties, given, lambda i: f"{type_} {given[i]['src']}->{given[i]['dst']}"
            )
        except ValidationError as exc:
            raise InvalidWrite(str(exc)) from exc
        groups: dict[tuple[str, str], _Batch] = {}
        for row, pair in zip(given, pairs, strict=True):
            group = groups.get(pair)
            if group is None:
                group = groups[pair] = _Batch(edge.properties)
            group.add(self._edge_key(row), {k: v for k, v in row.items() if k not in _ENDS})
        result = UpsertResult()
        with self._unit(write=True) as r:
            for (src_label, dst_label), group in groups.items():
                batch = group.rows
                self._check_endpoints(r, src_label, [k[0] for k in batch])
                self._check_endpoints(r, dst_label, [k[1] for k in batch])
                stored_srcs = [
                    k[0] for k in batch if k[0] not in self._fresh or (type_, k[0]) in self._touched
                ]
                existing = self._fetch_edges(r, edge, src_label, dst_label, stored_srcs)
                created: list[Row] = []
                changes: dict[tuple[str, ...], list[Row]] = {}
                for (src, dst), props in batch.items():
                    stored = existing.get((src, dst))
                    if stored is None:
                        created.append({"src": src, "dst": dst, **props})
                        continue
                    merged = _merge(edge.properties, stored, props)
                    changed = _changes(edge.properties, stored, merged)
                    if not changed:
                        result.unchanged += 1
                    else:
                        changes.setdefault(changed, []).append({"src": src, "dst": dst, **merged})
                for part in _chunks(created, self._create_chunk):
                    self._create_edges(r, edge, src_label, dst_label, list(part))
                for nulls, names, part in self._updates(edge.properties, changes):
                    query = cypher.set_edges(edge, src_label, dst_label, nulls, names)
                    r.run(query, {"rows": part})
                result.updated += sum(map(len, changes.values()))
                result.created += len(created)
                # a fresh node's edges of this type are stored now: look them up next time
                self._touched.update((type_, row["src"]) for row in created)
        return result

    def _updates(
        self, props: Mapping[str, Property], changes: Mapping[tuple[str, ...], Sequence[Row]]
    ) -> Iterator[tuple[set[str], tuple[str, ...], list[Row]]]:
        """Each group of updated rows, encoded, in parts: ``(nulls, names, rows)`` for a
        ``SET`` of only the ``names`` that group changed (``nulls``: null in every row of
        the part, written as a literal; see ``cypher._value``)."""
        for changed, rows in changes.items():
            subset = {p: props[p] for p in changed}
            encoded = [self._encode_row(subset, row, full=True) for row in rows]
            for part in _chunks(encoded):
                yield _all_null(subset, part), changed, list(part)

    def delete_nodes(self, ids: Sequence[str]) -> int:
        """Delete nodes and their edges; returns how many existed."""
        by_label = self._group_by_label(ids)
        deleted = 0
        with self._unit(write=True) as r:
            for label, part in by_label.items():
                deleted += len(r.run(cypher.node_ids(label), {"ids": part}))
                r.run(cypher.delete_nodes(label), {"ids": part})
            self._unindex_text(r, list(ids))
        self._fresh.difference_update(ids)
        return deleted

    def delete_edges_from(self, type_: str, src: Sequence[str]) -> None:
        """Delete every ``type_`` edge leaving the ``src`` nodes (to re-point them)."""
        edge = self.model.edge(type_)
        with self._unit(write=True) as r:
            for a, b in edge.endpoints:
                ids = [i for i in dict.fromkeys(src) if self.model.label_of(i) == a]
                for part in _chunks(ids):
                    r.run(cypher.delete_edges_from(type_, a, b), {"ids": list(part)})

    def retract_signals(self, signal_ids: Sequence[str]) -> Retraction:
        """Withdraw signals as provenance (retention purges): what only they assert goes.

        Every node and edge whose ``signals`` list names one of ``signal_ids``
        loses those ids; one left with none is deleted (a node with its edges
        and its text-index entry). Nodes and edges other signals still assert
        stay. Nodes outside the evidence layer are the caller's to tidy.
        """
        with self._unit(write=True) as r:
            return self._retraction(r, set(signal_ids), apply=True)

    def plan_retraction(self, signal_ids: Sequence[str]) -> Retraction:
        """What ``retract_signals`` would do, without writing (a purge's dry run)."""
        with self._unit() as r:
            return self._retraction(r, set(signal_ids), apply=False)

    def _retraction(self, r: Runner, gone: set[str], *, apply: bool) -> Retraction:
        # One scan per label and edge type, intersected here: LadybugDB has no
        # usable list-intersection predicate for a parameter list.
        out = Retraction()
        for edge in self.model.edges.values():
            if "signals" not in edge.properties:
                continue
            for a, b in edge.endpoints:
                rows = r.run(cypher.edge_provenance(edge.type, a, b))
                keep, drop = _retracted(rows, gone, ("src", "dst"))
                out.updated_edges += len(keep)
                out.deleted_edges += len(drop)
                for part in _chunks(keep) if apply else ():
                    r.run(cypher.set_edge_signals(edge.type, a, b), {"rows": list(part)})
                for part in _chunks(drop) if apply else ():
                    r.run(cypher.delete_edges(edge.type, a, b), {"rows": list(part)})
        for node in self.model.nodes.values():
            if "signals" not in node.properties:
                continue
            keep, drop = _retracted(r.run(cypher.node_provenance(node.label)), gone, ("id",))
            out.updated_nodes += len(keep)
            out.deleted_nodes += [row["id"] for row in drop]
            if apply:
                for part in _chunks(keep):
                    r.run(cypher.set_node_signals(node.label), {"rows": list(part)})
                for part in _chunks([row["id"] for row in drop]):
                    r.run(cypher.delete_nodes(node.label), {"ids": list(part)})
        if apply:
            self._unindex_text(r, out.deleted_nodes)
            self._fresh.difference_update(out.deleted_nodes)
        return out

    # reads ---------------------------------------------------------------------------

    def get_nodes(
        self, ids: Sequence[str], *, fields: Sequence[str] | None = None
    ) -> dict[str, Node]:
        """The nodes with these ids that exist, keyed by id.

        ``fields`` reads only those properties (the others are absent from
        ``props``), as in :meth:`find_nodes`: the need-to-know policy reads
        four facts of a signal, not its raw record.
        """
        out: dict[str, Node] = {}
        with self._unit() as r:
            for label, part in self._group_by_label(ids).items():
                out.update(self._fetch_nodes(r, label, part, fields))
        return out

    def find_nodes(
        self,
        label: str,
        where: Mapping[str, Any] | None = None,
        *,
        limit: int | None = None,
        fields: Sequence[str] | None = None,
        after: str | None = None,
    ) -> list[Node]:
        """Nodes of ``label`` whose properties equal ``where`` (all of them), by id.

        ``fields`` reads only those properties (the others are absent from
        ``props``): much faster when a caller scans many nodes for a few values.
        ``after`` (with ``limit``) pages through a label in id order: pass the
        last id of the previous page, so a reader of a million nodes holds one
        page at a time.
        """
        chosen = None if fields is None else tuple(f for f in fields if f != "id")
        props = self.model.node(label).properties if chosen is None else self._subset(label, chosen)
        rows = self._found_rows(label, where, chosen, limit=limit, after=after)
        # Rows as lists, read by position: a dict per row was most of the time of a
        # scan (28k clusters of a run, 1.2 s at a million rows).
        read = self._values_reader(props, range(1, len(props) + 1))
        if fields is not None and "id" in fields:
            return [Node(row[0], label, {"id": row[0], **read(row)}) for row in rows]
        return [Node(row[0], label, read(row)) for row in rows]

    def find_values(
        self, label: str, fields: Sequence[str], where: Mapping[str, Any] | None = None
    ) -> list[list[Any]]:
        """:meth:`find_nodes` as bare rows: the id, then ``fields`` in order, decoded.

        For scans of millions of nodes that keep a few values of each: a Node
        and a dict per row cost twice the rows themselves (a resolution run
        reading 722,722 stored links at 225k rows held 1.06 GB of them, the rows
        alone 0.37 GB; ADR 0002, tenth round).
        """
        chosen = tuple(f for f in fields if f != "id")
        rows = self._found_rows(label, where, chosen)
        place = {name: k for k, name in enumerate(chosen, 1)}
        for name, prop in self._to_decode(self._subset(label, chosen)):
            _decode_column(prop, rows, place[name])
        return rows

    def _found_rows(
        self,
        label: str,
        where: Mapping[str, Any] | None,
        chosen: tuple[str, ...] | None,
        *,
        limit: int | None = None,
        after: str | None = None,
    ) -> list[list[Any]]:
        """Rows (the id, then the ``chosen`` properties or all of them) of the nodes of
        ``label`` whose properties equal ``where``, in id order."""
        node = self.model.node(label)
        where = dict(where or {})
        for name in [*where, *(chosen or ())]:
            if name not in node.properties and name != "id":
                raise InvalidWrite(f"{label} has no property {name!r}")
        params = {
            f"w{i}": self._encode_value(node.properties.get(k), v)
            for i, (k, v) in enumerate(where.items())
        }
        query = cypher.find_nodes(node, list(where), limit, chosen, paged=after is not None)
        if limit is not None:
            params["limit"] = limit
        if after is not None:
            params["after"] = after
        with self._unit() as r:
            return r.tabular(query, params)[1]

    def find_edges(
        self, type_: str, *, src: Sequence[str] | None = None, dst: Sequence[str] | None = None
    ) -> list[Edge]:
        """Edges of a type, optionally only those leaving ``src`` or entering ``dst`` ids."""
        edge = self.model.edge(type_)
        out: list[Edge] = []
        sources = list(dict.fromkeys(src)) if src is not None else None
        targets = list(dict.fromkeys(dst)) if dst is not None else None
        wanted = set(dst) if dst is not None else None  # a list made 80k ids a quadratic scan
        with self._unit() as r:
            for a, b in edge.endpoints:
                if sources is None and targets is None:
                    # every edge of the type (millions, for runs): rows as lists, no dict each
                    names = tuple(edge.properties)
                    read = self._values_reader(edge.properties, range(2, 2 + len(names)))
                    found = r.tabular(cypher.all_edges(edge, a, b, names))[1]
                    out += [Edge(edge.type, row[0], row[1], read(row)) for row in found]
                    continue
                if sources is not None:
                    ids = [i for i in sources if self.model.label_of(i) == a]
                    if not ids:
                        continue
                    rows = r.run(cypher.edges_from(edge, a, b), {"ids": ids})
                else:
                    ids = [i for i in targets or () if self.model.label_of(i) == b]
                    if not ids:
                        continue
                    rows = r.run(cypher.edges_to(edge, a, b), {"ids": ids})
                for row in _found(rows):
                    if wanted is not None and row["dst"] not in wanted:
                        continue  # with both src and dst: the edges between them
                    out.append(self._edge_from(edge, row))
        return out

    def edge_ends(self, type_: str) -> list[tuple[str, str]]:
        """Every edge of a type as its two ends' ids: :meth:`find_edges` without properties.

        For the runs that scan millions of edges and keep only who is linked to
        what: an ``Edge`` with its decoded properties made reading the persons'
        ``RESOLVED_TO`` edges 6.5 s at a million rows, their ends 1.8 s.
        """
        edge = self.model.edge(type_)
        out: list[tuple[str, str]] = []
        with self._unit() as r:
            for a, b in edge.endpoints:
                out += [(s, d) for s, d in r.tabular(cypher.all_edges(edge, a, b, ()))[1]]
        return out

    def neighbourhood(
        self,
        ids: Sequence[str],
        *,
        depth: int = 1,
        limit: int = 200,
        edge_types: Sequence[str] | None = None,
    ) -> Subgraph:
        """The nodes within ``depth`` hops of ``ids``, at most ``limit`` of them.

        Expansion is breadth first; once the cap is reached, ``more[node]``
        counts the neighbours of ``node`` that were left out, so a UI can say
        "12 more" instead of drawing a hairball. ``edge_types`` restricts the
        walk to those edges, inside the store's queries: a view that leaves
        out a bookkeeping hub never pays for reading its edges.
        """
        try:  # checked names: they go into query text
            types = sorted({self.model.edge(t).type for t in edge_types}) if edge_types else None
        except ValidationError as exc:
            raise InvalidWrite(str(exc)) from exc
        with self._unit() as r:
            labelled = {i for part in self._group_by_label(ids).values() for i in part}
            seeds = [i for i in dict.fromkeys(ids) if i in labelled]

            done: list[str] = []

            def adjacent(frontier: list[str], number: int) -> list[Edge]:
                edges = self._adjacent(r, frontier, Hop(seeds, number, list(done), types))
                done.extend(frontier)
                return edges

            keep, kept_edges, more = capped_bfs(seeds, adjacent, depth=depth, limit=limit)
            nodes = self.get_nodes(keep)
            if len(nodes) < len(keep):  # a seed that does not exist held a place: not again
                seeds = [i for i in seeds if i in nodes]
                done.clear()  # the first expansion's frontiers are not this one's
                keep, kept_edges, more = capped_bfs(seeds, adjacent, depth=depth, limit=limit)
                nodes = self.get_nodes(keep)
            return Subgraph(nodes=nodes, edges=kept_edges, more=more)

    def shortest_path(self, a: str, b: str, *, max_depth: int = 6) -> Subgraph | None:
        """One shortest undirected path from ``a`` to ``b``, or None."""
        if a == b:
            nodes = self.get_nodes([a])
            return Subgraph(nodes=nodes) if nodes else None
        with self._unit() as r:
            path = self._shortest_path(r, a, b, max_depth)
        if path is None:
            return None
        sub = Subgraph()
        for raw in path[0]:
            node = self._node_from(raw["_LABEL"], raw)
            sub.nodes[node.id] = node
        for row in path[1]:
            sub.edges.append(self._edge_from(self.model.edge(row["e"]["_LABEL"]), row))
        return sub

    def search(
        self, text: str, *, labels: Sequence[str] | None = None, limit: int = 50
    ) -> list[SearchHit]:
        """Full-text search over the model's ``search: true`` properties."""
        if not text.strip():
            return []
        with self._unit() as r:
            hits = self._search(r, text, labels, limit * 2)
            alive = self.get_nodes([h.id for h in hits])
        return [h for h in hits if h.id in alive][:limit]

    def subgraph_for_analysis(
        self, *, node_labels: Sequence[str], edge_types: Sequence[str]
    ) -> Subgraph:
        """Every node of ``node_labels`` and edge of ``edge_types``, for a projection."""
        sub = Subgraph()
        with self._unit() as r:
            for label in node_labels:
                for row in r.run(cypher.all_nodes(self.model.node(label))):
                    node = self._node_from(label, row)
                    sub.nodes[node.id] = node
            for type_ in edge_types:
                sub.edges.extend(self.find_edges(type_))
        return sub

    def count_nodes(self, label: str) -> int:
        """How many nodes of ``label`` there are: whether a run has new mentions to place."""
        self.model.node(label)
        with self._unit() as r:
            return int(r.run(cypher.count_nodes(label))[0]["n"])

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and edge counts per type (zeros included)."""
        out: dict[str, dict[str, int]] = {"nodes": {}, "edges": {}}
        with self._unit() as r:
            for label in sorted(self.model.nodes):
                out["nodes"][label] = int(r.run(cypher.count_nodes(label))[0]["n"])
            for type_ in sorted(self.model.edges):
                out["edges"][type_] = int(r.run(cypher.count_edges(type_))[0]["n"])
        return out

    # the key index (ADR 0019, *Lost keys*) -------------------------------------------

    def check_keys(self) -> KeyCheck:
        """Every node of every label of the model, found by its own key? One read unit.

        Per label two counts (its nodes, and those one key lookup each finds)
        and, only where they differ, the ids: lost (no lookup finds them) or
        shadowed (held by two nodes). Neo4j's keys are uniqueness constraints,
        so it answers ``ok`` through the same Cypher.
        """
        clock = time.perf_counter()
        with self._unit() as r:
            labels = tuple(self._label_keys(r, label) for label in sorted(self.model.nodes))
        return KeyCheck(labels, time.perf_counter() - clock)

    def repair_keys(self, *, unit: int = REPAIR_UNIT) -> KeyRepair:
        """Re-create the nodes whose key is lost, with their edges, then check again.

        Checks under the shared lock, then re-creates the lost nodes ``unit``
        at a time, each batch in a write unit of its own that first asks which
        of its ids are still lost (another writer may have repaired them), so
        a second run, or a run after a write, does nothing. Shadowed ids are
        reported, never touched: which copy is the node is not the store's to
        decide.
        """
        clock = time.perf_counter()
        before = self.check_keys()
        recreated: dict[str, int] = defaultdict(int)
        edges = units = 0
        pending = [i for ids in before.lost.values() for i in ids]
        for part in _chunks(pending, unit):
            with self._unit(write=True) as r:
                lost = {
                    label: still
                    for label, ids in self._group_by_label(part).items()
                    if (still := sorted(set(ids) - self._existing_ids(r, label, ids)))
                }
                if lost:
                    done, made = self._rekey(r, lost)
                    for label, ids in done.items():
                        recreated[label] += len(ids)
                    edges += made
            units += 1
        if recreated:
            log.warning(
                "re-created %s with %d edges: their keys were lost (ADR 0019)",
                ", ".join(f"{n} {label}" for label, n in sorted(recreated.items())),
                edges,
            )
        after = self.check_keys() if pending else before
        return KeyRepair(before, after, dict(recreated), edges, units, time.perf_counter() - clock)

    def _label_keys(self, r: Runner, label: str) -> LabelKeys:
        """One label's keys checked: usually two counts and no ids.

        Only when the counts differ are the ids read (a scan) and looked up by
        key; those not found are lost, and ids two nodes hold are shadowed.
        """
        total = int(r.run(cypher.count_nodes(label))[0]["n"])
        keyed = int(r.run(cypher.keyed_nodes(label))[0]["n"])
        if keyed == total:
            return LabelKeys(label, total, keyed)
        ids = [row[0] for row in r.tabular(cypher.all_ids(label))[1]]
        lost = tuple(sorted(set(ids) - self._existing_ids(r, label, ids)))
        shadowed = tuple(row[0] for row in r.tabular(cypher.shared_ids(label))[1])
        return LabelKeys(label, total, keyed, lost, shadowed)

    # helpers --------------------------------------------------------------------

    def _group_by_label(self, ids: Iterable[str]) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for node_id in dict.fromkeys(ids):
            label = self.model.label_of(node_id)
            if label in self.model.nodes:
                groups[label].append(node_id)
        return groups

    def _fetch_nodes(
        self, r: Runner, label: str, ids: Sequence[str], fields: Sequence[str] | None = None
    ) -> dict[str, Node]:
        out: dict[str, Node] = {}
        node = self.model.node(label)
        props = node.properties if fields is None else self._subset(label, tuple(fields))
        query = cypher.get_nodes(node, list(props))  # id, then the properties in order
        read = self._values_reader(props, range(1, len(props) + 1))
        for part in _chunks(ids):
            for row in r.tabular(query, {"ids": list(part)})[1]:
                out[row[0]] = Node(row[0], label, read(row))
        return out

    def _fetch_edges(
        self, r: Runner, edge: EdgeType, src: str, dst: str, src_ids: Sequence[str]
    ) -> dict[tuple[str, str], Row]:
        out: dict[tuple[str, str], Row] = {}
        for part in _chunks(list(dict.fromkeys(src_ids))):
            for row in _found(r.run(cypher.edges_from(edge, src, dst), {"ids": list(part)})):
                e = self._edge_from(edge, row)
                out[(e.src, e.dst)] = e.props
        return out

    def _existing_ids(self, r: Runner, label: str, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in _chunks(ids):
            found.update(row["id"] for row in r.run(cypher.node_ids(label), {"ids": list(part)}))
        return found

    def _any_nodes(self, r: Runner, label: str) -> bool:
        """Whether ``label`` has any node (a count: cheap in both backends)."""
        return bool(r.run(cypher.count_nodes(label))[0]["n"])

    def _check_endpoints(self, r: Runner, label: str, ids: Sequence[str]) -> None:
        # Nodes created in this unit of work exist: looking them up again was
        # most of an ingest's queries, and each lookup slows as the table grows.
        wanted = [i for i in dict.fromkeys(ids) if i not in self._fresh]
        found = self._existing_ids(r, label, wanted)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise MissingEndpoint(
                f"{len(missing)} edge endpoint(s) of label {label} do not exist, e.g. "
                f"{missing[0]!r}; upsert the nodes before their edges"
            )

    def _rekey(
        self, r: Runner, lost: Mapping[str, Sequence[str]]
    ) -> tuple[dict[str, list[str]], int]:
        """Re-create the nodes of ``lost`` (ids per label) with their edges, as stored.

        For nodes a scan finds but their key does not (LadybugDB, ADR 0019): they
        and their edges are read by scans, deleted, and created again by
        ``CREATE``, which gives each its key again. Values go back as they were
        read, so nothing is converted; the text index keeps its entries (same
        ids, same text). A far end of an edge that its key does not find either
        has lost its key too: it is re-created with them (an edge can only be
        made again between ends found by key). Returns the ids re-created per
        label and how many edges; a far end no scan finds raises ``LostKeys``.
        """
        done: dict[str, list[str]] = defaultdict(list)
        nodes: dict[str, list[Row]] = defaultdict(list)
        edges: dict[tuple[str, str, str], dict[tuple[str, str], Row]] = defaultdict(dict)
        todo = {label: list(ids) for label, ids in lost.items() if ids}
        while todo:
            for label, ids in todo.items():
                done[label] += ids
                found = r.run(cypher.nodes_scanned(self.model.node(label)), {"ids": ids})
                nodes[label] += found
                for edge in self.model.edges.values():
                    for a, b in edge.endpoints:
                        for end, side in (("a", a), ("b", b)):
                            if side == label:
                                query = cypher.edges_scanned(edge, a, b, end)
                                for row in r.run(query, {"ids": ids}):
                                    edges[edge.type, a, b][row["src"], row["dst"]] = row
            gone = {i for ids in done.values() for i in ids}
            far = {i for group in edges.values() for pair in group for i in pair} - gone
            todo = {}
            for label, ids in self._group_by_label(far).items():
                unfound = sorted(set(ids) - self._existing_ids(r, label, ids))
                if unfound:
                    todo[label] = unfound
        for label, rows in nodes.items():
            if len(rows) < len(set(done[label])):
                missing = sorted(set(done[label]) - {row["id"] for row in rows})
                raise LostKeys(
                    f"{len(missing)} {label} node(s) to re-create are found neither by their "
                    f"id nor by a scan, e.g. {missing[0]!r} (ADR 0019)"
                )
        for label, ids in done.items():
            r.run(cypher.delete_scanned(label), {"ids": ids})
        for label, rows in nodes.items():
            node = self.model.node(label)
            for part in _chunks(rows):
                query = cypher.create_nodes(node, _all_null(node.properties, part))
                r.run(query, {"rows": list(part)})
        for (type_, a, b), group in edges.items():
            edge = self.model.edge(type_)
            for part in _chunks(list(group.values())):
                query = cypher.create_edges(edge, a, b, _all_null(edge.properties, part))
                r.run(query, {"rows": list(part)})
        return dict(done), sum(len(group) for group in edges.values())

    def _adjacent(self, r: Runner, ids: Sequence[str], hop: Hop) -> list[Edge]:
        """Every edge of ``hop.types`` touching ``ids``, the frontier of ``hop``.

        One ``UNWIND`` per label and direction; a backend that expands faster
        from a bound start node may use the hop's seeds and number instead,
        and leave out edges to ``hop.done`` nodes.
        """
        out: list[Edge] = []
        types = hop.types
        for label, part in self._group_by_label(ids).items():
            for query in (cypher.adjacent_out(label, types), cypher.adjacent_in(label, types)):
                for row in r.run(query, {"ids": part}):
                    out.append(self._edge_from(self.model.edge(row["e"]["_LABEL"]), row))
        return out

    def _encode_value(self, prop: Property | None, value: Any) -> Any:
        return value if prop is None else encode(prop, value)

    def _encode_row(self, props: Mapping[str, Property], row: Row, *, full: bool) -> Row:
        out = {k: v for k, v in row.items() if k in ("id", "src", "dst")}
        for name, prop in props.items():
            if full or name in row:
                out[name] = self._encode_value(prop, row.get(name))
        return out

    def _decoded(self, props: Mapping[str, Property], raw: Mapping[str, Any]) -> dict[str, Any]:
        """Properties as written, from a stored row: only some types need ``decode``."""
        out = {name: raw.get(name) for name in props}
        for name, prop in self._to_decode(props):
            out[name] = decode(prop, out[name])
        return out

    def _values_reader(
        self, props: Mapping[str, Property], positions: Iterable[int]
    ) -> Callable[[Sequence[Any]], dict[str, Any]]:
        """A function from a result row to the properties as written, each at its position.

        Made once per query: hot reads (a neighbourhood, a node fetch) then
        cost one dict comprehension a row plus the few decodes.
        """
        pairs, todo = tuple(zip(props, positions, strict=True)), self._to_decode(props)
        if not todo:
            return lambda row: {name: row[i] for name, i in pairs}

        def read(row: Sequence[Any]) -> dict[str, Any]:
            out = {name: row[i] for name, i in pairs}
            for name, prop in todo:
                out[name] = decode(prop, out[name])
            return out

        return read

    def _subset(self, label: str, fields: tuple[str, ...]) -> Mapping[str, Property]:
        """The model's properties ``fields`` of ``label``: one mapping per selection, kept,
        so that :meth:`_to_decode` finds it again."""
        key = (label, fields)
        if key not in self._subsets:
            props = self.model.node(label).properties
            unknown = [f for f in fields if f not in props]
            if unknown:
                raise InvalidWrite(f"{label} has no property {unknown[0]!r}")
            self._subsets[key] = {f: props[f] for f in fields}
        return self._subsets[key]

    def _to_decode(self, props: Mapping[str, Property]) -> tuple[tuple[str, Property], ...]:
        found = self._decoding.get(id(props))
        if found is None or found[0] is not props:
            todo = tuple(
                (n, p) for n, p in props.items() if p.type in ("json", "datetime", "float")
            )
            found = self._decoding[id(props)] = (props, todo)
        return found[1]

    def _node_from(self, label: str, raw: Mapping[str, Any]) -> Node:
        return Node(
            id=raw["id"], label=label, props=self._decoded(self.model.node(label).properties, raw)
        )

    def _edge_from(self, edge: EdgeType, row: Mapping[str, Any]) -> Edge:
        raw = row.get("e", row)
        return Edge(
            type=edge.type,
            src=row["src"],
            dst=row["dst"],
            props=self._decoded(edge.properties, raw),
        )

    def close(self) -> None:  # noqa: B027 - backends without resources need nothing
        """Release resources held between units of work."""
