"""The analysts' web UI: ``ui``."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import state
from workbench.cli.output import stderr

log = logging.getLogger(__name__)
APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
