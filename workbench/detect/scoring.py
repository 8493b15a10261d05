"""Cluster scores an analyst can check: a sum of named terms, and a type with reasons.

Like a waterfall of match weights, a score is a list of terms, each with the
points it adds, the quantity it measured, the reason in words and the signals
behind it. The total is the sum of the points. The type label (smuggling,
trafficking, mixed, unknown) is decided separately, from the kind of
evidence, and lists its reasons too.

Everything here is pure: :class:`ClusterFacts` in, :class:`Score` out.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.detect.extract import Payment
from workbench.detect.projection import KINDS, Thing

__all__ = [
    "INDICATORS",
    "ClusterFacts",
    "Score",
    "SignalFacts",
    "Term",
    "score_cluster",
]

THEMES = ("mensensmokkel", "mensenhandel", "terrorisme")
# COA indicator codes that point to trafficking, with how strongly.
INDICATORS: Mapping[str, float] = {
    "SEKSUELE_UITBUITING": 3.0,
    "VERMIST": 2.0,
    "MINDERJARIG": 2.0,
    "SCHULD": 1.5,
    "BEZOEK_ONBEKENDE": 1.0,
    "OPGEHAALD_AUTO": 1.0,
    "GEEN_EIGEN_TELEFOON": 1.0,
    "WERK_ZWART": 0.5,
    "ANGST": 0.5,
}
ROLE_NAMES = {
    "smokkelaar": "smuggler",
    "geldkoerier": "money courier",
    "chauffeur": "driver",
    "ronselaar": "recruiter",
    "onderdak": "shelter provider",
}
SMUGGLING_ROLES = {"smokkelaar": 2.0, "geldkoerier": 2.0, "chauffeur": 1.0, "onderdak": 1.0}


@dataclass(frozen=True)
class SignalFacts:
    """What scoring needs of one signal."""

    id: str
    source: str
    kind: str
    theme: str
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterFacts:
    """Everything a cluster's score is computed from.

    ``records`` maps each member to its signals; ``things`` are the shared
    things that link two or more members (cut down to the cluster) and
    ``link_strength`` is the sum of the internal link weights. ``gained`` is
    the number of members added since the previous run (None for a new
    cluster).
    """

    members: tuple[str, ...]
    records: Mapping[str, tuple[str, ...]]
    signals: Mapping[str, SignalFacts]
    things: Sequence[Thing]
    link_strength: float
    facilitator_roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    payments: Sequence[Payment] = ()
    forged_documents: int = 0
    gained: int | None = None

    @property
    def evidence(self) -> frozenset[str]:
        """The signals asserting the cluster's internal links."""
        return frozenset(s for t in self.things for ss in t.members.values() for s in ss)

    @property
    def link_kinds(self) -> Counter[str]:
        return Counter(t.kind for t in self.things)

    def markers(self, least: int = 3) -> list[Thing]:
        """Shared markers (not mere co-travel or route) that tie ``least`` members or more."""
        return [t for t in self.things if KINDS[t.kind].marker and len(t.members) >= least]

    def shared_facilitators(self) -> list[str]:
        """Facilitators in the cluster named or paid by two or more of its members."""
        return sorted(
            t.centre
            for t in self.things
            if t.kind == "facilitator" and t.centre is not None and len(t.members) >= 3
        )


@dataclass(frozen=True)
class Term:
    """One term of a score: points added, the measured quantity, why, and who says so."""

    term: str
    value: float
    measure: float
    reason: str
    signals: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "value": self.value,
            "measure": self.measure,
            "reason": self.reason,
            "signals": list(self.signals),
        }


@dataclass(frozen=True)
class Score:
    """A cluster's score: the terms, their total, the themes and the type with reasons."""

    terms: list[Term]
    total: float
    themes: list[str]
    type: str
    type_reasons: list[str]

    def term(self, name: str) -> Term | None:
        return next((t for t in self.terms if t.term == name), None)


def _signals_of(facts: ClusterFacts) -> list[SignalFacts]:
    ids = sorted({s for m in facts.members for s in facts.records.get(m, ())})
    return [facts.signals[s] for s in ids if s in facts.signals]


def _members_with(facts: ClusterFacts, test: Any) -> dict[str, list[str]]:
    """Members with at least one signal passing ``test``, with those signals."""
    out: dict[str, list[str]] = {}
    for m in facts.members:
        hits = [
            s for s in facts.records.get(m, ()) if s in facts.signals and test(facts.signals[s])
        ]
        if hits:
            out[m] = hits
    return out


def _flat(groups: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    return tuple(sorted({s for ss in groups.values() for s in ss}))


def _r(x: float) -> float:
    return round(x, 2)


def _terms(facts: ClusterFacts) -> list[Term]:
    n = len(facts.members)
    signals = _signals_of(facts)
    terms = [
        Term("members", _r(math.log2(max(n, 1))), n, f"{n} persons and facilitators linked"),
    ]
    strength = 2 * facts.link_strength / n if n else 0.0
    kinds = ", ".join(f"{c} {k.replace('_', ' ')}" for k, c in sorted(facts.link_kinds.items()))
    terms.append(
        Term(
            "specific_links",
            _r(min(strength, 3.0)),
            _r(strength),
            f"each member's links weigh {strength:.2f} on average (rare shared things weigh "
            f"more); shared: {kinds or 'nothing'}",
            tuple(sorted(facts.evidence)),
        )
    )
    markers = facts.markers()
    named = "; ".join(
        f"{t.kind.replace('_', ' ')} {t.label} ({len(t.members)} members)" for t in markers[:8]
    )
    terms.append(
        Term(
            "shared_markers",
            _r(min(12.0, 4 * math.log2(1 + len(markers)))),
            len(markers),
            f"{len(markers)} facilitators, phones, vehicles, documents or visitors shared by "
            f"three or more members" + (f": {named}" if named else ""),
            tuple(sorted({s for t in markers for ss in t.members.values() for s in ss})),
        )
    )
    themed = _members_with(facts, lambda s: s.theme in THEMES)
    share = len(themed) / n if n else 0.0
    terms.append(
        Term(
            "themes",
            _r(6 * share),
            _r(share),
            f"{len(themed)} of {n} members have a signal on smuggling, trafficking or terrorism",
            _flat(themed),
        )
    )
    hard = [s for s in signals if s.kind == "hard" and s.theme in THEMES]
    terms.append(
        Term(
            "hard_signals",
            _r(3 * math.log2(1 + len(hard))),
            len(hard),
            f"{len(hard)} hard signals (verified facts) on these themes",
            tuple(s.id for s in hard),
        )
    )
    terms.append(_indicator_term(facts))
    terms.append(_facilitator_term(facts))
    terms.append(_money_term(facts))
    docs = facts.forged_documents
    batches = facts.link_kinds.get("document_batch", 0)
    terms.append(
        Term(
            "forged_documents",
            _r(min(4.0, docs) + (3.0 if batches else 0.0)),
            docs,
            f"{docs} false or forged documents"
            + (f", {batches} batch(es) with consecutive numbers" if batches else ""),
        )
    )
    evidence = [facts.signals[s] for s in sorted(facts.evidence) if s in facts.signals]
    sources = sorted({s.source for s in evidence})
    terms.append(
        Term(
            "organisations",
            _r(3.0 * max(0, len(sources) - 1)),
            len(sources),
            f"the links rest on signals of {len(sources)} organisation(s): "
            + (", ".join(sources) or "none"),
        )
    )
    gained = facts.gained or 0
    terms.append(
        Term(
            "growth",
            _r(2 * math.log2(1 + gained)),
            gained,
            f"{gained} members more than in the previous run"
            if facts.gained is not None
            else "new in this run: no previous cluster to compare with",
        )
    )
    return terms


def _indicator_term(facts: ClusterFacts) -> Term:
    seen: dict[str, set[str]] = defaultdict(set)
    sigs: set[str] = set()
    for m in facts.members:
        for s in facts.records.get(m, ()):
            for code in facts.signals[s].indicators if s in facts.signals else ():
                if code in INDICATORS:
                    seen[code].add(m)
                    sigs.add(s)
    points = min(6.0, sum(INDICATORS[c] for c in seen))
    detail = ", ".join(f"{c} ({len(ms)} members)" for c, ms in sorted(seen.items()))
    return Term(
        "coa_indicators",
        _r(points),
        len(seen),
        f"COA trafficking indicators: {detail}" if seen else "no COA trafficking indicators",
        tuple(sorted(sigs)),
    )


def _facilitator_term(facts: ClusterFacts) -> Term:
    shared = facts.shared_facilitators()
    roles = sorted({r for f in shared for r in facts.facilitator_roles.get(f, ())})
    points = 2.0 * len(roles) + min(3, len(shared))
    names = ", ".join(ROLE_NAMES.get(r, r) for r in roles)
    return Term(
        "facilitator_roles",
        _r(points),
        len(roles),
        f"{len(shared)} facilitators named by two or more members"
        + (f", in the roles {names}" if roles else ""),
    )


def _money_term(facts: ClusterFacts) -> Term:
    shared = set(facts.shared_facilitators())
    paid = [p for p in facts.payments if p.payee in shared]
    total = sum(p.amount_eur or 0.0 for p in paid)
    points = min(4.0, math.log10(total)) if total >= 10 else (1.0 if paid else 0.0)
    methods = Counter(p.method for p in paid if p.method)
    how = ", ".join(f"{m} x{c}" for m, c in sorted(methods.items()))
    return Term(
        "money",
        _r(points),
        _r(total),
        f"{len(paid)} payments to facilitators named by two or more members, "
        f"EUR {total:,.0f} in total" + (f" ({how})" if how else ""),
        tuple(sorted({p.signal for p in paid if p.signal})),
    )


def _type(facts: ClusterFacts) -> tuple[str, list[str]]:
    """Smuggling, trafficking, mixed or unknown, from what kind of evidence there is."""
    traffic: list[tuple[float, str]] = []
    smuggle: list[tuple[float, str]] = []
    codes: dict[str, set[str]] = defaultdict(set)
    for m in facts.members:
        for s in facts.records.get(m, ()):
            for code in facts.signals[s].indicators if s in facts.signals else ():
                codes[code].add(m)
    for code in ("SEKSUELE_UITBUITING", "VERMIST", "MINDERJARIG", "SCHULD", "BEZOEK_ONBEKENDE"):
        if codes.get(code):
            traffic.append((INDICATORS[code], f"COA {code} on {len(codes[code])} members"))
    themes = Counter(s.theme for s in _signals_of(facts))
    if themes["mensenhandel"]:
        traffic.append((2.0, f"{themes['mensenhandel']} signals on trafficking"))
    if themes["mensensmokkel"]:
        smuggle.append((2.0, f"{themes['mensensmokkel']} signals on smuggling"))
    roles = {r for f in facts.shared_facilitators() for r in facts.facilitator_roles.get(f, ())}
    if "ronselaar" in roles:
        traffic.append((2.0, "a recruiter (ronselaar) among the facilitators"))
    for role, weight in SMUGGLING_ROLES.items():
        if role in roles:
            smuggle.append((weight, f"a {ROLE_NAMES[role]} ({role}) among the facilitators"))
    if facts.payments:
        smuggle.append((2.0, f"{len(facts.payments)} payments to facilitators"))
    if facts.forged_documents:
        smuggle.append((2.0, f"{facts.forged_documents} false or forged documents"))
    if facts.link_kinds.get("route"):
        smuggle.append((1.0, "travelled the same route within days"))
    for_t, for_s = sum(w for w, _ in traffic), sum(w for w, _ in smuggle)
    reasons = [f"trafficking: {r}" for _, r in traffic] + [f"smuggling: {r}" for _, r in smuggle]
    if max(for_t, for_s) < 2.0:
        return "unknown", reasons or ["no evidence of smuggling or trafficking"]
    if min(for_t, for_s) >= 0.5 * max(for_t, for_s):
        return "mixed", reasons
    return ("trafficking" if for_t > for_s else "smuggling"), reasons


def score_cluster(facts: ClusterFacts) -> Score:
    """Score one cluster and label its type.

    >>> s1 = SignalFacts("S1", "coa", "zacht", "mensenhandel", ("MINDERJARIG", "VERMIST"))
    >>> s2 = SignalFacts("S2", "politie", "hard", "mensenhandel")
    >>> visits = Thing("visitor", "v", "V.", "Person:v",
    ...     {"Person:a": ("S1",), "Person:b": ("S2",), "Person:v": ("S1", "S2")},
    ...     {"Person:a": 1.0, "Person:b": 1.0, "Person:v": 1.0}, 3)
    >>> facts = ClusterFacts(
    ...     members=("Person:a", "Person:b", "Person:v"),
    ...     records={"Person:a": ("S1",), "Person:b": ("S2",), "Person:v": ("S1",)},
    ...     signals={"S1": s1, "S2": s2}, things=[visits], link_strength=2.0)
    >>> score = score_cluster(facts)
    >>> score.type, score.themes, score.total == round(sum(t.value for t in score.terms), 2)
    ('trafficking', ['mensenhandel'], True)
    >>> score.term("shared_markers").measure
    1
    >>> score.term("organisations").measure
    2
    """
    terms = _terms(facts)
    kind, reasons = _type(facts)
    themes = sorted({s.theme for s in _signals_of(facts) if s.theme in THEMES})
    return Score(terms, _r(sum(t.value for t in terms)), themes, kind, reasons)
