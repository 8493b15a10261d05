"""Typed errors of the query layer, with messages an analyst can act on."""

from __future__ import annotations


class QueryError(Exception):
    """A read or a work action could not be carried out."""


class NotFound(QueryError):
    """The thing asked for does not exist, or the viewer may not see it.

    The two cases share one error on purpose: telling them apart would reveal
    that something hidden exists.
    """


class InvalidInput(QueryError):
    """The request itself is wrong (unknown status, empty note, bad target)."""


class FeatureUnavailable(QueryError):
    """A capability the view needs is not installed or not built yet."""
