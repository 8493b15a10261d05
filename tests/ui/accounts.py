"""Accounts the UI tests sign in with, made the way an operator makes them."""

from __future__ import annotations

from pathlib import Path

from workbench.config import Settings
from workbench.security import operator_session
from workbench.security.manage import add_user

PASSWORD = "correct horse battery staple"  # synthetic test password
ANALYST = "joint.analyst"  # a joint-team analyst: hard signals in full, soft ones pseudonymised
OWNER = "politie.analyst"  # owns the hostile (soft) politie record, so sees it in full
IND = "ind.analyst"  # sees IND's records, which hold the V-numbers, in full
REQUESTER = "coa.analyst"  # asks IND to release what it sees pseudonymised
DECIDER = "ind.coordinator"  # decides IND's incoming requests
KMAR_LEAD = "kmar.investigator"  # leads a KMar case that meets a Politie case
ACCOUNTS = {
    ANALYST: ("joint", "analyst"),
    OWNER: ("politie", "analyst"),
    IND: ("ind", "analyst"),
    REQUESTER: ("coa", "analyst"),
    DECIDER: ("ind", "coordinator"),
    KMAR_LEAD: ("kmar", "investigator"),
}


def add_accounts(home: Path) -> None:
    """Create the test accounts in ``home`` (through the audited governance action)."""
    ctx = operator_session(Settings(home=home))
    for username, (organisation, role) in ACCOUNTS.items():
        add_user(ctx, username, organisation=organisation, role=role, password=PASSWORD)
