"""The audited entry point for dossier exports: the CLI and the UI call only this.

An export takes a cluster out of the workbench, so it needs a role allowed to
export (``workbench.security.roles``: investigator or coordinator) and a
stated reason, and it leaves an ``export`` audit event: who, which cluster,
what format, why, and the SHA-256 of what left. A refusal (no reason, or a
role that may not export) is audited too, with ``outcome`` saying why. The
event is written after rendering and before the document is handed out: if
auditing fails, the document is not returned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.dossier.assemble import DEFAULT_CLASSIFICATION
from workbench.dossier.errors import ExportNotAllowed, ReasonRequired
from workbench.dossier.gather import gather
from workbench.dossier.render import output_format
from workbench.query.dossier import Explain
from workbench.security.policy import Policy
from workbench.security.roles import PERMISSIONS, ROLES, may
from workbench.store.base import GraphStore

Audit = Callable[[str, dict[str, Any]], None]
ACTION = "export"


@dataclass(frozen=True)
class Export:
    """A rendered dossier, ready to save or download."""

    content: bytes
    media_type: str
    filename: str
    sha256: str
    dossier_id: str
    members: int
    signals: int


def check_reason(reason: str | None) -> str:
    """The reason, trimmed; :class:`ReasonRequired` when there is none worth the name.

    >>> check_reason("  request of OM case 2026/17 ")
    'request of OM case 2026/17'
    >>> check_reason(" - ")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    workbench.dossier.errors.ReasonRequired: an export needs a reason
    """
    text = (reason or "").strip()
    if not any(ch.isalnum() for ch in text):
        raise ReasonRequired(
            "an export needs a reason: say who asked for it and why (--reason TEXT)"
        )
    return text


def safe_filename(name: str) -> str:
    """``name`` with anything but letters, digits, dot, dash and underscore replaced.

    >>> safe_filename("dossier-R/1 x|2.pdf")
    'dossier-R_1_x_2.pdf'
    """
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def export_dossier(
    store: GraphStore,
    cluster_id: str,
    *,
    fmt: str,
    reason: str | None,
    policy: Policy,
    audit: Audit,
    classification: str = DEFAULT_CLASSIFICATION,
    now: dt.datetime | None = None,
    explainer: Explain | None = None,
    case: str | None = None,
) -> Export:
    """The dossier of ``cluster_id`` as ``fmt`` (pdf, html, json or csv) for ``policy.viewer``,
    made for ``case`` when one is named (the caller checked the viewer is a member).

    Raises :class:`~workbench.dossier.errors.ExportNotAllowed` or
    :class:`~workbench.dossier.errors.ReasonRequired` (both after auditing the
    refusal), :class:`~workbench.dossier.errors.UnknownFormat`,
    :class:`~workbench.dossier.errors.ClusterNotFound` or
    :class:`~workbench.dossier.errors.RenderError`.
    """
    viewer = policy.viewer
    asked = {"user": viewer.username, "what": "dossier", "cluster": cluster_id, "format": fmt,
             **({"case": case} if case else {})}  # fmt: skip
    if not may(viewer, "export"):
        audit(ACTION, {**asked, "reason": reason or "", "outcome": "refused", "why": "role"})
        roles = " or ".join(r for r in ROLES if r in PERMISSIONS["export"])
        raise ExportNotAllowed(
            f"{viewer.username} ({viewer.role}, {viewer.organisation}) may not export dossiers; "
            f"that needs the role {roles} (on the command line: --as USER)"
        )
    try:
        stated = check_reason(reason)
    except ReasonRequired:
        audit(ACTION, {**asked, "reason": "", "outcome": "refused", "why": "no reason"})
        raise
    form = output_format(fmt)
    doc = gather(
        store,
        cluster_id,
        policy=policy,
        reason=stated,
        classification=classification,
        now=now,
        explainer=explainer,
        audit=audit,
        case=case,
    )
    content = form.render(doc)
    digest = hashlib.sha256(content).hexdigest()
    cluster = doc["cluster"]
    result = Export(
        content=content,
        media_type=form.media_type,
        filename=safe_filename(f"dossier-{cluster['run_id']}-{cluster['number']}.{form.extension}"),
        sha256=digest,
        dossier_id=doc["dossier"]["id"],
        members=len(doc["members"]),
        signals=len(doc["signals"]),
    )
    audit(
        ACTION,
        {
            **asked,
            "outcome": "ok",
            "reason": stated,
            "classification": classification,
            "dossier": result.dossier_id,
            "sha256": digest,
            "bytes": len(content),
            "members": result.members,
            "signals": result.signals,
        },
    )
    return result
