"""The explanation of a stored link is rebuilt when read (ADR 0002, sixth round); a viewer
sees it exactly as the policy shapes a stored one: the values of a mention it may not read
in full are withheld."""

from __future__ import annotations

from tests.security.conftest import Context
from tests.security.scenario import Ids
from workbench.query import Session
from workbench.query.persons import person_links
from workbench.resolve import decide, resolve
from workbench.resolve.api import explained
from workbench.security.policy import Access
from workbench.store.embedded import EmbeddedStore


def session(ctx_of: Context, user: str) -> Session:
    ctx = ctx_of(user)
    return Session(ctx.store, ctx.policy, ctx.record)  # type: ignore[arg-type]


def test_a_rebuilt_explanation_withholds_what_a_stored_one_would(
    ids: Ids, as_user: Context, embedded: EmbeddedStore
) -> None:
    resolve(embedded, operator="test")  # links the IND and COA mentions, too weak to merge
    decide(embedded, ids.coa_pm, ids.ind_pm, "same", author="x", reason="one person")
    links = embedded.find_nodes("MatchDecision", {"judgement": "suggested"})
    assert links and all(d.props.get("explanation") is None for d in links)
    compared, withheld = 0, 0
    for user in ("coa.analyst", "ind.analyst", "kmar.investigator"):
        viewer = session(as_user, user)
        person = next(e.dst for e in embedded.find_edges("RESOLVED_TO", src=[ids.coa_pm]))
        shown = {(x.left, x.right): x for x in person_links(viewer, person)}
        # As a stored explanation: the rebuilt link through the same policy.
        fresh = session(as_user, user)
        for d in explained(embedded, links):
            seen = fresh.policy.view_node(d)
            if seen is None or (d.props["left"], d.props["right"]) not in shown:
                continue
            got = shown[(d.props["left"], d.props["right"])]
            assert [c.__dict__ for c in got.contributions] == seen.props["explanation"]
            compared += 1
            for side in ("left", "right"):
                (name,) = [getattr(c, side) for c in got.contributions if c.feature == "name"]
                if fresh.policy.access(d.props[side]) == Access.FULL:
                    assert name is not None
                else:
                    assert name is None
                    # The group a share was counted among is the hidden side's nationality,
                    # and the share within it goes with it.
                    assert all(c.among is None for c in got.contributions)
                    grouped = {t["feature"] for t in d.props["explanation"] if t.get("among")}
                    assert all(c.frequency is None for c in got.contributions
                               if c.feature in grouped)  # fmt: skip
                    withheld += 1
    assert compared and withheld, (compared, withheld)
