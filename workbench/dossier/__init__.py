"""Cluster dossiers: one cluster as a self-contained PDF, HTML, JSON or CSV document.

``gather`` reads what the viewer may see of a cluster from the store into a
plain, JSON-able dict (schema: ``docs/dossier-schema.json``); ``render``
turns that dict into a document; ``export.export_dossier`` is the audited
entry point the CLI and the UI call. Importing this package loads no renderer
(WeasyPrint is imported only when a PDF is asked for).
"""
