"""Full-text side index for the embedded store (SQLite FTS5).

LadybugDB has no full-text index, so searchable properties (``search: true``
in the model) are copied here. The index may hold ids whose nodes were since
deleted; ``CypherStore.search`` drops those, so committing this index before
the graph is always safe.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ids(id TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    id UNINDEXED, label UNINDEXED, text, tokenize='unicode61 remove_diacritics 2');
"""
_WORD = re.compile(r"\w+", re.UNICODE)


def match_expression(text: str) -> str | None:
    """An FTS5 query for user text: every word must occur, as a prefix.

    Words are quoted, so FTS5 operators in the input are plain text.

    >>> match_expression('al-Hassan OR "x"')
    '"al"* "Hassan"* "OR"* "x"*'
    >>> match_expression("  ;; ") is None
    True
    """
    words = _WORD.findall(text)
    return " ".join(f'"{w}"*' for w in words) if words else None


class TextIndex:
    """One SQLite connection to the side index, used within one unit of work."""

    def __init__(self, path: Path, *, private: bool = False) -> None:
        """``private``: a staged run's copy, which nobody else opens and which is
        fsynced before it is published: no sync per commit, the journal in memory."""
        self.conn = sqlite3.connect(path, timeout=30)
        if private:
            self.conn.execute("PRAGMA synchronous = OFF")
            self.conn.execute("PRAGMA journal_mode = MEMORY")
        self.conn.executescript(_SCHEMA)

    def _rowids(self, ids: Sequence[str]) -> list[int]:
        # An empty index (a first load) holds none of them: no lookup per id.
        if not ids or not self.conn.execute("SELECT EXISTS (SELECT 1 FROM ids)").fetchone()[0]:
            return []
        # A temporary table, not JSON: SQLite's JSON functions cut a string at a NUL.
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(id TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM wanted")
        self.conn.executemany("INSERT OR IGNORE INTO wanted(id) VALUES (?)", [(i,) for i in ids])
        # CROSS JOIN keeps ``wanted`` outside: planned the other way round, the
        # join scanned every id in the index (0.08 s a call at 88k persons).
        rows = self.conn.execute("SELECT doc FROM wanted CROSS JOIN ids USING (id)")
        return [row[0] for row in rows]

    def upsert(self, docs: Sequence[tuple[str, str, str]]) -> None:
        """Add or replace (id, label, text) documents.

        Rowids are assigned here and kept in ``ids``, so replacing or deleting
        a document is a rowid lookup (FTS5 triggers made bulk loads 7x slower).
        """
        self.delete([d[0] for d in docs])
        start = self.conn.execute("SELECT coalesce(max(rowid), 0) + 1 FROM fts").fetchone()[0]
        self.conn.executemany(
            "INSERT INTO fts(rowid, id, label, text) VALUES (?, ?, ?, ?)",
            [(start + n, *doc) for n, doc in enumerate(docs)],
        )
        self.conn.executemany(
            "INSERT INTO ids(id, doc) VALUES (?, ?)",
            [(doc[0], start + n) for n, doc in enumerate(docs)],
        )

    def delete(self, ids: Sequence[str]) -> None:
        rowids = self._rowids(list(ids))
        if rowids:
            self.conn.executemany("DELETE FROM fts WHERE rowid = ?", [(r,) for r in rowids])
            self.conn.executemany("DELETE FROM ids WHERE id = ?", [(i,) for i in ids])

    def search(
        self, text: str, labels: Sequence[str] | None, limit: int
    ) -> list[tuple[str, str, str, float]]:
        expr = match_expression(text)
        if expr is None:
            return []
        return self.conn.execute(
            "SELECT id, label, snippet(fts, 2, '', '', '…', 16), bm25(fts) FROM fts "
            "WHERE fts MATCH ? AND (? IS NULL OR label IN (SELECT value FROM json_each(?))) "
            "ORDER BY bm25(fts) LIMIT ?",
            (expr, None if not labels else 1, json.dumps(list(labels or [])), limit),
        ).fetchall()

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()
