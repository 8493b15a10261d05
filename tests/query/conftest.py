"""The dossier's planted cluster, shared: the chart is folded from the same evidence."""

from tests.dossier.conftest import planted, planted_home, planted_store  # noqa: F401
