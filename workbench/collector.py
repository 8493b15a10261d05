"""The cyclic garbage collector paused around bulk work: a load, a store write, a parse,
a resolution or detection run, the generator.

Shared by ingest, the store, resolution, detection and the generator (and
the loading benchmark): the loaders themselves only parse, so whoever runs
them in bulk decides about the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during bulk work: a parse, a load, a store write.

    A parse allocates hundreds of thousands of containers that either stay
    alive (the records) or die by reference counting (nothing in a row
    builds a cycle). The collector's passes find nothing, but
    each pass of the oldest generation walks every object alive, records
    included: a third of the KMar parse time, growing with the input.

    Afterwards the objects the parse allocated are moved to the oldest
    generation as they are (``freeze`` then ``unfreeze``: documented to do
    exactly that, without walking them), instead of being walked once more
    by the first young collection; unless someone else froze objects, whose
    freeze must stand. The collector runs again however the parse ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
