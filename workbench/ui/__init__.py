"""The analysts' web UI (Streamlit): search, entity, network, clusters, review, alerts.

``app.py`` is the router; ``views/`` holds one module per page; pages read
only through :mod:`workbench.query`. Start it with ``workbench ui``.
"""
