"""When Python's cycle collector runs during a build: all of the project's gc policy.

A build makes hundreds of thousands of objects that live until it ends (catalogue entries,
pages' contexts) and almost none in a reference cycle, so the collector, which runs every
few hundred allocations, would scan them over and over:

- ``collecting_less_often``: for a whole build, the youngest generation is collected every
  ``GC_THRESHOLD`` allocations instead of 700 (a third of the time of loading the catalogue);
- ``freeze_survivors``: once every generator's context is complete, what exists lives until
  the build ends: frozen, no collection scans it again (one such pass took 30 ms of a day's
  rebuild), none at the interpreter's exit (55 ms), and forked children do not copy its
  memory by touching it; the next build in the same process unfreezes it;
- ``collector_paused``: no collection at all while a search shard is indexed (a million
  small dicts and lists; the collector took a sixth of the time).
"""

from __future__ import annotations

import contextlib
import gc

GC_THRESHOLD = 200_000  # allocations between two collections of the youngest generation


@contextlib.contextmanager
def collecting_less_often():
    thresholds = gc.get_threshold()
    gc.unfreeze()  # what an earlier build in this process froze is its garbage now
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def freeze_survivors(*_args) -> None:
    """A signal receiver (``all_generators_finalized``): see the module docstring."""
    gc.freeze()


@contextlib.contextmanager
def collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
