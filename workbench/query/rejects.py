"""Quarantined rows, as the viewer may see them: file, row, field, reason and the value.

A rejected row can hold personal data (``value`` is the offending value as
written), so the policy shows it to its own organisation and to the local
custodian who loaded the file; nobody else sees that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.query import visibility
from workbench.query.session import Session


@dataclass(frozen=True)
class RejectRow:
    """One quarantined row: where it came from and why it was not loaded."""

    id: str
    file: str
    file_sha256: str
    row: int
    field: str
    reason: str
    source: str | None
    record_id: str | None
    value: str | None
    batch_id: str

    def to_dict(self) -> dict[str, Any]:
        """The shape of one row of ``workbench rejects --json``."""
        return {
            "id": self.id,
            "file_sha256": self.file_sha256,
            "file": self.file,
            "source": self.source,
            "row": self.row,
            "field": self.field,
            "reason": self.reason,
            "record_id": self.record_id,
            "value": self.value,
            "batch_id": self.batch_id,
        }


def rejects(session: Session) -> list[RejectRow]:
    """Every quarantined row the viewer may see, by file, row and field; audited."""
    with session.store.reader():
        found = visibility.find(session, "Reject")
    rows = [
        RejectRow(
            id=n.id,
            file=p["file"],
            file_sha256=p["file_sha256"],
            row=int(p["row"]),
            field=p["field"],
            reason=p["reason"],
            source=p.get("source"),
            record_id=p.get("record_id"),
            value=p.get("value"),
            batch_id=p["batch_id"],
        )
        for n in found
        if (p := n.props)
    ]
    rows.sort(key=lambda r: (r.file, r.row, r.field))
    session.record("view", target="rejects", count=len(rows))
    return rows
