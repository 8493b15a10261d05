"""Sharing rules: how much of another organisation's signal a viewer may see.

Read from ``sharing.yaml`` (packaged default, replaced by
``$WORKBENCH_HOME/sharing.yaml``). A viewer's own organisation's signals are
always ``FULL``; for others the first matching rule decides and no match
means ``HIDDEN`` (deny by default). An owner's release lifts one signal to
``FULL`` for the partner(s) named (``releases.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from workbench.security.errors import ConfigError
from workbench.security.rules import Match, load_rules

FILE = "sharing.yaml"
ALL_PARTNERS = "*"


class Access(IntEnum):
    """How much of something a viewer may see; ordered, so ``max`` picks the most."""

    HIDDEN = 0
    PSEUDONYMISED = 1
    FULL = 2


@dataclass(frozen=True)
class SignalFacts:
    """What sharing decides on: a signal's organisation, kind, theme and regime."""

    id: str
    owner: str
    kind: str
    theme: str
    regime: str | None


def signal_owner(signal_id: str) -> str:
    """The organisation a signal belongs to, read from its id (``Signal:SOURCE|RECORD``).

    >>> signal_owner("Signal:ind|IND-2019-0042")
    'ind'
    """
    return signal_id.partition(":")[2].partition("|")[0]


def _level(value: Any, where: str) -> Access:
    level = str(value or "").strip().upper()
    if level not in Access.__members__:
        raise ConfigError(f"{where}: level must be full, pseudonymised or hidden")
    return Access[level]


@dataclass(frozen=True)
class SharingRules:
    """An ordered list of (conditions, level); see ``sharing.yaml`` for the vocabulary."""

    rules: tuple[tuple[Match, Access], ...]
    source: str = "<built in>"

    @classmethod
    def load(cls, home: Path | None) -> SharingRules:
        rules, _, path = load_rules(FILE, home, "level", _level)
        return cls(rules, str(path))

    def level(
        self,
        viewer_org: str,
        signal: SignalFacts,
        releases: Mapping[str, frozenset[str]] | None = None,
    ) -> Access:
        """How much of ``signal`` a user of ``viewer_org`` may see.

        >>> rules = SharingRules.load(None)
        >>> soft = SignalFacts("Signal:ind|IND-1", "ind", "zacht", "mensenhandel", "avg")
        >>> rules.level("coa", soft).name, rules.level("ind", soft).name
        ('PSEUDONYMISED', 'FULL')
        >>> rules.level("coa", soft, {soft.id: frozenset({"coa"})}).name
        'FULL'
        """
        if signal.owner == viewer_org:
            return Access.FULL
        released = (releases or {}).get(signal.id, frozenset())
        if viewer_org in released or ALL_PARTNERS in released:
            return Access.FULL
        facts = {
            "owner": signal.owner,
            "viewer": viewer_org,
            "kind": signal.kind,
            "theme": signal.theme,
            "regime": signal.regime,
        }
        for match, level in self.rules:
            if match.matches(facts):
                return level
        return Access.HIDDEN
