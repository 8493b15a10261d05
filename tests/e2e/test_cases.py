"""Cases and deconfliction in headless Chromium, from both sides.

Politie's analyst opens a case and adds a cluster; KMar's investigator opens
another and adds one person of that cluster. Both leads then see a
deconfliction notice naming the other lead, and neither can open the other's
case or read anything of it. Screenshots for docs/cases.md.
"""

from __future__ import annotations

from tests.e2e.conftest import Page, Server, settle, sign_in  # a new page load signs out
from tests.e2e.test_browser import shot
from tests.e2e.test_exchange import all_text
from tests.ui.accounts import KMAR_LEAD, OWNER
from workbench.security import AuditLog
from workbench.security.cases import CaseBook

POLITIE_NAME, POLITIE_PURPOSE = "Operatie Noordzee", "smuggling ring via Hoek van Holland"
KMAR_NAME, KMAR_PURPOSE = "ID-straat Schiphol", "forged passports at the ID lane"


def open_case(page: Page, server: Server, user: str, name: str, purpose: str) -> str:
    """Open a case on the Cases page as ``user``; its id, read back from the case book."""
    sign_in(page, f"{server.url}/cases", user)
    page.get_by_text("New case").click()
    page.get_by_label("Name (required)").fill(name)
    page.get_by_label("Purpose (required)").fill(purpose)
    # A text area hands its value to the form when it loses focus: leave it before
    # submitting, or a quick click can submit the form without it (a flaky case).
    page.get_by_label("Purpose (required)").press("Tab")
    page.get_by_role("button", name="Open case").click()
    settle(page)
    page.get_by_text(f"{name} · ").first.wait_for()  # listed under "Your cases"
    return next(c.id for c in CaseBook(server.home).of_member(user) if c.name == name)


def add_to_case(page: Page, server: Server, user: str, address: str) -> None:
    sign_in(page, f"{server.url}/{address}", user)
    page.get_by_text("Add to case").first.click()
    page.get_by_role("button", name="Add to case").click()
    # The page says where the item is once the write is done; waiting for the page to
    # go idle alone could return before the rerun began (seen on a loaded machine).
    page.get_by_text("In your case").first.wait_for()
    settle(page)


def test_two_teams_find_each_other_and_nothing_more(server: Server, page: Page) -> None:
    cluster = server.corpus.clusters[0]
    person = server.corpus.members[cluster][0]

    politie = open_case(page, server, OWNER, POLITIE_NAME, POLITIE_PURPOSE)
    add_to_case(page, server, OWNER, f"clusters?id={cluster}")
    kmar = open_case(page, server, KMAR_LEAD, KMAR_NAME, KMAR_PURPOSE)
    add_to_case(page, server, KMAR_LEAD, f"entity?id={person}")
    assert cluster in CaseBook(server.home).get(politie).items
    assert person in CaseBook(server.home).get(kmar).items

    sides = ((OWNER, politie, KMAR_LEAD, (KMAR_NAME, KMAR_PURPOSE)),
             (KMAR_LEAD, kmar, OWNER, (POLITIE_NAME, POLITIE_PURPOSE)))  # fmt: skip
    # both leads see a notice naming the other lead, on the Cases page and the case page
    for user, mine, other_lead, other in sides:
        sign_in(page, f"{server.url}/cases", user)
        page.get_by_text("Cases (1)").first.wait_for()
        page.locator("td[role=gridcell]", has_text=other_lead).first.wait_for(state="attached")
        text = all_text(page)
        assert other_lead in text and not any(o in text for o in other)
        if user == KMAR_LEAD:
            shot(page, "cases-notice")
        sign_in(page, f"{server.url}/cases?id={mine}", user)
        page.locator("td[role=gridcell]", has_text=other_lead).first.wait_for(state="attached")
        assert not any(o in all_text(page) for o in other)
        if user == OWNER:
            shot(page, "cases-page")

    # neither can open the other's case: to them it does not exist
    for user, _, _, hidden in sides:
        theirs = kmar if user == OWNER else politie
        sign_in(page, f"{server.url}/cases?id={theirs}", user)
        page.get_by_text("no case").first.wait_for()
        assert not any(h in all_text(page) for h in hidden)

    events = AuditLog(server.home).events()
    changes = [(e.actor, e.details.get("change")) for e in events if e.action == "case"]
    assert (OWNER, "open") in changes and (KMAR_LEAD, "add") in changes
    raised = {e.target for e in events if e.action == "deconfliction"}
    assert raised == {politie, kmar}
