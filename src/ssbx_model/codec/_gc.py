"""The retired ``pause_gc`` keyword of the bulk readers: accepted, ignored, deprecated.

The bulk readers used to disable the cyclic garbage collector while they built cases and,
on the way out, move every young object to the oldest generation (``gc.freeze()`` then
``gc.unfreeze()``). ``gc.freeze()`` also resets the young generation's allocation count,
so in a service that calls a reader more often than it allocates 700 objects between
calls, no collection ever ran again: every reference cycle the service made was moved to
the oldest generation uncounted and never collected (a probe grew to 9 GB). The readers
now leave the collector alone; a program that wants bulk loads without collector passes
decides that for itself (see "Streaming and bulk loads" in the format reference).
"""

from __future__ import annotations

import warnings

__all__ = ["retired_pause_gc"]


def retired_pause_gc(pause_gc: bool | None, function: str) -> None:
    """Warn that ``pause_gc`` was given to ``function``: it no longer does anything."""
    if pause_gc is not None:
        warnings.warn(
            f"{function}(pause_gc=...) is deprecated and ignored: the readers leave the "
            "garbage collector alone (see 'Streaming and bulk loads' in the format "
            "reference); remove the argument",
            DeprecationWarning,
            stacklevel=3,
        )
