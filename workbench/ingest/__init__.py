"""Ingest: write loaded records to the graph, idempotently, losing nothing.

A record's identity is its source organisation and record id. The same
record again with identical content is a *duplicate* (counted, not stored
twice); the same id with other content is a *conflict*, kept as a Conflict
node for review and never overwriting the first. Rows the loader rejected are
quarantined as Reject nodes with file, row, field and reason. A load is
written in one transaction (a big one in a unit per 50,000 records of a file,
on a staged copy published at once), so a failure leaves nothing
half-written; a file that cannot be read is reported and the other files
still load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import loaders
from graph_schema.limits import Limits
from loaders.records import Issue, LoadResult, Signal, Source
from workbench.collector import gc_paused
from workbench.ingest.mapping import GraphRows, content_hash, signal_id, signal_rows
from workbench.store import GraphStore

log = logging.getLogger(__name__)
# Nodes and edges a record writes: 7.5 on average in a generated 2,000-person corpus.
ROWS_PER_RECORD = 8
# A load of at most this many rows is one unit of work (one commit), a bigger
# one a unit per file. LadybugDB checkpoints at every commit after a COPY, and
# a checkpoint rewrites the last node group of each table written (up to 128k
# rows): at 88k persons a 1% delivery spent 5.4 of its 10.5 CPU seconds in four
# such commits (ADR 0019). One unit of 250k rows holds ~0.6 GB more memory.
ONE_UNIT_ROWS = 250_000
# Records a unit of a big load writes (~2M graph rows; ADR 0019). Each unit's commit
# checkpoints, and a checkpoint's cost grows with the store: a million-row load in units
# of 150k records spent 96 of 404 profiled CPU s committing (6.1x the 250k-row load's
# 15.6). Units of 250k: 255 s and 9.5 GB instead of 272 s and 8.2 GB (still below
# resolution's peak).
RECORDS_PER_UNIT = 250_000
# Fewest bytes a record takes per format in the generated corpora (IND CSV 237,
# KMar JSON Lines 675, COA workbook 71), rounded down.
BYTES_PER_RECORD = {".csv": 200, ".jsonl": 600, ".xlsx": 64}


@dataclass
class FileReport:
    """What happened to one file. ``loaded + duplicates + conflicts + rejected == rows``."""

    path: str
    source: str | None
    rows: int = 0
    loaded: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    warnings: int = 0
    error: str | None = None
    rejects: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class LoadReport:
    """The report of one ``workbench load``."""

    batch_id: str
    files: list[FileReport]

    @property
    def ok(self) -> bool:
        """True when every file could be read (row rejects do not count)."""
        return all(f.error is None for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"batch_id": self.batch_id, "files": [asdict(f) for f in self.files]}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def batch_id_for(checksums: Sequence[str], source: str | None) -> str:
    """The same files (and source override) always make the same batch id."""
    text = "\n".join(sorted(checksums)) + f"\n{source or ''}"
    return "B-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def ingest(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    source: Source | None = None,
    operator: str = "local-operator",
    progress: Callable[[str], None] | None = None,
    limits: Limits | None = None,
) -> LoadReport:
    """Load ``paths`` into ``store`` and report per file; ``limits`` bound each file."""
    # A load holds every record and graph row of its files alive and builds no
    # cycles: collector passes find nothing but walk them all (docs/decisions/0001).
    with gc_paused():
        return _ingest(
            store, paths, source=source, operator=operator, progress=progress, limits=limits
        )


def _ingest(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    source: Source | None,
    operator: str,
    progress: Callable[[str], None] | None,
    limits: Limits | None,
) -> LoadReport:
    checksums = {p: file_sha256(p) for p in paths if p.is_file()}
    batch_id = batch_id_for(list(checksums.values()), source)
    reports = []
    # One delivery becomes visible at once, and a big one never holds readers
    # up: it is written on a staged copy of the store (ADR 0016), in one unit
    # or, when big, a unit per file (ADR 0019). Loading it again is a no-op, so
    # a load killed before it published is simply run again. Each file is read
    # just before it is written and let go after: a load holds one file's
    # records and graph rows, not all of them (ADR 0019).
    rows = sum(estimated_rows(p) for p in checksums)
    with store.staged(rows=rows), store.writer() if rows <= ONE_UNIT_ROWS else nullcontext():
        batch = _start_batch(store, batch_id, operator)
        files = []
        for path in paths:
            if progress:
                progress(str(path))
            if path in checksums:
                result = loaders.load(path, source=source, limits=limits)
            else:
                result = LoadResult(path=str(path), source=source, error=f"{path}: not a file")
            files.append(_file_entry(result, checksums.get(path, "")))
            reports.append(_write_file(store, batch_id, result, checksums.get(path, "")))
            del result
        if batch is not None:  # made by this load: now its files are known
            with store.writer() as w:
                w.upsert_nodes("LoadBatch", [{**batch, "files": files}])
    return LoadReport(batch_id=batch_id, files=reports)


def estimated_rows(path: Path) -> int:
    """Graph rows a file will write, from its size, erring high: whether a load is staged
    or one unit is decided before its files are read (ADR 0019)."""
    return ROWS_PER_RECORD * path.stat().st_size // BYTES_PER_RECORD.get(path.suffix, 64)


def _start_batch(store: GraphStore, batch_id: str, operator: str) -> dict[str, Any] | None:
    """The LoadBatch node, created once (reloading the same files changes nothing).

    Returns its row when this load created it (its files are listed at the end).
    """
    if store.get_nodes([f"LoadBatch:{batch_id}"]):
        return None
    batch = {
        "batch_id": batch_id,
        "started_at": dt.datetime.now(dt.UTC),
        "operator": operator,
        "files": [],
        "signals": [],
    }
    with store.writer() as w:
        w.upsert_nodes("LoadBatch", [batch])
    return batch


def _file_entry(result: LoadResult, sha: str) -> dict[str, Any]:
    return {
        "name": Path(result.path).name,
        "path": result.path,
        "source": result.source,
        "sha256": sha,
        "rows": result.rows,
        "error": result.error,
    }


def _write_file(store: GraphStore, batch_id: str, result: LoadResult, sha: str) -> FileReport:
    report = FileReport(
        path=result.path,
        source=result.source,
        rows=result.rows,
        error=result.error,
        warnings=len(result.warnings),
    )
    report.rejected = result.rejected_rows
    report.rejects = [
        {"row": r.row, "record_id": r.record_id, "field": r.field, "reason": r.reason}
        for r in result.rejects
    ]
    if result.error:
        log.warning("file rejected: %s", result.error)
        return report
    # A big file is written in parts of RECORDS_PER_UNIT records, each its own
    # unit (within a staged run, invisible until it publishes): a part's graph
    # rows and its transaction are what a load holds in memory (ADR 0019).
    records = result.records
    for start in range(0, max(len(records), 1), RECORDS_PER_UNIT):
        rejects = result.rejects if start == 0 else []
        _write_records(store, batch_id, result, records[start : start + RECORDS_PER_UNIT],
                       rejects, sha, report)  # fmt: skip
    log.info(
        "%s: %d loaded, %d duplicates, %d conflicts, %d rejected",
        result.path,
        report.loaded,
        report.duplicates,
        report.conflicts,
        report.rejected,
    )
    return report


def _write_records(
    store: GraphStore,
    batch_id: str,
    result: LoadResult,
    records: Sequence[Signal],
    rejects: Sequence[Issue],
    sha: str,
    report: FileReport,
) -> None:
    """One unit: ``records`` of a file (duplicates and conflicts counted into ``report``)
    and the file's ``rejects``."""
    ids = [signal_id(rec.source, rec.record_id) for rec in records]
    known = {i: n.props["content_hash"] for i, n in store.get_nodes(ids).items()}
    graph = GraphRows()
    conflicts = []
    for rec, sid in zip(records, ids, strict=True):
        digest = content_hash(rec.raw)
        first = known.get(sid)
        if first == digest:
            report.duplicates += 1
        elif first is not None:
            report.conflicts += 1
            conflicts.append((rec, sid, digest))
        else:
            known[sid] = digest
            report.loaded += 1
            graph.extend(signal_rows(rec, batch_id=batch_id, digest=digest))
    for rec, sid, digest in conflicts:
        cid = graph.node(
            "Conflict",
            {
                "source": rec.source,
                "record_id": rec.record_id,
                "content_hash": digest,
                "raw": rec.raw,
                "file": Path(rec.file).name,
                "row": rec.row,
                "batch_id": batch_id,
                "status": "open",
                "signals": [sid],
            },
        )
        graph.edge("CONFLICTS_WITH", cid, sid, signals=[sid])
        graph.edge("LOADED_IN", cid, f"LoadBatch:{batch_id}", signals=[sid])
    for reject in rejects:
        graph.node(
            "Reject",
            {
                "file_sha256": sha,
                "file": Path(result.path).name,
                "source": result.source,
                "row": reject.row,
                "field": reject.field,
                "reason": reject.reason,
                "record_id": reject.record_id,
                "value": reject.value,
                "batch_id": batch_id,
                "signals": [],
            },
        )
    with store.writer() as w:
        for label, nodes in graph.nodes.items():
            w.upsert_nodes(label, list(nodes.values()))
        for type_, edges in graph.edges.items():
            w.upsert_edges(type_, edges)
