"""One fetch run at a time per content folder: ``content_lock``.

Two runs writing the same folder at once each index it before the other has written, so a
paper both fetch is stored twice (once under each run's day) and one run's merge is lost.
``scripts/fetch.py`` therefore holds an exclusive ``fcntl.flock`` on ``<content>/.fetch.lock``
for its whole run.  A second run fails at once with ``ContentLocked``, whose message names
the holder (pid, host, when it started, its command line, which the holder writes into the
file once it has the lock), or waits for the lock when asked to.

The kernel releases the lock when its holder dies, however it dies: a lock file left by a
killed run (it still names that run) never blocks the next one.  A run that finishes
removes the file, so a folder is left as it was by runs that write nothing.  Removing it
is safe because a run that locks a file checks that it is still the one at the path, and
tries again if it is not (the file was removed, or replaced, while it waited).

``flock`` locks are advisory (only runs that take the lock are kept out) and work on local
file systems; on NFS, Linux maps them to byte-range locks held by the server.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import shlex
import socket
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from papers.errors import PaperDigestError

log = logging.getLogger(__name__)

LOCK_FILE = ".fetch.lock"
# The holder's details are a few hundred bytes; a longer file is cut off when read.
MAX_DETAILS = 64 * 1024


class ContentLocked(PaperDigestError):
    """Another run holds the content folder's lock; the message says which."""

    def __init__(self, path: Path, holder: str):
        super().__init__(f"{path} is held by another fetch run: {holder}")
        self.path = path
        self.holder = holder


def _holder(fd: int) -> str:
    """The details the lock's holder wrote into the lock file, as one line of text."""
    raw = os.pread(fd, MAX_DETAILS, 0).decode("utf-8", "replace")
    if not raw:
        # Locked, but not written yet: the holder writes just after it locks.
        return "a run that has not written its details yet"
    try:
        d = json.loads(raw)
        return f"pid {d['pid']} on {d['host']}, started {d['started']}: {shlex.join(d['command'])}"
    except (ValueError, KeyError, TypeError):
        return f"unknown (the lock file holds {raw[:200]!r})"


def _is_current(fd: int, path: Path) -> bool:
    """Whether the file locked through ``fd`` is still the one at ``path``."""
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    locked = os.fstat(fd)
    return (locked.st_dev, locked.st_ino) == (at_path.st_dev, at_path.st_ino)


def _lock(path: Path, wait: bool) -> int:
    """An open descriptor of the lock file at ``path``, exclusively locked."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                if not wait:
                    raise ContentLocked(path, holder) from None
                log.info("%s is held by another fetch run (%s): waiting for it to finish", path, holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _is_current(fd, path):
                return fd
        except BaseException:
            os.close(fd)
            raise
        # The holder removed the file (it finished) or it was replaced while this run
        # waited: the lock to take is the one of the file now at the path.
        os.close(fd)


@contextmanager
def content_lock(content: Path | str, *, wait: bool = False, command: Sequence[str] | None = None, started: dt.datetime | None = None) -> Iterator[Path]:
    """Hold the fetch lock of the content folder ``content`` (created if missing) for the
    ``with`` block; yields the lock file's path.

    Raises ``ContentLocked`` at once when another run holds it, or with ``wait`` blocks
    until it is free.  ``command`` (default ``sys.argv``) and ``started`` (default now)
    describe this run to the runs it keeps out.
    """
    folder = Path(content)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    fd = _lock(path, wait)
    try:
        details = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": (started or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
            "command": list(sys.argv if command is None else command),
        }
        os.ftruncate(fd, 0)  # a killed run's details may still be there
        os.pwrite(fd, (json.dumps(details) + "\n").encode("utf-8"), 0)
        yield path
    finally:
        # Removed while still locked: a run waiting for this file then finds it is no
        # longer the one at the path and locks the next (see ``_lock``).  Only our own
        # file: should someone have removed it by hand, another run may hold the new one.
        try:
            if _is_current(fd, path):
                path.unlink()
        finally:
            os.close(fd)
