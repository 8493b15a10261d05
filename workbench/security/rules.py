"""First-match rule tables, shared by the sharing and the retention configuration.

A rule matches on facts of a signal (and of the viewer): each key names a
fact and lists the values it may have; keys left out match anything. Values
are checked against the model's enumerations when the file is read, so a
typo fails loudly instead of silently matching nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from graph_schema import enums
from workbench.security.config import load_yaml
from workbench.security.errors import ConfigError
from workbench.security.roles import ORGANISATIONS

ALIASES = {"soft": "zacht"}
T = TypeVar("T")


def vocabulary() -> dict[str, tuple[str, ...]]:
    """Every fact a rule may match on, with its allowed values."""
    return {
        "owner": tuple(enums.values("source")),
        "viewer": ORGANISATIONS,
        "kind": tuple(enums.values("signal_kind")),
        "theme": tuple(enums.values("theme")),
        "regime": tuple(enums.values("legal_regime")),
    }


@dataclass(frozen=True)
class Match:
    """The conditions of one rule: fact -> allowed values."""

    conditions: Mapping[str, frozenset[str]]

    def matches(self, facts: Mapping[str, str | None]) -> bool:
        """True when every condition holds for ``facts``.

        >>> Match({"kind": frozenset({"hard"})}).matches({"kind": "hard", "theme": "overig"})
        True
        """
        return all(facts.get(key) in allowed for key, allowed in self.conditions.items())


def parse_match(raw: Mapping[str, Any], keys: set[str], where: str) -> Match:
    """The conditions of one rule mapping, whose other keys (``level``...) are in ``keys``."""
    vocab = vocabulary()
    conditions: dict[str, frozenset[str]] = {}
    for key, value in raw.items():
        if key in keys:
            continue
        if key not in vocab:
            known = ", ".join([*vocab, *sorted(keys)])
            raise ConfigError(f"{where}: unknown key {key!r}; expected one of {known}")
        values = value if isinstance(value, list) else [value]
        cleaned = [
            ALIASES.get(str(v).strip().casefold(), str(v).strip().casefold()) for v in values
        ]
        bad = [v for v in cleaned if v not in vocab[key]]
        if bad:
            raise ConfigError(f"{where}: {key} {bad} not among {', '.join(vocab[key])}")
        conditions[key] = frozenset(cleaned)
    return Match(conditions)


def load_rules(
    name: str, home: Path | None, key: str, value: Callable[[Any, str], T]
) -> tuple[tuple[tuple[Match, T], ...], dict[str, Any], Path]:
    """The ``rules`` of config file ``name``: (conditions, ``value(rule[key], where)``) each.

    Also returns the whole mapping and the file it came from (for other keys
    and for messages).
    """
    data, path = load_yaml(name, home)
    rules = data.get("rules")
    if not isinstance(rules, list):
        raise ConfigError(f"{path}: expected a list under 'rules'")
    out: list[tuple[Match, T]] = []
    for n, raw in enumerate(rules, 1):
        where = f"{path} rule {n}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: must be a mapping")
        out.append((parse_match(raw, {key}, where), value(raw.get(key), where)))
    return tuple(out), data, path
