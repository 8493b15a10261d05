"""The audited entry point: refusals, audit events, errors, determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from tests.dossier.conftest import INVESTIGATOR, REASON, Audit
from tests.dossier.planted import Planted
from workbench.dossier.errors import (
    ClusterNotFound,
    ExportNotAllowed,
    ReasonRequired,
    UnknownFormat,
)
from workbench.dossier.export import export_dossier
from workbench.security.policy import Unrestricted, Viewer
from workbench.store.base import CypherStore

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _export(store: CypherStore, planted: Planted, **kw: Any) -> Any:
    args: dict[str, Any] = {"fmt": "json", "reason": REASON, "policy": INVESTIGATOR}
    args.update(kw)
    return export_dossier(store, planted.cluster_id, **args)


@pytest.mark.parametrize("reason", [None, "", "   ", " - ", "\t\n"])
def test_refused_without_a_reason_and_the_refusal_is_audited(
    planted_store: CypherStore, planted: Planted, reason: str | None
) -> None:
    audit = Audit()
    with pytest.raises(ReasonRequired, match="reason"):
        _export(planted_store, planted, reason=reason, audit=audit)
    [(action, details)] = audit.events
    assert action == "export" and details["outcome"] == "refused"
    assert details["cluster"] == planted.cluster_id and details["user"] == "ines"


def test_refused_for_a_role_that_may_not_export(
    planted_store: CypherStore, planted: Planted
) -> None:
    audit = Audit()
    analyst = Unrestricted(Viewer("ann", "coa", "analyst"))
    with pytest.raises(ExportNotAllowed, match="investigator or coordinator"):
        _export(planted_store, planted, policy=analyst, audit=audit)
    assert [(a, d["outcome"], d["why"]) for a, d in audit.events] == [("export", "refused", "role")]


def test_an_export_is_audited_with_who_what_why_and_a_digest(
    planted_store: CypherStore, planted: Planted
) -> None:
    audit = Audit()
    done = _export(planted_store, planted, fmt="html", audit=audit, classification="Geheim")
    [(action, details)] = audit.events
    assert action == "export" and details["outcome"] == "ok"
    assert details["user"] == "ines" and details["reason"] == REASON
    assert details["cluster"] == planted.cluster_id and details["format"] == "html"
    assert details["sha256"] == hashlib.sha256(done.content).hexdigest() == done.sha256
    assert details["dossier"] == done.dossier_id and details["classification"] == "Geheim"
    assert done.filename == "dossier-R-2026-02-1.html" and done.media_type.startswith("text/html")
    assert b"GEHEIM" in done.content


def test_no_document_without_an_audit_event(planted_store: CypherStore, planted: Planted) -> None:
    def failing(action: str, details: dict[str, Any]) -> None:
        raise OSError("audit log unavailable")

    with pytest.raises(OSError, match="audit log unavailable"):
        _export(planted_store, planted, audit=failing)


def test_unknown_format_and_cluster_are_typed_errors(
    planted_store: CypherStore, planted: Planted
) -> None:
    with pytest.raises(UnknownFormat, match="pdf, html, json, csv"):
        _export(planted_store, planted, fmt="docx", audit=Audit())
    with pytest.raises(ClusterNotFound, match="workbench clusters"):
        export_dossier(
            planted_store,
            "Cluster:R-0|99",
            fmt="json",
            reason=REASON,
            policy=INVESTIGATOR,
            audit=Audit(),
        )


def test_same_evidence_and_moment_give_the_same_document(
    planted_store: CypherStore, planted: Planted
) -> None:
    first = _export(planted_store, planted, fmt="html", audit=Audit(), now=NOW)
    again = _export(planted_store, planted, fmt="html", audit=Audit(), now=NOW)
    assert first.content == again.content and first.dossier_id == again.dossier_id
