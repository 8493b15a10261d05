"""A resolved entity as some of its mentions allow: pure, for views and purges.

A ``Person`` or ``FacilitatorEntity`` carries values entity resolution chose
from its mentions (a name, a V-number, a birth date). A viewer may see such
a value only if some mention they may see *in full* says it (``full``);
categorical values (nationality, sex, facilitator role) need only a mention
they may see at all (``seen``, pseudonymised ones included). Otherwise an
identifying value becomes a pseudonym (in a view) or is dropped (after a
purge, which passes ``pseudonym=None`` and the surviving mentions).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.security.pseudonyms import normalise
from workbench.security.sharing import Access
from workbench.store.base import Node

Pseudonym = Callable[[str, str], str]


@dataclass(frozen=True)
class Derived:
    """How one property of an entity follows from its mentions' property ``source``."""

    source: str
    kind: str | None  # pseudonym kind, or None: withheld when unsupported
    needs_full: bool
    many: bool = False


COUNT, SOURCES, PHONES = "count", "sources", "phones"
RULES: dict[str, dict[str, Derived | str]] = {
    "Person": {
        "person_id": "keep",
        "name": Derived("name", "name", needs_full=True),
        "v_number": Derived("v_number", "vnumber", needs_full=True),
        "v_numbers": Derived("v_number", "vnumber", needs_full=True, many=True),
        "birth_date": Derived("birth_date", None, needs_full=True),
        "nationality": Derived("nationality", None, needs_full=False),
        "sex": Derived("sex", None, needs_full=False),
        "mentions": COUNT,
        "sources": SOURCES,
    },
    "FacilitatorEntity": {
        "facilitator_id": "keep",
        "alias": Derived("alias", "name", needs_full=True),
        "aliases": Derived("alias", "name", needs_full=True, many=True),
        "roles": Derived("role", None, needs_full=False, many=True),
        "phones": PHONES,
        "mentions": COUNT,
        "sources": SOURCES,
    },
}


def _said(pool: Sequence[Node], prop: str) -> dict[str, str]:
    """What the mentions in ``pool`` say for ``prop``: normalised -> as written.

    Of two spellings that normalise alike (``AHMED Omar``, ``Ahmed Omar``) the
    first in sort order stands, whatever order the mentions were read in: the
    store returns a person's mentions in the order its query plan walks them.

    >>> a = Node("PersonMention:a", "PersonMention", {"name": "Ahmed Omar"})
    >>> b = Node("PersonMention:b", "PersonMention", {"name": "AHMED Omar"})
    >>> list(_said([a, b], "name").values()), list(_said([b, a], "name").values())
    (['AHMED Omar'], ['AHMED Omar'])
    """
    said: dict[str, str] = {}
    for m in pool:
        if (v := m.props.get(prop)) not in (None, ""):
            key, text = normalise(str(v)), str(v)
            if key not in said or text < said[key]:
                said[key] = text
    return said


def _shown(
    value: Any,
    rule: Derived,
    full: Sequence[Node],
    seen: Sequence[Node],
    pseudonym: Pseudonym | None,
) -> Any:
    """``value`` if a mention that may be seen for it says it; its pseudonym if only a
    pseudonymised mention does; else None (nothing visible says it at all)."""
    if normalise(str(value)) in _said(full if rule.needs_full else seen, rule.source):
        return value
    if rule.kind and pseudonym and normalise(str(value)) in _said(seen, rule.source):
        return pseudonym(rule.kind, str(value))
    return None


def _phone(e164: str, access: Callable[[str], Access], pseudonym: Pseudonym | None) -> str | None:
    level = access(e164)
    if level == Access.FULL:
        return e164
    return pseudonym("phone", e164) if level == Access.PSEUDONYMISED and pseudonym else None


def derive_entity(
    entity: Node,
    full: Sequence[Node],
    seen: Sequence[Node],
    *,
    pseudonym: Pseudonym | None,
    phone_access: Callable[[str], Access] = lambda e164: Access.HIDDEN,
) -> Node:
    """``entity`` as the mentions ``full`` (seen in full) and ``seen`` (all visible) allow.

    ``phone_access`` says how much the viewer may see of a phone number's node.

    >>> m = Node("PersonMention:coa|C1|subject|0", "PersonMention",
    ...          {"name": "Amir Tesfay", "nationality": "ERI", "source": "coa"})
    >>> p = Node("Person:P1", "Person", {"person_id": "P1", "name": "AMIR TESFAY",
    ...          "v_number": "1234567890", "nationality": "ERI", "sources": ["coa", "ind"]})
    >>> derive_entity(p, [m], [m], pseudonym=lambda kind, v: kind.upper()).props
    {'person_id': 'P1', 'name': 'AMIR TESFAY', 'v_number': None, 'nationality': 'ERI', \
'sources': ['coa']}
    """
    rules = RULES.get(entity.label, {})
    props: dict[str, Any] = {}
    for name, value in entity.props.items():
        rule = rules.get(name)
        if rule == "keep":
            props[name] = value
        elif rule == COUNT:
            props[name] = len(seen)
        elif rule == SOURCES:
            props[name] = sorted({str(m.props.get("source")) for m in seen})
        elif rule == PHONES:
            props[name] = [p for v in value or [] if (p := _phone(v, phone_access, pseudonym))]
        elif isinstance(rule, Derived) and rule.many:
            shown = [_shown(v, rule, full, seen, pseudonym) for v in value or []]
            props[name] = list(dict.fromkeys(v for v in shown if v is not None))
        elif isinstance(rule, Derived) and value not in (None, ""):
            said = _said(full if rule.needs_full else seen, rule.source)
            if normalise(str(value)) not in said and said:
                props[name] = sorted(said.values())[0]  # a value a visible mention does say
            else:
                props[name] = _shown(value, rule, full, seen, pseudonym)
        elif isinstance(rule, Derived):
            props[name] = value
        else:
            props[name] = None  # a property these rules do not know: withheld
    return Node(id=entity.id, label=entity.label, props=props)
