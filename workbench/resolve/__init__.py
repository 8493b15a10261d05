"""Entity resolution: one person behind many records, explained and reversible.

Read ``docs/entity-resolution.md`` for how an analyst reads a match. The
parts, in the order data flows through them:

- :mod:`~workbench.resolve.names` and :mod:`~workbench.resolve.records`: comparable values;
- :mod:`~workbench.resolve.blocking`: which pairs to compare;
- :mod:`~workbench.resolve.compare`: agreement levels per feature;
- :mod:`~workbench.resolve.fellegi_sunter` and :mod:`~workbench.resolve.scoring`: weights
  learned without labels, refined by decisions, and explained;
- :mod:`~workbench.resolve.clustering`: entities without chaining;
- :mod:`~workbench.resolve.facilitators`: aliases and phones into facilitators;
- :mod:`~workbench.resolve.service`: the store-facing functions below (computing and
  writing; what a viewer sees of the result is read in ``workbench.query``).
"""

from workbench.resolve.service import (
    ResolveError,
    ResolveReport,
    decide,
    resolve,
    review_candidates,
)

__all__ = [
    "ResolveError",
    "ResolveReport",
    "decide",
    "resolve",
    "review_candidates",
]
