"""Detection runs: smuggling and trafficking clusters, scored, explained and tracked.

The parts, in the order data flows through them:

- :mod:`~workbench.detect.extract`: the store's evidence as incidences (who touches what);
- :mod:`~workbench.detect.projection`: weighted member-member links with their evidence, hubs;
- :mod:`~workbench.detect.communities`: Leiden (default), Infomap, GDS Leiden;
- :mod:`~workbench.detect.roles`: organisers, brokers and peripheral members, from the cluster
  and its wider network (:mod:`~workbench.detect.networks`);
- :mod:`~workbench.detect.scoring`: the explainable score and the type label;
- :mod:`~workbench.detect.lineage`: matching to the previous run, alerts;
- :mod:`~workbench.detect.suggest`: likely missing links, as suggestions;
- :mod:`~workbench.detect.run`: one run end to end, written in one transaction;
- :mod:`~workbench.detect.results`: the previous run, read back for lineage (what a
  viewer sees of runs, clusters and alerts is read in ``workbench.query``);
- :mod:`~workbench.detect.schedule`: ``workbench schedule``.

Read ``docs/detection.md`` for how an analyst reads a score and lineage.
"""

from workbench.detect.communities import DetectionError
from workbench.detect.results import latest_run
from workbench.detect.run import DetectionParams, RunReport, detect, gds_for

__all__ = [
    "DetectionError",
    "DetectionParams",
    "RunReport",
    "detect",
    "gds_for",
    "latest_run",
]
