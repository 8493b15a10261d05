"""A real ``workbench ui`` on 127.0.0.1 and Debian's Chromium driven by Playwright.

Chromium is found at ``$WORKBENCH_CHROMIUM`` or ``/usr/bin/chromium``. When it
is missing the tests skip with the reason, except under ``CI=true``, where
they fail: CI must run them (``make test`` installs it). Every request that
leaves the loopback interface is aborted and fails the test that made it.
The store gets the test accounts (``tests/ui/accounts.py``); each test signs
in (:func:`sign_in`): a user's first time through the form, later with the
session cookie that sign-in got.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import Built, copy_home, make_store
from tests.ui.accounts import IND, PASSWORD, REQUESTER
from tests.ui.corpus import PERSONS, Corpus
from workbench.config import Settings
from workbench.query import Session, entity, search
from workbench.query.benign import markable
from workbench.query.exchange import withheld_behind
from workbench.security import session_for
from workbench.store import GraphStore

Page = Any  # playwright.sync_api.Page, imported lazily (the tests skip without Chromium)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Until `ui` is registered in workbench/cli/main.py, add it the way main.py will.
LAUNCH = (
    "from workbench.cli import ui\n"
    "from workbench.cli.main import app\n"
    "names = {c.name or getattr(c.callback, '__name__', '') for c in app.registered_commands}\n"
    "if 'ui' not in names: ui.register(app)\n"
    "app()\n"
)


def chromium() -> str:
    path = os.environ.get("WORKBENCH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if Path(path).exists():
        return path
    message = f"Chromium not found at {path}: install it with `apt-get install -y chromium`"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must run the browser tests)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"workbench ui exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"workbench ui did not answer at {url} within {timeout} s")


def settle(page: Page) -> None:
    """Wait until Streamlit has finished running the page's script."""
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_timeout(120)
    page.wait_for_selector(IDLE, state="attached")
    raised = page.locator('[data-testid="stException"]')
    assert raised.count() == 0, f"the page raised: {raised.first.inner_text()[:2000]}"


def fill_sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form shown on the current page."""
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


COOKIE = "workbench_session"
SIGNED_IN: dict[tuple[str, str], list[Any]] = {}  # (server, user): the cookie a form sign-in got


def session_cookie(page: Page, timeout: float = 10) -> Any | None:
    """The session cookie, once the page's component has traded its ticket for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cookie = next((c for c in page.context.cookies() if c["name"] == COOKIE), None)
        if cookie is not None:
            return cookie
        page.wait_for_timeout(100)
    return None


def sign_in(page: Page, url: str, username: str = IND, *, form: bool = False) -> None:
    """Open ``url`` (a page, with its query) signed in as ``username``; wait for the page.

    Every test is a new browser context, so a new Streamlit session. A user's
    first sign-in goes through the form; later ones present the session cookie it
    got, as that user's browser would (``form=True``: through the form, always).
    """
    key = (urlparse(url)._replace(path="", query="", fragment="").geturl(), username)
    page.context.clear_cookies()  # whoever was signed in on this page is not now
    if not form and key in SIGNED_IN:
        page.context.add_cookies(SIGNED_IN[key])
    page.goto(url)
    settle(page)
    if page.get_by_text(f"Signed in as {username}").count():
        return  # the cookie signed this context in (a sign-out elsewhere would have ended it)
    fill_sign_in(page, username)
    page.get_by_role("button", name="Sign out").wait_for()
    settle(page)
    cookie = None if form else session_cookie(page)
    if cookie is not None:
        SIGNED_IN[key] = [cookie]


def findable_person(store: GraphStore, home: Path, corpus: Corpus) -> tuple[str, str, str]:
    """A member of the first cluster the e2e user finds by V-number and sees by name:
    its id, name and V-number (the policy decides which, so ask it)."""
    ctx = session_for(Settings(home=home), IND, store=store)
    session = Session(store, ctx.policy)  # looking, not auditing
    population = corpus.truth["population"]
    for pid in corpus.members[corpus.clusters[0]]:
        p = population.get(pid.partition(":")[2])
        if not p or not p.get("v_number"):
            continue
        hits = search(session, p["v_number"])
        if any(h.ref.id == pid for h in hits) and entity(session, pid).ref.caption == p["name"]:
            return pid, p["name"], p["v_number"]
    raise AssertionError(f"{IND} can find no member of {corpus.clusters[0]} by V-number")


def withheld_cluster(store: GraphStore, home: Path, corpus: Corpus) -> tuple[str, dict[str, str]]:
    """A cluster behind which COA's analyst sees at least three IND signals (with text)
    pseudonymised, the fewest such: the exchange's browser test asks for them."""
    ctx = session_for(Settings(home=home), REQUESTER, store=store)
    session = Session(store, ctx.policy)
    found: list[tuple[int, str, dict[str, str]]] = []
    for cid in corpus.clusters:
        ind = withheld_behind(session, cid).get("ind", [])
        texts = {i: n.props.get("text") for i, n in store.get_nodes(ind).items()}
        if len(ind) >= 3 and all(texts.values()):
            found.append((len(ind), cid, {i: str(texts[i]) for i in ind}))
    assert found, f"no cluster with three IND signals withheld from {REQUESTER}"
    _, cluster_id, signals = min(found)
    return cluster_id, signals


def shared_identifier(store: GraphStore, home: Path, corpus: Corpus) -> tuple[str, str]:
    """A cluster whose members share an identifier the e2e user sees as it is (to mark benign)."""
    session = Session(store, session_for(Settings(home=home), IND, store=store).policy)
    for cid in corpus.clusters:
        shared = markable(session, cid)
        if shared:
            return cid, shared[0][0]
    raise AssertionError(f"no cluster with an identifier {IND} may mark benign")


@dataclass
class Server:
    url: str
    corpus: Corpus
    home: Path
    person: tuple[str, str, str]  # id, name, V-number of a person the e2e user may see
    exchange: tuple[str, dict[str, str]]  # a cluster; the IND signals (-> text) COA cannot read
    review_mentions: list[str]  # the mentions of the review queue's pairs
    benign: tuple[str, str]  # a cluster, and an identifier its members share that IND sees
    timings: dict[str, float | int] = field(default_factory=dict)


@pytest.fixture(scope="session")
def server(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    chromium()
    work = tmp_path_factory.mktemp("e2e")
    template, corpus = built(int(os.environ.get("WORKBENCH_E2E_PERSONS", PERSONS)))
    home = copy_home(template, work / "home")
    store = make_store("embedded", home)
    person = findable_person(store, home, corpus)
    exchange = withheld_cluster(store, home, corpus)
    review = [
        m for n in store.find_nodes("MatchDecision") for m in (n.props["left"], n.props["right"])
    ]
    benign = shared_identifier(store, home, corpus)
    store.close()
    port = free_port()
    log = (work / "ui.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "--home", str(home), "ui", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=work,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        server = Server(url, corpus, home, person, exchange, review, benign)
        yield server
        if server.timings:
            sys.stderr.write(f"\nUI timings (s): {server.timings}\n")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@dataclass
class Watch:
    """What the page tried that it must not: external requests, dialogs."""

    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: object, watch: Watch) -> Iterator[object]:
    from playwright.sync_api import Browser, Dialog, Route

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def guard(route: Route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            watch.external.append(url)
            route.abort()

    def dialog(d: Dialog) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("dialog", dialog)
    # A page's rerun after a write waits for the store beside the rest of the suite's
    # workers on two cores; 30 s was exceeded there (session 20), never on its own.
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
    assert not watch.external, f"requests left the machine: {watch.external}"
    assert not watch.dialogs, f"dialogs opened: {watch.dialogs}"
