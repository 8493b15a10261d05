"""The dossier's summary paragraph, written from its data (never by hand).

A reader who stops after the cover should still know who, what, when, says
who, and why the workbench flagged the cluster; every figure in the paragraph
is one the dossier lists in full further on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from workbench.dossier.labels import enum_label


def plural(count: int, word: str, words: str | None = None) -> str:
    """``count`` and the word in the right number.

    >>> plural(1, "signal"), plural(3, "signal"), plural(2, "person", "persons")
    ('1 signal', '3 signals', '2 persons')
    """
    return f"{count} {word if count == 1 else (words or word + 's')}"


def _listing(items: Sequence[str]) -> str:
    """Items joined as prose.

    >>> _listing(["a"]), _listing(["a", "b"]), _listing(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summarise(doc: Mapping[str, Any]) -> str:
    """One paragraph: members, signals, organisations, dates, score and its main terms."""
    cluster, members, signals = doc["cluster"], doc["members"], doc["signals"]
    kinds = Counter(m["kind"] for m in members)
    orgs = sorted({s["organisation"] for s in signals})
    sentences = [
        f"Cluster {cluster['number']} of detection run {cluster['run_id']} groups "
        f"{plural(kinds['person'], 'person')} and {plural(kinds['facilitator'], 'facilitator')}."
    ]
    if signals:
        hard = sum(1 for s in signals if s["kind"] == "hard")
        themes = Counter(enum_label("theme", s["theme"]) or "-" for s in signals).most_common()
        timeline = doc["timeline"]
        sentences.append(
            f"They appear in {plural(len(signals), 'signal')} from "
            f"{plural(len(orgs), 'organisation')} ({_listing(orgs)}), dated "
            f"{timeline['first']} to {timeline['last']}: {hard} hard and "
            f"{len(signals) - hard} soft; themes {_listing([f'{t} ({n})' for t, n in themes])}."
        )
    else:
        sentences.append("No source signal of its members is visible to this viewer.")
    terms = sorted(doc["score"]["terms"], key=lambda t: -abs(t["value"]))[:3]
    scored = f"The workbench scored it {doc['score']['total']:.1f}"
    if cluster.get("type"):
        scored += f" and typed it {cluster['type']}"
    if terms:
        scored += "; the largest terms are " + _listing(
            [f"{t['term']} ({t['value']:+.1f})" for t in terms]
        )
    sentences.append(scored + ".")
    central = [m for m in members if m["centrality"] is not None][:1]
    if central:
        m = central[0]
        role = f", {m['role']}" if m["role"] else ""
        sentences.append(f"Most central: {m['ref']} {m['name']}{role}.")
    merged = sum(1 for p in doc["resolution"]["persons"] if len(p["mentions"]) > 1)
    if merged:
        sentences.append(
            f"{plural(merged, 'member is', 'members are')} merged from several records."
        )
    if doc["annotations"]:
        sentences.append(f"Analysts left {plural(len(doc['annotations']), 'annotation')}.")
    return " ".join(sentences)
