"""Work done by forked child processes beside the build, in a pool the writer owns.

A cold build renders thousands of paper pages and listings and builds the search index;
on a machine with more than one core they can run beside each other.  Forked children see
everything the parent had made (the catalogue, the templates), so nothing is pickled.

One threshold decides when forking pays: ``MIN_BACKGROUND_MS`` of work.  A generator says
how long one of its pages takes to render (``ms_per_page``: a paper page ~0.3 ms, a
listing a few ms), and a batch smaller than that is rendered here and now.  The number of
processes is the setting ``BUILD_PROCESSES`` (default: the machine's cores, at most
``MAX_PROCESSES``; 1 renders everything in the build's own process).

``Pending`` is one value computed in a child from the start, fetched when a page needs it;
``Primed`` one whose child starts before its arguments exist, to import what it needs
meanwhile (the related papers, which the paper pages wait for: importing numpy and scipy
was half of their time on a day's rebuild).  The other children run at a
lower priority (``BACKGROUND_NICENESS``): when there are more of them than cores, the
build's own process and that value, which the rest of the build waits for, go first.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import pickle
import sys
import threading
import traceback

log = logging.getLogger(__name__)

MIN_BACKGROUND_MS = 150  # below this much work, a fork costs more than it saves
MAX_PROCESSES = 4
# os.nice increment of the children rendering pages, writing listings and feeds and the
# search index: on a day's rebuild, at equal priority, they shared the related papers'
# child's core and the paper pages waited for it about twice as long.
BACKGROUND_NICENESS = 5


def default_processes() -> int:
    return min(os.cpu_count() or 1, MAX_PROCESSES) if hasattr(os, "fork") else 1


class Background:
    """Child processes running work beside the build; ``wait`` fails if any failed."""

    def __init__(self, processes: int | None = None):
        self.processes = default_processes() if processes is None else max(1, int(processes))
        self._children: list[int] = []
        self._batch: list | None = None

    def submit(self, call) -> None:
        """Run ``call()`` in the current batch (``batch``), else here and now."""
        if self._batch is None:
            call()
        else:
            self._batch.append(call)

    @contextlib.contextmanager
    def batch(self, ms_per_call: float, *, then=None):
        """Calls submitted in this block are shared out over ``processes`` children when
        there is enough work for it (see the module docstring), else run when it ends.
        ``then``: a call made after all of them in the same process, so that it sees what
        they did (a cache they filled, to save); the batch then goes to one child."""
        self._batch = batch = []
        try:
            yield
        finally:
            self._batch = None
        if then is not None:
            batch.append(then)
        if len(batch) * ms_per_call < MIN_BACKGROUND_MS or self.processes < 2:
            for call in batch:
                call()
            return
        shares = 1 if then is not None else self.processes
        for share in range(shares):
            self._fork(batch[share * len(batch) // shares : (share + 1) * len(batch) // shares])
        log.info("background: %d pages rendering in %d processes", len(batch), shares)

    def call(self, function) -> None:
        """``function()`` in one child process while the build goes on (here, on one core)."""
        if self.processes < 2:
            function()
        else:
            self._fork([function])

    def _fork(self, calls: list) -> None:
        """A child process that makes ``calls``."""
        self._children.append(fork_child(lambda: [os.nice(BACKGROUND_NICENESS), *(call() for call in calls)]))

    def wait(self) -> None:
        """Wait for every child; ``RuntimeError`` if any failed."""
        failed = []
        while self._children:
            pid = self._children.pop()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                failed.append(pid)
        if failed:
            raise RuntimeError(f"work in the background failed (process {', '.join(map(str, failed))}); see its error above")


class Pending:
    """``function()``, computed in a child process while the build goes on when there are
    ``processes`` (None: the machine's cores) to spare, else here when first asked for."""

    def __init__(self, function, processes: int | None = None):
        self._function = function
        self._pid = None
        if (default_processes() if processes is None else int(processes)) >= 2:
            read, write = os.pipe()

            def send():
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    pickle.dump(function(), out, protocol=pickle.HIGHEST_PROTOCOL)

            self._pid = fork_child(send)
            os.close(write)
            self._read = read

    def get(self):
        """The value: the child's once it has finished, else computed here and now."""
        if self._function is not None:
            if self._pid is None:
                self._value = self._function()
            else:
                with os.fdopen(self._read, "rb") as f:
                    data = f.read()
                _, status = os.waitpid(self._pid, 0)
                if os.waitstatus_to_exitcode(status) != 0:
                    raise RuntimeError("work in the background failed; see its error above")
                self._value = pickle.loads(data)
            self._function = None
        return self._value


class Primed(Pending):
    """``function(*arguments)``, like ``Pending``, but its child process starts before the
    arguments exist, to ``prepare()`` meanwhile; ``give(*arguments)`` sends them (pickled:
    plain data) and ``get()`` returns the value.  ``in_child`` says whether there is a child."""

    def __init__(self, prepare, function, processes: int | None = None):
        self._function, self._pid = function, None
        self.in_child = (default_processes() if processes is None else int(processes)) >= 2
        if self.in_child:
            request_read, self._request = os.pipe()
            self._read, reply_write = os.pipe()

            def work():
                os.close(self._request)
                os.close(self._read)
                prepare()
                # Its length first: children forked later hold the pipe open too, so its end
                # is not where the arguments end.
                with os.fdopen(request_read, "rb") as f:
                    size = int.from_bytes(f.read(8) or b"\0", "big")
                    request = f.read(size)
                if not size or len(request) != size:  # the build stopped before it gave them
                    return
                with os.fdopen(reply_write, "wb") as out:
                    pickle.dump(function(*pickle.loads(request)), out, protocol=pickle.HIGHEST_PROTOCOL)

            self._pid = fork_child(work)
            os.close(request_read)
            os.close(reply_write)

    def give(self, *arguments) -> None:
        if not self.in_child:
            self._function = functools.partial(self._function, *arguments)
            return
        data = pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL)
        data = len(data).to_bytes(8, "big") + data

        def write():  # beside the build: the child may still be preparing, the pipe full
            with os.fdopen(self._request, "wb") as out:
                out.write(data)

        threading.Thread(target=write, daemon=True).start()


def fork_child(work) -> int:
    """The pid of a child process that runs ``work()`` and leaves without the parent's exit
    code (its status: 0, or 1 after printing what it raised)."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        work()
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
