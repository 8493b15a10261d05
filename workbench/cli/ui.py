"""The analysts' web UI: ``ui``, and the account ``demo`` signs in with."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import fail, state
from workbench.cli.output import USAGE, stderr
from workbench.config import Settings
from workbench.security import InvalidUser, UnknownUser, operator_session
from workbench.security.manage import add_user
from workbench.security.users import User

log = logging.getLogger(__name__)
APP = Path(__file__).resolve().parents[1] / "ui" / "serve.py"  # app.py + the cookie route
LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEMO_USER, DEMO_ORGANISATION, DEMO_ROLE = "demo", "joint", "analyst"
DEMO_PASSWORD_ENV = "WORKBENCH_DEMO_PASSWORD"  # noqa: S105 - a variable name, not a password
# Partners beside ``demo``, so that the workflows between organisations can be tried:
# an owner's coordinator and analyst, a partner's investigator (exports), and so on.
DEMO_TEAM = (
    ("politie.analyst", "politie", "analyst"),
    ("politie.coordinator", "politie", "coordinator"),
    ("kmar.investigator", "kmar", "investigator"),
    ("kmar.coordinator", "kmar", "coordinator"),
    ("ind.coordinator", "ind", "coordinator"),
    ("coa.analyst", "coa", "analyst"),
    ("coa.coordinator", "coa", "coordinator"),
    ("joint.investigator", "joint", "investigator"),
)


@dataclass(frozen=True)
class DemoAccount:
    """The demo's account, and its password when it was generated just now (else None)."""

    user: User
    created: bool
    generated_password: str | None = None


def ensure_demo_account(settings: Settings, password: str | None) -> DemoAccount:
    """The account ``workbench demo`` signs in with: ``demo``, a joint-team analyst.

    Created once (an audited account change by the local operator), never
    replaced: an existing ``demo`` keeps its password. ``password`` is the one
    chosen (``WORKBENCH_DEMO_PASSWORD``); without one a random password is
    generated and returned, so it can be shown once.
    """
    ctx = operator_session(settings)
    try:
        return DemoAccount(ctx.users.get(DEMO_USER), created=False)
    except UnknownUser:
        pass
    generated = None if password else secrets.token_urlsafe(12)
    user = add_user(
        ctx,
        DEMO_USER,
        organisation=DEMO_ORGANISATION,
        role=DEMO_ROLE,
        password=password or generated,
    )
    return DemoAccount(user, created=True, generated_password=generated)


def ensure_demo_team(settings: Settings, password: str) -> list[DemoAccount]:
    """The partner accounts of :data:`DEMO_TEAM` that did not exist yet, made with ``password``;
    existing ones are kept as they are."""
    ctx = operator_session(settings)
    made = []
    for username, organisation, role in DEMO_TEAM:
        try:
            ctx.users.get(username)
        except UnknownUser:
            user = add_user(ctx, username, organisation=organisation, role=role, password=password)
            made.append(DemoAccount(user, created=True))
    return made


def demo_account(settings: Settings) -> DemoAccount:
    """Make sure the demo account exists and say on stderr how to sign in with it."""
    try:
        account = ensure_demo_account(settings, os.environ.get(DEMO_PASSWORD_ENV) or None)
    except InvalidUser as exc:
        fail(f"{DEMO_PASSWORD_ENV}: {exc}", USAGE)
        raise  # unreachable: fail() exits
    what = f"a {DEMO_ORGANISATION}-team {DEMO_ROLE}"
    if not account.created:
        hint = " (disabled: `workbench users enable demo`)" if account.user.disabled else ""
        lines = [f"demo account exists already{hint}: sign in to the UI as {DEMO_USER!r}"]
    elif account.generated_password:
        lines = [
            f"demo account created ({what}); sign in to the UI with",
            f"  user name: {DEMO_USER}",
            f"  password:  {account.generated_password}",
            f"(shown only now; set {DEMO_PASSWORD_ENV} to choose the password)",
        ]
    else:
        lines = [
            f"demo account created ({what}); sign in to the UI as {DEMO_USER!r}",
            f"with the password in {DEMO_PASSWORD_ENV}",
        ]
    chosen = os.environ.get(DEMO_PASSWORD_ENV) or None
    team_password = chosen or account.generated_password or secrets.token_urlsafe(12)
    team = ensure_demo_team(settings, team_password)
    if team:
        shown = (
            f"the password in {DEMO_PASSWORD_ENV}"
            if chosen
            else "the same password"
            if account.generated_password
            else f"the password {team_password} (shown only now)"
        )
        lines.append(f"partner accounts, each with {shown}:")
        lines += [f"  {a.user.username:22} {a.user.organisation} {a.user.role}" for a in team]
    for line in lines:
        stderr.print(line, markup=False, soft_wrap=True)
    return account


def streamlit_command(host: str, port: int) -> list[str]:
    """The Streamlit command line: headless, no usage statistics, no file watcher.

    >>> cmd = streamlit_command("127.0.0.1", 8501)
    >>> cmd[cmd.index("--browser.gatherUsageStats") + 1], cmd[cmd.index("--server.address") + 1]
    ('false', '127.0.0.1')
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def streamlit_env(home: Path) -> dict[str, str]:
    """The environment for the UI process: this store, and no usage statistics."""
    return {
        **os.environ,
        "WORKBENCH_HOME": str(home.resolve()),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_HEADLESS": "true",
    }


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""

    @app.command()
    def ui(
        host: Annotated[
            str, typer.Option("--host", help="Address to listen on (loopback by default).")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8501,
    ) -> None:
        """Start the web UI (Streamlit) against the configured store, on 127.0.0.1 by default."""
        if host not in LOOPBACK:
            log.warning("the UI listens on %s: reachable from other machines", host)
        command = streamlit_command(host, port)
        stderr.print(f"signal workbench UI on http://{host}:{port}", markup=False)
        # Replace this process: stopping `workbench ui` stops the server with it.
        os.execve(sys.executable, command, streamlit_env(state.settings.home))  # noqa: S606
