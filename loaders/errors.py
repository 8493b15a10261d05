"""The loaders' one exception: a file that cannot be read as its format."""

from __future__ import annotations

__all__ = ["FileRejected"]


class FileRejected(Exception):
    """The whole file cannot be read as its format; the message says why."""
