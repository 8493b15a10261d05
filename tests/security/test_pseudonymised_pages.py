"""A pseudonymised identifier opens its page, by the pseudonym the viewer was shown only.

COA sees IND's phone (known only from IND's soft signal) under a pseudonym. The
link on the facilitator's page opens the phone's page, pseudonymised; the real
number opens nothing (that would confirm it); and a request for release can be
made from there.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import Context
from tests.security.scenario import IND_PHONE, Ids
from workbench.query import NotFound, Session, entity
from workbench.query.exchange import withheld_behind


def session(ctx_of: Context, user: str) -> Session:
    ctx = ctx_of(user)
    return Session(ctx.store, ctx.policy, ctx.record)  # type: ignore[arg-type]


def test_a_pseudonymised_phone_opens_by_its_pseudonym(ids: Ids, as_user: Context) -> None:
    coa = session(as_user, "coa.analyst")
    shown = [linked.ref.id for linked in entity(coa, ids.facilitator).identifiers]
    phones = [i for i in shown if i.startswith("Phone:") and i != ids.shared_phone]
    assert phones and IND_PHONE not in " ".join(phones), shown
    page = entity(coa, phones[0])
    assert page.ref.id == phones[0] and IND_PHONE not in str(page)
    assert withheld_behind(coa, phones[0]) == {"ind": [ids.ind]}
    with pytest.raises(NotFound):
        entity(coa, ids.ind_phone)  # the real number confirms nothing
    other = session(as_user, "kmar.investigator")
    with pytest.raises(NotFound):
        entity(other, phones[0])  # COA's pseudonym means nothing to KMar
