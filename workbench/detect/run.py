"""One detection run, end to end: read, project, detect, explain, compare, write.

A run reads evidence and identity, and analysts' verdicts and benign marks,
and writes only analysis results - a ``DetectionRun``, its ``Cluster`` nodes
with ``MEMBER_OF`` edges, ``LINEAGE`` to the previous run's clusters and
``Alert`` nodes - published at once for readers (ADR 0016). Identifiers
marked benign are left out of the projection like hubs
(``benign_left_out``); once analysts have judged enough clusters, the
clusters are ranked by a model learned from their verdicts (``learning``),
else by the hand-set score. It never touches evidence. With the same data
and parameters it finds the same clusters, so a second run labels every
cluster ``same`` and raises no alert.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import igraph as ig  # type: ignore[import-untyped]

from graph_schema.model import model
from workbench.collector import gc_paused
from workbench.detect import (
    benign,
    extract,
    learning,
    lineage,
    memo,
    networks,
    results,
    verdicts,
)
from workbench.detect.communities import (
    ALGORITHMS,
    DetectionError,
    component_communities,
    gds_leiden,
    to_igraph,
)
from workbench.detect.projection import KINDS, Projection, Thing, project
from workbench.detect.roles import MemberRole, Reach, betweenness, member_roles, network_reach
from workbench.detect.scoring import ClusterFacts, Score, SignalFacts, score_cluster
from workbench.detect.subgraphs import Subgraphs
from workbench.detect.suggest import adamic_adar
from workbench.store import GraphStore, Node

__all__ = ["GDS", "DetectionParams", "RunReport", "detect", "gds_for"]

log = logging.getLogger(__name__)

GDS = "gds-leiden"
WRITES = ("DetectionRun", "Cluster", "Alert", "MEMBER_OF", "IN_RUN", "LINEAGE", "ABOUT")
HUBS_KEPT = 50  # largest hubs listed in the run record


def _default_weights() -> dict[str, float]:
    return {k.name: k.weight for k in KINDS.values()}


@dataclass(frozen=True)
class DetectionParams:
    """Everything a run's result depends on besides the data; stored with the run."""

    algorithm: str = "leiden"
    seed: int = 1
    resolution: float = 0.02
    objective: str = "CPM"
    trials: int = 10
    runs: int = 20  # consensus: Leiden runs per round
    hub_size: int = 50
    hub_sizes: Mapping[str, int] = field(default_factory=dict)  # per kind, where it differs
    min_size: int = 3
    window_days: int = 4
    batch_gap: int = 10
    weights: Mapping[str, float] = field(default_factory=_default_weights)
    lineage_share: float = 0.5
    alert_min_score: float = 25.0
    suggestions: int = 10
    exact_betweenness: int = 2000
    betweenness_epsilon: float = 0.05
    betweenness_delta: float = 0.1
    tie: float = 0.5  # marker link weight that ties two clusters into one wider network

    def __post_init__(self) -> None:
        if self.algorithm not in (*ALGORITHMS, GDS):
            raise DetectionError(
                f"unknown algorithm {self.algorithm!r}; "
                f"choose one of {', '.join(sorted((*ALGORITHMS, GDS)))}"
            )
        if self.algorithm == GDS and self.objective != "modularity":
            raise DetectionError(
                "GDS Leiden optimises modularity only: set objective='modularity' with a "
                "modularity resolution (e.g. 1.0), or use the leiden algorithm"
            )
        if self.resolution <= 0:
            raise DetectionError(f"resolution must be positive, not {self.resolution}")
        if self.trials < 1 or self.runs < 1:
            raise DetectionError("trials and runs must be at least 1")
        if self.hub_size < 2 or self.min_size < 2:
            raise DetectionError("hub_size and min_size must be at least 2")
        unknown = (set(self.weights) | set(self.hub_sizes)) - set(KINDS)
        if unknown:
            raise DetectionError(
                f"weights or hub sizes for unknown kinds {sorted(unknown)}; known: {sorted(KINDS)}"
            )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["weights"] = dict(sorted(self.weights.items()))
        out["hub_sizes"] = dict(sorted(self.hub_sizes.items()))
        return out


@dataclass
class RunReport:
    """What a run did, for the CLI and the scheduler's log."""

    run_id: str
    clusters: int
    seconds: float
    alerts: int
    lineage: dict[str, int]
    hubs: int
    input_counts: dict[str, Any]
    benign_left_out: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, Any] = field(default_factory=dict)
    reused_components: int = 0  # components of the projection taken from the memo
    components: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def code_version() -> str:
    """The package version and a digest of this package's source: what exactly ran."""
    try:
        version = importlib.metadata.version("signal-workbench")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return f"{version}+detect.{digest.hexdigest()[:12]}"


@dataclass
class _Cluster:
    """A cluster while the run is being assembled."""

    vertices: list[int]
    members: list[str]
    things: list[Thing] = field(default_factory=list)
    roles: list[MemberRole] = field(default_factory=list)
    score: Score | None = None
    relation: str = "new"
    id: str = ""
    probability: float | None = None
    learned_terms: list[dict[str, Any]] | None = None
    network: int | None = None  # index of its wider network, if tied to other clusters
    cross: list[dict[str, Any]] = field(default_factory=list)  # its links into that network
    part: int = -1  # its connected component of the projection (``memo.parts``)
    strength: float = 0.0  # the weight of its links
    suggestions: list[dict[str, Any]] = field(default_factory=list)


def _cluster_things(projection: Projection, clusters: Sequence[_Cluster]) -> None:
    """Give each cluster the shared things that link two or more of its members."""
    where = {m: i for i, c in enumerate(clusters) for m in c.members}
    members = [set(c.members) for c in clusters]  # once, not per thing
    for thing in projection.things:
        touched = {where[m] for m in thing.members if m in where}
        for i in sorted(touched):
            part = thing.restricted(members[i])
            if part.links_within() >= 2:
                clusters[i].things.append(part)


def _facts(
    cluster: _Cluster,
    records: Mapping[str, set[str]],
    signals: Mapping[str, SignalFacts],
    strength: float,
    context: _Context,
    gained: int | None,
) -> ClusterFacts:
    return ClusterFacts(
        members=tuple(cluster.members),
        records={m: tuple(sorted(records.get(m, ()))) for m in cluster.members},
        signals=signals,
        things=cluster.things,
        link_strength=strength,
        facilitator_roles={
            m: tuple(sorted(context.roles[m])) for m in cluster.members if m in context.roles
        },
        payments=[p for _, p in sorted(x for m in cluster.members for x in context.paid(m))],
        forged_documents=len({d for m in cluster.members for d in context.forged.get(m, ())}),
        gained=gained,
    )


@dataclass
class _Context:
    roles: dict[str, set[str]]
    # by payer, with each payment's place among all (scanning all per cluster was quadratic)
    payments: dict[str, list[tuple[int, extract.Payment]]]
    forged: dict[str, set[str]]

    def paid(self, member: str) -> list[tuple[int, extract.Payment]]:
        return self.payments.get(member, [])


def _signal_facts(nodes: Mapping[str, Node]) -> dict[str, SignalFacts]:
    return {
        i: SignalFacts(
            i,
            str(n.props["source"]),
            str(n.props["kind"]),
            str(n.props["theme"]),
            tuple(n.props.get("indicators") or ()),
        )
        for i, n in nodes.items()
    }


def gds_for(store: GraphStore) -> Callable[[ig.Graph, float, int], list[list[int]]]:
    """GDS Leiden in this store's Neo4j database, or DetectionError saying what is missing."""
    driver = getattr(store, "driver", None)
    if store.kind != "neo4j" or driver is None:
        raise DetectionError(
            "gds-leiden needs the Neo4j store (WORKBENCH_STORE=neo4j) with the Graph Data "
            "Science plugin; use --algorithm leiden on the embedded store"
        )
    database = getattr(store, "database", None)

    def run_query(query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        with driver.session(database=database) as session:
            return [dict(r) for r in session.run(query, dict(params))]

    try:
        run_query("RETURN gds.version() AS version", {})
    except Exception as exc:  # the driver's errors vary by server version
        raise DetectionError(f"the Neo4j server has no usable GDS plugin: {exc}") from exc

    def run(graph: ig.Graph, resolution: float, seed: int) -> list[list[int]]:
        return gds_leiden(run_query, graph, resolution=resolution, seed=seed)

    return run


def _find(
    subgraphs: Subgraphs,
    params: DetectionParams,
    store: GraphStore,
    split: Sequence[memo.Part],
    kept: memo.Memo,
) -> tuple[list[list[int]], dict[int, dict[str, Any]]]:
    """The communities of the graph of ``subgraphs``, and the memo's entry for each part
    it had (by part index)."""
    graph = subgraphs.graph
    if params.algorithm == GDS:
        found = gds_for(store)(graph, params.resolution, params.seed)
        return [c for c in found if len(c) >= params.min_size], {}
    index = {name: v for v, name in enumerate(graph.vs["name"])} if graph.vcount() else {}
    out: list[list[int]] = []
    hits: dict[int, dict[str, Any]] = {}
    for k, part in enumerate(split):
        entry = kept.get(part.digest)
        if entry is not None:
            hits[k] = entry
            out += [[index[m] for m in c] for c in entry["communities"]]
            continue
        out += component_communities(
            subgraphs,
            part.vertices,
            params.algorithm,
            min_size=params.min_size,
            seed=params.seed,
            resolution=params.resolution,
            objective=params.objective,
            trials=params.trials,
            runs=params.runs,
        )
    return sorted(out), hits


def detect(
    store: GraphStore,
    params: DetectionParams | None = None,
    *,
    now: dt.datetime | None = None,
    memo_path: Path | None = None,
) -> RunReport:
    """Run detection on the store and write the versioned result.

    With ``algorithm="gds-leiden"`` the community step runs in Neo4j GDS
    (see ``communities.gds_leiden``); everything else is the same. With
    ``memo_path`` the run reuses the previous run's work on the components
    of the projection that did not change, and leaves its own there
    (``memo``); the result is the same as without.
    """
    # Millions of small acyclic objects (edges, incidences, things, links): the
    # cyclic collector finds nothing in them but rescans them all again and
    # again, which made reading the store superlinear (as in the generator).
    with gc_paused():
        return _detect(store, params or DetectionParams(), now, memo_path)


def _detect(
    store: GraphStore, params: DetectionParams, now: dt.datetime | None, memo_path: Path | None
) -> RunReport:
    clock = time.perf_counter()
    started = now or dt.datetime.now(dt.UTC)
    run_id = f"R-{started:%Y%m%dT%H%M%S%f}Z"
    facts = extract.read_facts(store)
    with store.reader():
        marks = benign.Marks.of(benign.live_marks(store))
    incidences = extract.incidences(
        facts, window_days=params.window_days, batch_gap=params.batch_gap
    )
    touched = len(incidences)
    projection = project(
        incidences,
        hub_size=params.hub_size,
        hub_sizes=params.hub_sizes,
        weights=params.weights,
        benign=_left_out(facts, marks),
    )
    del incidences  # only their count is reported; the projection keeps what it needs
    log.info("projection: %d members, %d links, %d hubs (%.1f s)", len(projection.members),
             len(projection.links), len(projection.hubs), time.perf_counter() - clock)  # fmt: skip
    graph = to_igraph(projection)
    subgraphs = Subgraphs(graph)
    split = memo.parts(graph, projection, params.min_size)
    usable = memo_path if params.algorithm != GDS else None  # GDS: the whole graph at once
    kept = memo.Memo.load(usable, memo.header(code_version(), params.to_dict()))
    found, hits = _find(subgraphs, params, store, split, kept)
    log.info("%s: %d communities, %d of %d components reused (%.1f s)", params.algorithm,
             len(found), len(hits), len(split), time.perf_counter() - clock)  # fmt: skip
    clusters = _clusters(graph, projection, found, split)
    wider = _local(clusters, subgraphs, projection, params, hits)
    with store.reader():
        previous = results.latest_run(store)
        before = results.run_snapshots(store, previous.props["run_id"]) if previous else {}
    current = {str(i): frozenset(c.members) for i, c in enumerate(clusters)}
    matched = lineage.match(
        {k: v.members for k, v in before.items()}, current, share=params.lineage_share
    )
    records = facts.records()
    _score(clusters, facts, records, matched, before, params)
    log.info("scored clusters, %d wider networks (%.1f s)", len(wider),
             time.perf_counter() - clock)  # fmt: skip
    ranker = _rank(store, clusters, matched, records)
    order = sorted(range(len(clusters)), key=lambda i: _order(clusters[i], ranker))
    for number, i in enumerate(order, start=1):
        clusters[i].id = model().node_id("Cluster", {"run_id": run_id, "number": number})
    rows = _rows(run_id, clusters, order, records, ranker, wider)
    renamed = matched.renamed({str(i): c.id for i, c in enumerate(clusters)})
    raised = (
        lineage.alerts(
            renamed,
            {c.id: _snapshot(c) for c in clusters},
            before,
            min_score=params.alert_min_score,
            names={clusters[i].id: f"#{n}" for n, i in enumerate(order, start=1)},
        )
        if previous is not None
        else []  # a first run has nothing to compare with: every cluster would be "new"
    )
    counts: dict[str, Any] = {
        **facts.counts(),
        "incidences": touched,
        "things": len(projection.things),
        "links": len(projection.links),
        "projected_members": len(projection.members),
        "hubs": [asdict(h) for h in projection.hubs[:HUBS_KEPT]],
        "hub_count": len(projection.hubs),
        "benign_left_out": _benign_report(projection, marks),
        "previous_run": previous.props["run_id"] if previous else None,
        "lineage": lineage.summary(renamed),
        "wider_networks": len(wider),
    }
    finished = dt.datetime.now(dt.UTC)
    log.info("writing the run (%.1f s)", time.perf_counter() - clock)
    _write(store, run_id, started, finished, params, counts, rows, renamed, raised, ranker)
    if usable is not None:
        kept.save(usable, _memo_entries(split, graph, found, clusters, wider))
    seconds = round(time.perf_counter() - clock, 2)
    report = RunReport(
        run_id=run_id,
        clusters=len(clusters),
        seconds=seconds,
        alerts=len(raised),
        lineage=counts["lineage"],
        hubs=len(projection.hubs),
        input_counts={k: v for k, v in counts.items() if k not in ("hubs", "benign_left_out")},
        benign_left_out=counts["benign_left_out"],
        model=ranker.to_dict(),
        reused_components=len(hits),
        components=len(split),
    )
    log.info("detection run %s: %d clusters, %d alerts in %.1f s", run_id, report.clusters,
             report.alerts, seconds)  # fmt: skip
    return report


def _left_out(facts: extract.Facts, marks: benign.Marks) -> Callable[[Thing], str | None] | None:
    """What the projection leaves out as benign: marked things, and star centres known
    only through marked identifiers (a "visitor" that is the helpdesk's number)."""
    if not marks:
        return None
    only = extract.known_only_through(facts, marks.match)

    def left_out(thing: Thing) -> str | None:
        mark = marks.matches(thing)
        if mark is None and KINDS[thing.kind].star and thing.centre in only:
            mark = next(m for k, v in only[thing.centre] if (m := marks.match(k, v)))
        return mark.mark_id if mark is not None else None

    return left_out


def _benign_report(projection: Projection, marks: benign.Marks) -> list[dict[str, Any]]:
    """Each thing left out as benign, by name, with the mark that left it out."""
    by_id = {m.mark_id: m for m in marks.by_thing.values()}
    out = []
    for t in projection.benign:
        mark = by_id[t.mark]
        direct = marks.match(t.kind, t.key) is not None
        out.append(
            {
                "kind": t.kind,
                "key": t.key,
                "label": t.label,
                "members": t.size,
                "mark": mark.label,
                "mark_id": f"BenignMark:{mark.mark_id}",
                "identifier": mark.identifier,
                "via": None if direct else f"known only through {mark.value}",
            }
        )
    return out


def _rank(
    store: GraphStore,
    clusters: Sequence[_Cluster],
    matched: lineage.Lineage,
    records: Mapping[str, set[str]],
) -> learning.Ranker:
    """Train on earlier runs' verdicts; when the model has earned it, give each cluster
    its probability and per-term explanation."""
    judged, examples = learning.judged_clusters(store)
    ranker = learning.train(examples)
    log.info("ranking: %s (%s)", ranker.method, ranker.why)
    if not ranker.learned:
        return ranker
    previous = sorted({e.previous for e in matched.edges})
    views = verdicts.verdicts_for(store, previous)
    exclude: dict[str, set[str]] = defaultdict(set)
    for e in matched.edges:
        view = views[e.previous]
        exclude[e.current] |= {
            v.cluster_id for v in (*([view.verdict] if view.verdict else []), *view.to_confirm)
        }
    explained = {str(i): _explanation(c, records, []) for i, c in enumerate(clusters)}
    known = learning.known_for_run(
        {i: learning.markers(x) for i, x in explained.items()}, judged, exclude
    )
    for i, c in enumerate(clusters):
        x = learning.features(explained[str(i)], known[str(i)])
        c.probability = round(ranker.probability(x), 6)
        c.learned_terms = ranker.explain(x)
    return ranker


def _order(c: _Cluster, ranker: learning.Ranker) -> tuple[float, float, list[str]]:
    """Highest probability first when the learned ranking is in force, else highest score."""
    first = -(c.probability or 0.0) if ranker.learned else 0.0
    return (first, -_total(c), c.members)


def _clusters(
    graph: ig.Graph, projection: Projection, found: list[list[int]], split: Sequence[memo.Part]
) -> list[_Cluster]:
    """Communities as clusters with their shared things and component; those with no
    marker are dropped.

    Co-travel and route windows alone make a family or fellow travellers, not a network.
    """
    names = graph.vs["name"] if graph.vcount() else []
    part_of = {v: k for k, p in enumerate(split) for v in p.vertices}
    clusters = [
        _Cluster(vertices=c, members=[names[v] for v in c], part=part_of[c[0]]) for c in found
    ]
    _cluster_things(projection, clusters)
    return [c for c in clusters if any(KINDS[t.kind].marker for t in c.things)]


def _score(
    clusters: Sequence[_Cluster],
    facts: extract.Facts,
    records: Mapping[str, set[str]],
    matched: lineage.Lineage,
    before: Mapping[str, lineage.Snapshot],
    params: DetectionParams,
) -> None:
    """Score each cluster (growth against its predecessors)."""
    paid: dict[str, list[tuple[int, extract.Payment]]] = defaultdict(list)
    for i, p in enumerate(facts.payments()):
        paid[p.payer].append((i, p))
    context = _Context(facts.facilitator_roles(), dict(paid), facts.forged_documents())
    signals = _signal_facts(facts.signals)
    for i, c in enumerate(clusters):
        preds = matched.predecessors(str(i))
        gained = len(set(c.members) - {m for p in preds for m in before[p].members})
        c.relation = matched.relation[str(i)]
        c.score = score_cluster(
            _facts(c, records, signals, c.strength, context, gained if preds else None)
        )


def _betweenness(graph: ig.Graph, params: DetectionParams) -> Any:
    return betweenness(
        graph,
        exact_limit=params.exact_betweenness,
        epsilon=params.betweenness_epsilon,
        delta=params.betweenness_delta,
        seed=params.seed,
    )


def _roles(
    clusters: Sequence[_Cluster],
    todo: Sequence[int],
    subgraphs: Subgraphs,
    projection: Projection,
    params: DetectionParams,
) -> list[list[int]]:
    """Group the tied clusters among ``todo`` into wider networks and give each member of
    them its role from both its cluster and its wider network; returns the networks
    (lists of cluster indices). Ties never leave a component, so ``todo`` may be
    the clusters of some components only."""
    where = {m: i for i in todo for m in clusters[i].members}
    cross = []
    for link in projection.links.values():
        i, j = where.get(link.a), where.get(link.b)
        if i is not None and j is not None and i != j:
            weight = sum(e.weight for e in link.evidence if KINDS[e.kind].marker)
            if weight > 0:
                cross.append((link.a, link.b, weight))
    groups = networks.wider_networks(
        networks.cluster_ties(cross, where), len(clusters), tie=params.tie
    )
    reach: dict[str, Reach] = {}
    network: dict[int, int] = {}
    for k, group in enumerate(groups):
        sub = subgraphs.induced([v for i in group for v in clusters[i].vertices], "auto")
        names = sub.vs["name"]
        found = network_reach(
            sub,
            [where[m] for m in names],
            _betweenness(sub, params),
            exact_limit=params.exact_betweenness,
        )
        reach.update(zip(names, found, strict=True))
        network.update((i, k) for i in group)
    for a, b, w in cross:
        i, j = where[a], where[b]
        if i in network and network[i] == network.get(j):
            for c in (clusters[i], clusters[j]):
                c.cross.append({"a": a, "b": b, "weight": round(w, 6)})
    for i in todo:
        c = clusters[i]
        sub = subgraphs.induced(c.vertices, "auto")
        mine = [reach[m] for m in sub.vs["name"]] if i in network else None
        c.roles = member_roles(sub, _betweenness(sub, params), reach=mine)
        c.strength = float(sum(sub.es["weight"])) if sub.ecount() else 0.0
    return groups


def _local(
    clusters: Sequence[_Cluster],
    subgraphs: Subgraphs,
    projection: Projection,
    params: DetectionParams,
    hits: Mapping[int, Mapping[str, Any]],
) -> list[list[int]]:
    """Everything computed inside a cluster's component - roles, strength, wider networks,
    suggested links - taken from the memo where the component is unchanged (``hits``,
    by part), computed for the others; returns the wider networks of the whole run."""
    todo = [i for i, c in enumerate(clusters) if c.part not in hits]
    wider = _roles(clusters, todo, subgraphs, projection, params)
    found = adamic_adar(
        subgraphs.graph, [clusters[i].vertices for i in todo], limit=params.suggestions
    )
    for i, suggested in zip(todo, found, strict=True):
        clusters[i].suggestions = [s.to_dict() for s in suggested]
    by_first = {c.members[0]: i for i, c in enumerate(clusters) if c.part in hits}
    for i in by_first.values():
        c = clusters[i]
        kept = hits[c.part]["clusters"][c.members[0]]
        c.roles = [memo.role_from(r) for r in kept["roles"]]
        c.strength, c.cross, c.suggestions = kept["strength"], kept["cross"], kept["suggestions"]
    wider += [[by_first[m] for m in g] for e in hits.values() for g in e["networks"]]
    wider.sort(key=lambda g: g[0])
    for k, group in enumerate(wider):
        for i in group:
            clusters[i].network = k
    return wider


def _memo_entries(
    split: Sequence[memo.Part],
    graph: ig.Graph,
    found: Sequence[Sequence[int]],
    clusters: Sequence[_Cluster],
    wider: Sequence[Sequence[int]],
) -> dict[str, dict[str, Any]]:
    """This run's work per component, for the next run to reuse (see ``memo.Memo``)."""
    names = graph.vs["name"] if graph.vcount() else []
    part_of = {v: k for k, p in enumerate(split) for v in p.vertices}
    entries: list[dict[str, Any]] = [
        {"communities": [], "clusters": {}, "networks": []} for _ in split
    ]
    for community in found:
        entries[part_of[community[0]]]["communities"].append([names[v] for v in community])
    for c in clusters:
        entries[c.part]["clusters"][c.members[0]] = {
            "roles": [memo.role_to(r) for r in c.roles],
            "strength": c.strength,
            "cross": c.cross,
            "suggestions": c.suggestions,
        }
    for group in wider:
        entries[clusters[group[0]].part]["networks"].append([clusters[i].members[0] for i in group])
    return {p.digest: e for p, e in zip(split, entries, strict=True)}


def _snapshot(c: _Cluster) -> lineage.Snapshot:
    return lineage.Snapshot(
        members=frozenset(c.members),
        score=_total(c),
        hard_signals=int(_measure(c, "hard_signals")),
        organisations=int(_measure(c, "organisations")),
    )


def _total(c: _Cluster) -> float:
    assert c.score is not None
    return c.score.total


def _measure(c: _Cluster, name: str) -> float:
    assert c.score is not None
    found = c.score.term(name)
    return found.measure if found is not None else 0.0


def _explanation(
    c: _Cluster, records: Mapping[str, set[str]], suggestions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The stored explanation: score terms (with their evidence), then type and suggestions."""
    assert c.score is not None
    terms = []
    for t in c.score.terms:
        item = t.to_dict()
        if t.term == "specific_links":
            item["evidence"] = [thing.to_dict() for thing in c.things]
            item["signals"] = []  # the evidence lists them per member
        if t.term == "members":
            item["records"] = {m: sorted(records.get(m, ())) for m in c.members}
        terms.append(item)
    terms.append(
        {
            "term": "type",
            "value": 0.0,
            "measure": 0.0,
            "reason": f"{c.score.type}: " + "; ".join(c.score.type_reasons),
            "type": c.score.type,
            "reasons": c.score.type_reasons,
        }
    )
    terms.append(
        {
            "term": "suggested_links",
            "value": 0.0,
            "measure": float(len(suggestions)),
            "reason": f"{len(suggestions)} likely missing links (Adamic-Adar on the projection): "
            "suggestions to check, not facts",
            "suggestions": suggestions,
        }
    )
    return terms


def _rows(
    run_id: str,
    clusters: Sequence[_Cluster],
    order: Sequence[int],
    records: Mapping[str, set[str]],
    ranker: learning.Ranker,
    wider: Sequence[Sequence[int]] = (),
) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rank = {i: number for number, i in enumerate(order, start=1)}
    numbered = sorted(range(len(wider)), key=lambda k: min(rank[i] for i in wider[k]))
    network_number = {k: n for n, k in enumerate(numbered, start=1)}
    for number, i in enumerate(order, start=1):
        c = clusters[i]
        assert c.score is not None
        rows["Cluster"].append(
            {
                "run_id": run_id,
                "number": number,
                "score": c.score.total,
                "type": c.score.type,
                "themes": c.score.themes,
                "explanation": _explanation(c, records, c.suggestions),
                "lineage": c.relation,
                "ranking": ranker.method,
                "probability": c.probability,
                "learned_terms": c.learned_terms,
                "network": _network(c, clusters, wider, network_number, rank),
            }
        )
        rows["IN_RUN"].append({"src": c.id, "dst": f"DetectionRun:{run_id}"})
        rows["MEMBER_OF"] += [
            {
                "src": r.member,
                "dst": c.id,
                "run": run_id,
                "role": r.role,
                "centrality": round(r.betweenness, 6),
                "role_reason": r.reason,
            }
            for r in c.roles
        ]
    return rows


def _network(
    c: _Cluster,
    clusters: Sequence[_Cluster],
    wider: Sequence[Sequence[int]],
    number: Mapping[int, int],
    rank: Mapping[int, int],
) -> dict[str, Any] | None:
    """What a cluster stores of its wider network: its number, its clusters (ids, best
    first), its members, and this cluster's links into the others (member ids, weight)."""
    if c.network is None:
        return None
    group = sorted(wider[c.network], key=lambda i: rank[i])
    return {
        "number": number[c.network],
        "clusters": [clusters[i].id for i in group],
        "members": sum(len(clusters[i].members) for i in group),
        "sizes": [len(clusters[i].members) for i in group],
        "links": c.cross,
    }


def _write(
    store: GraphStore,
    run_id: str,
    started: dt.datetime,
    finished: dt.datetime,
    params: DetectionParams,
    counts: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    matched: lineage.Lineage,
    raised: Sequence[lineage.Alert],
    ranker: learning.Ranker,
) -> None:
    """Write the run, all at once for readers; only analysis-layer labels, never evidence."""
    m = model()
    for name in WRITES:
        layer = (m.nodes[name] if name in m.nodes else m.edge(name)).layer
        if layer not in ("analysis", "work"):
            raise DetectionError(f"a detection run must not write {name} ({layer} layer)")
    run_node = f"DetectionRun:{run_id}"
    alerts = [
        {
            "alert_id": f"{run_id}|{a.cluster.partition('|')[2]}|{a.kind}",
            "run_id": run_id,
            "message": a.message,
            "kind": a.kind,
            "status": "new",
            "created_at": finished,
        }
        for a in raised
    ]
    lineage_rows = [
        {"src": e.current, "dst": e.previous, "relation": e.relation, "jaccard": e.jaccard}
        for e in matched.edges
    ]
    ids = [m.node_id("Alert", a) for a in alerts]
    size = 1 + sum(map(len, rows.values())) + len(lineage_rows) + 3 * len(alerts)
    # Readers see the whole run or none of it: a big one is written on a staged
    # copy, unit by unit, and published at once (ADR 0016). Ids follow from the
    # run id and cluster numbers, so a run killed before it published left nothing.
    with store.staged(rows=size):
        with store.writer() as w:
            w.upsert_nodes(
                "DetectionRun",
                [
                    {
                        "run_id": run_id,
                        "started_at": started,
                        "finished_at": finished,
                        "algorithm": params.algorithm,
                        "parameters": params.to_dict(),
                        "code_version": code_version(),
                        "input_counts": counts,
                        "model": ranker.to_dict(),
                    }
                ],
            )
            w.upsert_nodes("Cluster", rows["Cluster"])
            w.upsert_edges("IN_RUN", rows["IN_RUN"])
            w.upsert_edges("MEMBER_OF", rows["MEMBER_OF"])
        with store.writer() as w:
            w.upsert_edges("LINEAGE", lineage_rows)
            w.upsert_nodes("Alert", alerts)
            w.upsert_edges("IN_RUN", [{"src": i, "dst": run_node} for i in ids])
            w.upsert_edges(
                "ABOUT", [{"src": i, "dst": a.cluster} for i, a in zip(ids, raised, strict=True)]
            )
