"""Governance actions, each permission-checked and audited: accounts, releases, store repair.

The CLI and the UI call these with a :class:`~workbench.security.session.SecurityContext`.
An ``admin`` manages the accounts of their own organisation only (so no
admin can create an account in another organisation and read its signals
through it); the local operator (custodian) manages all of them. Only a
``coordinator`` of the owning organisation releases its signals.
"""

from __future__ import annotations

from workbench.security.errors import InvalidUser, NotFound, PermissionDenied
from workbench.security.releases import Release
from workbench.security.roles import ORGANISATIONS, require
from workbench.security.session import SecurityContext
from workbench.security.users import User
from workbench.store import GraphStore, KeyCheck, KeyRepair


def own_organisation(ctx: SecurityContext, organisation: str, what: str) -> None:
    """Refuse unless the viewer is of ``organisation`` or the local operator."""
    if not ctx.custodian and organisation != ctx.viewer.organisation:
        raise PermissionDenied(
            f"{ctx.viewer.username} ({ctx.viewer.organisation}) may not {what} of "
            f"{organisation}; ask that organisation or the local operator"
        )


def add_user(
    ctx: SecurityContext, username: str, *, organisation: str, role: str, password: str | None
) -> User:
    require(ctx.viewer, "manage_users")
    own_organisation(ctx, organisation, "add accounts")
    user = ctx.users.add(
        username, organisation=organisation, role=role, password=password, by=ctx.viewer.username
    )
    ctx.event("user", target=username, change="add", organisation=organisation, role=role)
    return user


def set_user_disabled(ctx: SecurityContext, username: str, *, disabled: bool) -> User:
    require(ctx.viewer, "manage_users")
    own_organisation(ctx, ctx.users.get(username).organisation, "change accounts")
    user = ctx.users.set_disabled(username, disabled)
    ctx.event("user", target=username, change="disable" if disabled else "enable")
    return user


def _owned_signal(ctx: SecurityContext, store: GraphStore, signal_id: str) -> str:
    """The owner of ``signal_id``, checking the viewer may release it."""
    require(ctx.viewer, "release")
    found = store.get_nodes([signal_id]) if signal_id.startswith("Signal:") else {}
    if signal_id not in found:
        raise NotFound(f"no signal {signal_id!r} (ids look like Signal:ind|IND-2015-0001)")
    owner = str(found[signal_id].props["source"])
    if owner != ctx.viewer.organisation:
        raise PermissionDenied(
            f"only {owner} releases its signals; {ctx.viewer.username} is of "
            f"{ctx.viewer.organisation}"
        )
    return owner


def _partner(to: str | None, owner: str) -> str | None:
    if to is not None and (to not in ORGANISATIONS or to == owner):
        partners = ", ".join(o for o in ORGANISATIONS if o != owner)
        raise InvalidUser(f"--to must be one of {partners} (or left out for all partners)")
    return to


def release_signal(
    ctx: SecurityContext, store: GraphStore, signal_id: str, *, to: str | None = None
) -> Release:
    """Lift ``signal_id`` to full view for ``to`` (every partner when None)."""
    owner = _owned_signal(ctx, store, signal_id)
    release = ctx.releases.add(
        signal_id, owner=owner, to=_partner(to, owner), by=ctx.viewer.username
    )
    ctx.event("release", target=signal_id, change="release", to=release.to, release=release.id)
    return release


def revoke_release(
    ctx: SecurityContext, store: GraphStore, signal_id: str, *, to: str | None = None
) -> list[Release]:
    """Withdraw the releases of ``signal_id`` (to ``to`` only, or all)."""
    owner = _owned_signal(ctx, store, signal_id)
    revoked = ctx.releases.revoke(signal_id, to=_partner(to, owner), by=ctx.viewer.username)
    if not revoked:
        raise NotFound(f"{signal_id} has no active release" + (f" to {to}" if to else ""))
    ctx.event(
        "release", target=signal_id, change="revoke", to=[r.to for r in revoked],
        releases=[r.id for r in revoked],
    )  # fmt: skip
    return revoked


def check_store(ctx: SecurityContext, store: GraphStore) -> KeyCheck:
    """Whether every node is found by its key (read-only; like a purge's dry run, not audited).

    An admin's action: the report names ids of every organisation's records.
    """
    require(ctx.viewer, "maintain_store")
    return store.check_keys()


def repair_store(ctx: SecurityContext, store: GraphStore) -> KeyRepair:
    """Re-create the nodes whose key the store lost (ADR 0019), audited with what it did."""
    require(ctx.viewer, "maintain_store")
    repair = store.repair_keys()
    ctx.event(
        "store_repair",
        target=store.location,
        recreated=repair.recreated,
        edges=repair.edges,
        units=repair.units,
        ids=repair.before.lost,
        ok=repair.ok,
    )
    return repair
