"""What a user may watch, typed as they would type it: pure, no store.

An identifier is normalised with the loaders' own functions (through
``workbench.detect.benign.identifier``, which benign marks use too), so a
phone watched as ``06-12345678`` is the same item as ``+31 6 1234 5678`` in a
partner's record. A person, facilitator or cluster is given by its node id; a
saved search is its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.detect.benign import BenignError, identifier

__all__ = ["IDENTIFIER_KINDS", "KINDS", "NODE_KINDS", "Item", "WatchError", "parse_item"]

IDENTIFIER_KINDS = ("phone", "plate", "document", "alias")
NODE_KINDS = {"person": "Person", "facilitator": "FacilitatorEntity", "cluster": "Cluster"}
KINDS = (*IDENTIFIER_KINDS, *NODE_KINDS, "search")
_KIND_OF_LABEL = {label: kind for kind, label in NODE_KINDS.items()} | {
    "Phone": "phone",
    "Vehicle": "plate",
    "Document": "document",
}
SEARCH_MAX = 200  # characters of a saved search


class WatchError(ValueError):
    """A watch cannot be made or found; the message says what to type instead."""


@dataclass(frozen=True)
class Item:
    """A watched item: its kind, its key (a node id, ``document:NUMBER``, ``alias:KEY`` or a
    search's text) and the text the user typed."""

    kind: str
    key: str
    typed: str


def parse_item(text: str, kind: str | None = None) -> Item:
    """What a user typed, as a watchable item.

    Without ``kind`` a node id names its own kind, and any other value is
    tried as a phone number, then as a plate.

    >>> parse_item("06-12345678").key == parse_item("+31 6 1234 5678", "phone").key
    True
    >>> parse_item("06-12345678").key
    'Phone:+31612345678'
    >>> parse_item("Cluster:R1|4").kind, parse_item("n 0123456", "document").key
    ('cluster', 'document:N0123456')
    >>> parse_item("Abou Omar", "alias").key
    'alias:abuumr'
    >>> parse_item("hawala  Istanboel", "search").key
    'hawala Istanboel'
    """
    text = text.strip()
    if kind is not None and kind not in KINDS:
        raise WatchError(f"--kind must be one of {'|'.join(KINDS)}, not {kind!r}")
    if not text:
        raise WatchError("say what to watch: a phone number, plate, document, alias or node id")
    if kind == "search":
        words = " ".join(text.split())
        if len(words) > SEARCH_MAX:
            raise WatchError(f"a saved search is at most {SEARCH_MAX} characters")
        return Item("search", words, text)
    label, sep, rest = text.partition(":")
    found = _KIND_OF_LABEL.get(label) if sep and rest else None
    if found is not None:
        if kind is not None and kind != found:
            raise WatchError(f"{text!r} is a {found}, not a {kind}")
        if found in NODE_KINDS:
            return Item(found, text, text)
    elif kind in NODE_KINDS:
        raise WatchError(
            f"give a {kind} by its node id, e.g. {NODE_KINDS[kind]}:... "
            "(it is shown on its page and in `--json` output)"
        )
    try:
        ident = identifier(text, kind)
    except BenignError as exc:
        raise WatchError(
            f"{text!r} is not a valid {kind or 'phone number or plate'}; say --kind "
            f"{'|'.join(KINDS)} (a document, alias or saved search needs it)"
        ) from exc
    if ident.kind not in IDENTIFIER_KINDS:
        raise WatchError(f"{ident.kind} cannot be watched; watch one of {', '.join(KINDS)}")
    key = ident.id if ident.kind != "document" else f"document:{ident.value}"
    return Item(ident.kind, key, text)
