"""The embedded default backend: LadybugDB in ``$WORKBENCH_HOME``, no server.

Measured properties that shape this module (see docs/decisions/0001):
- a second process may open the database read-write unhindered, which
  corrupts it, so every unit of work holds ``graph.lock`` (shared to read,
  exclusive to write) and opens the database only for that unit;
- ``COPY ... FROM $batch`` of an Arrow table is two orders of magnitude
  faster than ``UNWIND ... MERGE`` and is transactional, so new nodes and
  edges are copied and only changed ones go through ``SET``;
- aware datetimes lose their offset unconverted, so times go in as naive UTC;
- a writer killed mid-transaction leaves a WAL that is replayed, tolerating
  a torn tail, on the next open;
- readers wait for a writer's whole unit, so a big run (a load, a
  resolution, a detection run) writes a staged copy and publishes it by a
  rename (``staged``, ``staging.py``, docs/decisions/0016).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, closing, contextmanager, suppress
from itertools import chain
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa

from graph_schema.ddl import embedded_column, embedded_ddl
from graph_schema.model import EdgeType, Model, NodeType, Property
from workbench.config import BUFFER_POOL_MB, DIRECT_ROWS
from workbench.store import cypher, staging
from workbench.store.base import CypherStore, Edge, Hop, Row, Runner, SearchHit, encode
from workbench.store.errors import InvalidWrite, LostKeys, StoreError, StoreUnavailable
from workbench.store.fts import TextIndex
from workbench.store.locking import locked

log = logging.getLogger(__name__)

# A staged run's copy checkpoints when its log grows past this (ADR 0019): a
# delivery checkpoints once, at its end; a first load of a million rows every
# few hundred MB, so its memory stays bounded.
STAGED_CHECKPOINT_BYTES = 256 * 1024 * 1024
# Times a write puts lost keys back (by re-creating their nodes) before it fails
# (ADR 0019); once has always been enough.
REKEY_ATTEMPTS = 2
# A write unit checks the keys of a label it grew by at least 1 / this (ADR 0019).
CHECK_SHARE = 20

ARROW_TYPES = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "strings": pa.list_(pa.string()),
    "json": pa.string(),
}


# Column types whose Arrow values are the very ones ``get_all`` gives (None for null):
# scalars and lists of them. Nodes and relationships come back as objects instead.
_SCALARS = ("STRING", "INT64", "INT32", "INT16", "INT8", "DOUBLE", "FLOAT", "BOOL", "DATE",
            "TIMESTAMP")  # fmt: skip
ARROW_READ = frozenset((*_SCALARS, *(f"{t}[]" for t in _SCALARS)))


class LadybugRunner(Runner):
    """Runs parameterised Cypher on one LadybugDB connection."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def tabular(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        """Column names and rows as lists, for hot paths that need no dict per row."""
        try:
            result = self.conn.execute(query, dict(params or {}))
        except RuntimeError as exc:
            raise StoreError(f"embedded store rejected a query: {exc}") from exc
        columns = result.get_column_names()
        if not all(t in ARROW_READ for t in result.get_column_data_types()):
            return columns, result.get_all()  # nodes and relationships as objects
        # Column by column through Arrow: a fifth faster than row by row (``get_all``)
        # on the scans of a million-row store (the persons' RESOLVED_TO ends 2.3 -> 1.8 s).
        values = [c.to_pylist() for c in result.get_as_arrow(0).columns]
        return columns, [list(row) for row in zip(*values, strict=True)]


def _column(prop: Property | None, values: list[Any]) -> pa.Array:
    """One Arrow column, converting only the types LadybugDB cannot take as-is.

    Arrow reads lists and tuples alike, so string lists go in uncopied.
    """
    if prop is None:
        return pa.array(values, type=pa.string())
    if prop.type == "json":
        values = [None if v is None else encode(prop, v) for v in values]
    elif prop.type == "datetime":
        values = [None if v is None else v.astimezone(dt.UTC).replace(tzinfo=None) for v in values]
    return pa.array(values, type=ARROW_TYPES[prop.type])


def _arrow_table(
    props: Mapping[str, Property], rows: Sequence[Row], ends: Sequence[str]
) -> pa.Table:
    """Rows as an Arrow table: the ``ends`` columns (``id`` or ``from``/``to``), then properties.

    A property no row gives is a column of nulls, made without reading the rows.
    """
    given = set(chain.from_iterable(rows))
    columns = {name: _column(None, [row[name] for row in rows]) for name in ends}
    for name, prop in props.items():
        columns[name] = (
            _column(prop, [row.get(name) for row in rows])
            if name in given
            else pa.nulls(len(rows), ARROW_TYPES[prop.type])
        )
    return pa.table(columns)


def _commit(conn: ladybug.Connection) -> None:
    """COMMIT; a failed checkpoint *after* a durable commit is logged, not raised.

    LadybugDB checkpoints right after a large commit; when that runs out of
    buffer pool it reports the commit as durable (replayed from the WAL on the
    next open), so failing the unit of work would make the caller retry
    work that is already stored.
    """
    try:
        conn.execute("COMMIT")
    except RuntimeError as exc:
        if "committed successfully" not in str(exc):
            raise
        log.warning("store committed; its checkpoint will finish on the next open (%s)", exc)


def _rollback(conn: ladybug.Connection) -> None:
    with suppress(RuntimeError):  # a failed query may have ended the transaction already
        conn.execute("ROLLBACK")


class EmbeddedStore(CypherStore):
    """LadybugDB graph plus a SQLite FTS5 side index, both under ``home``."""

    kind = "embedded"
    # Each COPY has a fixed cost: 95k nodes copied in one go took 0.31-0.33 s,
    # in 20k chunks 0.40-0.43 s. An Arrow table of 100k rows is a few MB.
    _create_chunk = 100_000

    def __init__(
        self,
        home: Path,
        model: Model,
        *,
        lock_timeout: float = 120.0,
        buffer_pool_mb: int = BUFFER_POOL_MB,
        direct_rows: int = DIRECT_ROWS,
    ) -> None:
        super().__init__(model)
        self.home = Path(home)
        self.db_path = self.home / staging.GRAPH
        self.location = str(self.db_path)
        self.lock_timeout = lock_timeout
        self.buffer_pool = buffer_pool_mb * 1024 * 1024
        self.direct_rows = direct_rows
        self._stage: Path | None = None  # the copy a staged run writes, while it runs
        self._staged: tuple[ladybug.Database, TextIndex] | None = None  # the copy, kept open
        self._fts: TextIndex | None = None
        self._copied: Counter[str] = Counter()  # nodes the open transaction COPYed, per label
        self._touching: dict[str, set[str]] = {label: set() for label in model.nodes}  # types
        self._columns: dict[tuple[tuple[str, ...], tuple[str, ...] | None], list[str]] = {}
        # An edge's direction seen from one end, from the labels of both ends,
        # except where a type is allowed both ways between them (Cluster LINEAGE).
        self._leaves: dict[tuple[str, str, str], bool] = {}
        self._two_way: set[str] = set()
        for e in model.edges.values():
            for a, b in e.endpoints:
                if (b, a) in e.endpoints:
                    self._two_way.update((a, b))
                self._leaves[e.type, a, b], self._leaves[e.type, b, a] = True, False
                self._touching[a].add(e.type)
                self._touching[b].add(e.type)

    # units of work ---------------------------------------------------------------

    @contextmanager
    def _open(self, *, write: bool) -> Iterator[Runner]:
        if self._stage is not None:
            with self._staged_unit(write=write) as runner:
                yield runner
            return
        db_path = self.db_path
        self.home.mkdir(parents=True, exist_ok=True)
        with ExitStack() as held:
            if write:
                held.enter_context(self._write_lock())
            held.enter_context(
                locked(self.home / "graph.lock", exclusive=write, timeout=self.lock_timeout)
            )
            if write and (stage := staging.leftover(self.home)) is not None:
                staging.settle(stage, self.home)
            if not write and not db_path.exists():
                raise StoreUnavailable(
                    f"no store at {db_path}: run `workbench status` or a load to create it"
                )
            db = self._database(db_path, write=write)
            held.callback(db.close)
            fts = held.enter_context(closing(TextIndex(self.home / staging.SEARCH)))
            with self._transaction(db, fts, write=write) as runner:
                yield runner

    def _database(self, path: Path, *, write: bool, **options: Any) -> ladybug.Database:
        try:
            return ladybug.Database(
                str(path),
                read_only=not write,
                buffer_pool_size=self.buffer_pool,
                throw_on_wal_replay_failure=False,
                **options,
            )
        except RuntimeError as exc:
            raise StoreUnavailable(f"cannot open the store at {path}: {exc}") from exc

    @contextmanager
    def _transaction(
        self, db: ladybug.Database, fts: TextIndex, *, write: bool
    ) -> Iterator[Runner]:
        """One unit of work on an open database: a transaction when writing."""
        # Reads are small lookups, where handing work to a pool of threads
        # cost a third of a 2-hop neighbourhood's query time.
        conn = ladybug.Connection(db) if write else ladybug.Connection(db, num_threads=1)
        self._fts = fts
        try:
            runner = LadybugRunner(conn)
            if write:
                conn.execute("BEGIN TRANSACTION")
                self._copied = Counter()
            try:
                yield runner
            except BaseException:
                if write:
                    _rollback(conn)
                    fts.rollback()
                raise
            if write:
                fts.commit()  # before the graph: extra index entries are harmless
                _commit(conn)
                self._keep_keys(conn, runner)
        finally:
            self._fts = None
            conn.close()

    @contextmanager
    def _staged_unit(self, *, write: bool) -> Iterator[Runner]:
        """A unit of a staged run: a transaction on the copy the run keeps open.

        Closing a LadybugDB database checkpoints it, and a checkpoint rewrites
        the last node group of every table the unit touched (up to 128k rows
        of signals with their raw records): the cost of a unit on a big store
        was its checkpoint, not its rows. The run's copy stays open between
        its units instead, checkpointing when its log passes
        ``STAGED_CHECKPOINT_BYTES``; nobody else reads it (ADR 0019).
        """
        if self._staged is None:
            assert self._stage is not None
            db = self._database(
                self._stage / staging.GRAPH,
                write=True,
                checkpoint_threshold=STAGED_CHECKPOINT_BYTES,
            )
            self._staged = (db, TextIndex(self._stage / staging.SEARCH, private=True))
        db, fts = self._staged
        with self._transaction(db, fts, write=write) as runner:
            yield runner

    def _close_staged(self) -> None:
        """Checkpoint and close the copy a staged run kept open (the checkpoint is the close's)."""
        if self._staged is not None:
            db, fts = self._staged
            self._staged = None
            fts.close()
            db.close()

    def _keep_keys(self, conn: ladybug.Connection, r: Runner) -> None:
        """After a commit that copied nodes: every node of those labels is found by its key.

        LadybugDB 0.22 can drop keys of a label's committed nodes from its key
        index when a later transaction ``COPY``s many nodes into the label (3 of
        349,194 mentions in a load of 88,000 persons; ADR 0019). Such a node is
        still there, but a lookup by id misses it, so the next unit of the run
        would copy it again or fail on its edges. The check asks the database
        for one key lookup per node of each label copied into (~2 us a node);
        a lost key is put back by re-creating its node and edges in a
        transaction of its own (``_rekey``), and a key that stays lost fails
        the write, naming the ids.

        A label is checked after a commit that copied at least ``1 / CHECK_SHARE``
        of its nodes: every loss seen came from a commit that about doubled the
        label, none from commits of a tenth or a twentieth. Checking every unit
        cost a key lookup per node of the label per unit: a resolution writing
        725k links in units of 50k spent ~15 s on it at 225k rows (~10 minutes
        extrapolated to a million rows), and a direct delivery of a hundred
        records into a million mentions would hold readers up 4-9 s.
        """
        copied, self._copied = self._copied, Counter()
        labels = [
            label
            for label in sorted(copied)
            if copied[label] * CHECK_SHARE >= r.run(cypher.count_nodes(label))[0]["n"]
        ]
        if not labels:
            return
        for attempt in range(REKEY_ATTEMPTS + 1):
            clock = time.perf_counter()
            checked = [self._label_keys(r, label) for label in labels]
            log.debug("keys of %s checked (%.2f s)", labels, time.perf_counter() - clock)
            if shadowed := {k.label: k.shadowed for k in checked if k.shadowed}:
                named = "; ".join(f"{k}: {', '.join(ids[:5])}" for k, ids in shadowed.items())
                raise LostKeys(
                    f"ids held by two nodes after a write ({named}): a node whose key was lost "
                    "was written again. Keep the store as it is and report it "
                    "(docs/decisions/0019)."
                )
            lost = {k.label: list(k.lost) for k in checked if k.lost}
            if not lost:
                return
            named = "; ".join(
                f"{len(ids)} {label}: {', '.join(ids[:5])}" for label, ids in lost.items()
            )
            if attempt == REKEY_ATTEMPTS:
                raise LostKeys(
                    f"the store holds nodes it cannot find by their id after a write ({named}); "
                    "re-creating them did not help. A staged run (a big load, a resolution) is "
                    "not published; a small write is committed with them. Keep the store as it "
                    "is and report it (docs/decisions/0019)."
                )
            conn.execute("BEGIN TRANSACTION")
            try:
                done, _ = self._rekey(r, lost)
            except BaseException:
                _rollback(conn)
                raise
            _commit(conn)
            log.warning("the key index lost %s: re-created them with their edges", named)
            labels = sorted(done)  # the re-creation inserted keys there: check those again

    def _write_lock(self) -> AbstractContextManager[None]:
        """Held by every writer: one at a time, whether it writes the store or a copy."""
        return locked(self.home / "write.lock", exclusive=True, timeout=self.lock_timeout)

    @contextmanager
    def staged(self, rows: int) -> Iterator[None]:
        """Group one run's writes: readers see all of them at once, or none, never waiting long.

        A write of at most ``direct_rows`` rows is one unit of work on the
        store, short enough to hold its lock. A bigger one works on a copy of
        the store (``staging``), unit by unit, while readers read the store
        as it was; the copy is then renamed over the store under the lock
        (ADR 0016). Reads inside go to the copy, so the run sees its writes.
        """
        if self._stage is not None:
            yield  # already inside a staged run
            return
        if rows <= self.direct_rows:
            with self.writer():
                yield
            return
        if self._runner is not None:
            raise InvalidWrite("a staged run cannot start inside an open unit of work")
        self.home.mkdir(parents=True, exist_ok=True)
        lock = self.home / "graph.lock"
        with self._write_lock():
            if (left := staging.leftover(self.home)) is not None:
                with locked(lock, exclusive=True, timeout=self.lock_timeout):
                    staging.settle(left, self.home)
            clock = time.perf_counter()
            with locked(lock, exclusive=False, timeout=self.lock_timeout):
                stage = staging.copy_store(self.home)
            log.info("staged a copy of the store (%.1f s)", time.perf_counter() - clock)
            self._stage = stage
            try:
                yield
                self._close_staged()
                if (stage / staging.WAL).exists():  # a checkpoint left for the next open
                    with self._open(write=True):
                        pass
                    self._close_staged()
            except BaseException:
                self._close_staged()
                shutil.rmtree(stage, ignore_errors=True)
                raise
            finally:
                self._stage = None
            staging.seal(stage)
            clock = time.perf_counter()
            with locked(lock, exclusive=True, timeout=self.lock_timeout):
                staging.publish(stage, self.home)
            log.info("published the run (%.3f s under the lock)", time.perf_counter() - clock)

    def ensure_schema(self) -> None:
        """Create missing tables and add missing columns; never drops anything."""
        if self.db_path.exists() and not self._schema_changes():
            return
        with self._unit(write=True) as r:
            for statement in self._schema_changes(r):
                log.info("schema: %s", statement)
                r.run(statement)

    def _schema_changes(self, r: Runner | None = None) -> list[str]:
        if r is None:
            with self._unit() as reader:
                return self._schema_changes(reader)
        tables = {row["name"] for row in r.run("CALL show_tables() RETURN *")}
        out = [stmt for name, stmt in embedded_ddl(self.model).items() if name not in tables]
        kinds: list[tuple[str, Mapping[str, Property]]] = [
            (n.label, n.properties) for n in self.model.nodes.values()
        ] + [(e.type, e.properties) for e in self.model.edges.values()]
        for name, props in kinds:
            if name not in tables:
                continue
            have = {row["name"] for row in r.run(f"CALL table_info('{name}') RETURN *")}
            out += [
                f"ALTER TABLE {name} ADD {p.name} {embedded_column(p)}"
                for p in props.values()
                if p.name not in have
            ]
        return out

    # backend hooks -----------------------------------------------------------------

    def _encode_value(self, prop: Property | None, value: Any) -> Any:
        value = value if prop is None else encode(prop, value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    def _create_nodes(self, r: Runner, node: NodeType, rows: list[Row]) -> None:
        table = _arrow_table(node.properties, rows, ["id"])
        r.run(f"COPY {node.label} FROM $batch", {"batch": table})
        self._copied[node.label] += len(rows)

    def _create_edges(self, r: Runner, edge: EdgeType, src: str, dst: str, rows: list[Row]) -> None:
        table = _arrow_table(edge.properties, rows, ["src", "dst"])
        r.run(f"COPY {edge.type} FROM $batch (from='{src}', to='{dst}')", {"batch": table})

    def _shortest_path(
        self, r: Runner, a: str, b: str, max_depth: int
    ) -> tuple[list[Row], list[Row]] | None:
        a_label, b_label = self.model.label_of(a), self.model.label_of(b)
        rows = r.run(
            f"MATCH p = (a:{a_label} {{id: $a}})-[* SHORTEST 1..{int(max_depth)}]-"
            f"(b:{b_label} {{id: $b}}) RETURN nodes(p) AS nodes, rels(p) AS rels",
            {"a": a, "b": b},
        )
        if not rows:
            return None
        nodes = rows[0]["nodes"]
        internal = {(n["_ID"]["table"], n["_ID"]["offset"]): n["id"] for n in nodes}

        def ref(x: Mapping[str, int]) -> str:
            return str(internal[(x["table"], x["offset"])])

        rels = [{"src": ref(e["_SRC"]), "dst": ref(e["_DST"]), "e": e} for e in rows[0]["rels"]]
        return nodes, rels

    def _adjacent(self, r: Runner, ids: Sequence[str], hop: Hop) -> list[Edge]:
        """One query per seed and hop, from the bound seed (``cypher.hop_edges``).

        Asking per frontier node cost ~0.4 ms a node. Edges back to the
        hop's ``done`` nodes are left out (a fifth of a 2-hop's rows). Reading
        the second hop together with the first saved no time: the wider union
        of edge property columns cost what the query saved.
        """
        out: list[Edge] = []
        label_of = self.model.label_of
        wanted = list(dict.fromkeys(ids))
        labels = sorted({label_of(i) for i in wanted})
        first, types = hop.number == 0, hop.types
        for seed in dict.fromkeys(hop.seeds):
            if first and seed not in wanted:
                continue
            label = label_of(seed)
            near = [label] if first else labels
            directed = not self._two_way.isdisjoint(near)
            columns = self._edge_columns(near, types)
            query = cypher.hop_edges(
                label, hop.number, labels, columns, directed=directed, types=types
            )
            params = {"seed": seed} if first else {"seed": seed, "ids": wanted, "done": hop.done}
            out += self._edges(r.tabular(query, params)[1], columns, directed)
        return out

    def _edges(self, rows: list[list[Any]], columns: list[str], directed: bool) -> Iterator[Edge]:
        """Edges from ``hop_edges`` rows: node, type, other end, [``_out``], properties.

        An edge's direction comes from the model (ids name their label)
        unless a label pair is allowed both ways, where the row says it:
        asking the store for it doubles a query's cost.
        """
        leaves_of = self._leaves
        at = {name: i for i, name in enumerate(columns, start=4 if directed else 3)}
        reading: dict[str, Callable[[Sequence[Any]], dict[str, Any]]] = {}  # per edge type
        for row in rows:
            x, type_, b = row[0], row[1], row[2]
            read = reading.get(type_)
            if read is None:
                spec = self.model.edge(type_).properties
                read = reading[type_] = self._values_reader(spec, [at[p] for p in spec])
            props = read(row)
            if directed:
                leaves = row[3]
            else:  # ids are "Label:key"
                leaves = leaves_of[type_, x.partition(":")[0], b.partition(":")[0]]
            yield Edge(type_, x, b, props) if leaves else Edge(type_, b, x, props)

    def _edge_columns(self, labels: Sequence[str], types: Sequence[str] | None) -> list[str]:
        """The properties of the edge types (of ``types``) that may touch ``labels``.

        One column each: a name has one type across edge types (a test
        checks), so the columns of several types line up.
        """
        key = (tuple(labels), None if types is None else tuple(types))
        found = self._columns.get(key)
        if found is None:
            touching = set().union(*(self._touching[label] for label in labels))
            names = {
                p
                for t in touching
                if types is None or t in types
                for p in self.model.edges[t].properties
            }
            found = self._columns[key] = sorted(names)
        return found

    def _text_index(self) -> TextIndex:
        if self._fts is None:
            raise StoreError("the text index is only open inside a unit of work")
        return self._fts

    def _index_text(self, r: Runner, docs: list[tuple[str, str, str]]) -> None:
        self._text_index().upsert(docs)

    def _unindex_text(self, r: Runner, ids: Sequence[str]) -> None:
        self._text_index().delete(ids)

    def _search(
        self, r: Runner, text: str, labels: Sequence[str] | None, limit: int
    ) -> list[SearchHit]:
        return [
            SearchHit(id=i, label=label, snippet=snippet, rank=rank)
            for i, label, snippet, rank in self._text_index().search(text, labels, limit)
        ]
