"""Typed errors of the storage layer, with messages a user can act on."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every storage error."""


class StoreBusy(StoreError):
    """Another process holds the store for longer than we were willing to wait."""


class StoreUnavailable(StoreError):
    """The store cannot be opened or reached (missing, corrupt, server down)."""


class MissingEndpoint(StoreError):
    """An edge names a node that does not exist."""


class InvalidWrite(StoreError):
    """A node or edge does not fit the graph model (wrong type, unknown property)."""


class LostKeys(StoreError):
    """Nodes the store holds but no longer finds by their id (its key index lost them)."""
