"""Pausing the cyclic garbage collector while a bulk load builds immutable values."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc(pause: bool = True) -> Iterator[None]:
    """Disable the cyclic collector for the block and restore its state afterwards.

    A bulk load allocates millions of container objects that all stay alive: each
    generation-0 collection then re-examines young objects that can never be garbage, and
    on this machine that was most of every loader's time (see the design notes). The
    values built are immutable and acyclic, so nothing is lost by collecting later.

    On the way out the objects allocated meanwhile are moved straight to the oldest
    generation (``gc.freeze()`` then ``gc.unfreeze()``, both constant-time list moves), so
    the young generations do not walk the whole load once more; this is skipped when the
    program has frozen objects of its own (``gc.get_freeze_count() > 0``), which must
    stay frozen. The collector is re-enabled in ``finally`` even when the load fails; if
    it was already disabled (by the caller or another thread) nothing is touched.
    """
    if not pause or not gc.isenabled():
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
