"""Typed failures of a dossier export, each with a message that says what to do."""

from __future__ import annotations


class DossierError(Exception):
    """A dossier could not be produced."""


class ClusterNotFound(DossierError):
    """No such cluster, or the viewer may not see it (the two are not told apart)."""


class ReasonRequired(DossierError):
    """An export was asked for without a stated reason; exports are refused without one."""


class ExportNotAllowed(DossierError):
    """The viewer's role may not export (exports are for investigators and coordinators)."""


class UnknownFormat(DossierError):
    """The requested output format is not one the dossier can be rendered to."""


class RenderError(DossierError):
    """Rendering failed, e.g. the document referred to a resource outside itself."""
