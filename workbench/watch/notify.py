"""Telling users of new hits outside the workbench: optional, off unless configured.

Nothing leaves the machine unless ``$WORKBENCH_HOME/notify.toml`` exists and
names a target. What is sent is only *that* there are new hits - the user's
name and how many - never an item, a signal or its content, so the
notification carries no personal data; the user reads the hits in the
workbench, where need-to-know applies. ::

    [webhook]
    url = "https://chat.example.org/hooks/workbench"   # POSTs {"user": ..., "new_hits": N}

    [email]
    host = "smtp.example.org"
    port = 25
    sender = "workbench@example.org"
    [email.to]
    "coa.analyst" = "analyst@coa.example.org"

A failing target is logged and skipped: a notification never fails a run.
"""

from __future__ import annotations

import json
import logging
import smtplib
import tomllib
import urllib.request
from collections import Counter
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from workbench.watch.book import Hit

__all__ = ["CONFIG", "notify", "read_config"]

log = logging.getLogger(__name__)
CONFIG = "notify.toml"
TIMEOUT_S = 10


def read_config(home: Path) -> Mapping[str, Any]:
    """The notifier's settings, or nothing when the file is absent or unreadable."""
    path = Path(home) / CONFIG
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.warning("%s cannot be read, no notifications sent: %s", path, exc)
        return {}


def _webhook(url: str, user: str, count: int) -> None:
    body = json.dumps({"user": user, "new_hits": count}).encode()
    request = urllib.request.Request(  # noqa: S310 - the operator configured the URL
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S):  # noqa: S310
        pass


def _email(config: Mapping[str, Any], address: str, user: str, count: int) -> None:
    message = EmailMessage()
    message["From"] = str(config.get("sender", "workbench@localhost"))
    message["To"] = address
    message["Subject"] = f"Signal workbench: {count} new watch hit(s)"
    message.set_content(
        f"{user}, {count} new hit(s) on what you watch. Open the workbench to read them."
    )
    with smtplib.SMTP(str(config["host"]), int(config.get("port", 25)), timeout=TIMEOUT_S) as s:
        s.send_message(message)


def notify(home: Path, hits: Sequence[Hit]) -> int:
    """Tell each user with new hits through the configured targets; how many were sent."""
    config = read_config(home)
    if not config or not hits:
        return 0
    per_user = Counter(h.username for h in hits)
    sent = 0
    for user, count in sorted(per_user.items()):
        webhook = config.get("webhook") or {}
        email = config.get("email") or {}
        address = (email.get("to") or {}).get(user)
        try:
            if webhook.get("url"):
                _webhook(str(webhook["url"]), user, count)
                sent += 1
            if email.get("host") and address:
                _email(email, str(address), user, count)
                sent += 1
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            log.warning("notifying %s of %d new hit(s) failed: %s", user, count, exc)
    return sent
