"""Every write to ``content/`` and every read of it by arXiv id: atomic writes, the
``ContentStore`` of paper files (merged on save), and the fetch state.

The file format is ``papers.paperfile``'s, the folder layout ``papers.layout``'s.

An atomic write goes through a temporary file beside its target, ``.<name>.<8 random
characters>.tmp``: hidden and ending in ``.tmp``, so that neither Pelican (its
``IGNORE_FILES`` skips hidden files) nor the paper files' glob (``papers.layout``) ever read
one, and git-ignored (``.gitignore``), so that CI never commits one.  A write that fails,
by an exception or an interrupt, removes its temporary file; only a process killed
outright (or a power cut) leaves one, and the next fetch run removes it
(``ContentStore.remove_temporaries``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
from pathlib import Path

from papers.cleaning import FIRST_YEAR, LAST_YEAR, clean_arxiv_id, valid_day
from papers.errors import Rejected
from papers.layout import PAPER_GLOB, PAPERS_DIR, paper_relpath
from papers.model import Paper
from papers.paperfile import dump_paper, paper_text, parse_paper

STATE_FILE = ".fetch-state.json"
# An atomic write's temporary file; 8 random characters, as ``tempfile.mkstemp`` (which
# wrote them before) made them too, so that its leftovers are recognised as well.
TEMPORARY_RE = re.compile(r"\A\..+\.[a-z0-9_]{8}\.tmp\Z")


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new temporary file beside ``target``, open for writing: its descriptor and path.

    Created with mode 0666 for the kernel to apply the umask, as for any new file
    (``mkstemp`` makes 0600 whatever the umask); ``O_EXCL`` makes the name ours alone.
    """
    while True:
        path = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), path
        except FileExistsError:
            continue


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` so that a reader sees the old file or the
    new, never half.

    A new file gets the mode the umask gives (0644 under umask 022); a file replaced keeps
    its mode, as it would if it were rewritten in place, so that a maintainer's ``chmod``
    survives.  On any failure, interrupts included, the temporary file is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = _create_temporary(path)
    try:
        with open(fd, "wb") as f:
            with contextlib.suppress(FileNotFoundError):
                os.fchmod(f.fileno(), stat.S_IMODE(os.stat(path).st_mode))
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class ContentStore:
    """The papers under a content directory, keyed by arXiv id.

    A stored file that cannot be read (not UTF-8, not a paper file, another paper's) is
    reported by ``load`` and ``save`` as ``Rejected``, naming the file, and never
    overwritten or removed: the maintainer mends it by hand, and nothing stored is lost.
    """

    def __init__(self, content_dir: Path | str):
        self.root = Path(content_dir).resolve()
        # Messages name files under the folder as it was given (``content/papers/…``).
        self._shown_root = Path(content_dir)
        self._paths: dict[str, Path] | None = None

    def paper_path(self, arxiv_id: str, day: str) -> Path:
        """Where a paper first featured on ``day`` lives; refuses anything outside the root."""
        arxiv_id = clean_arxiv_id(arxiv_id)
        if not valid_day(day):
            raise Rejected(f"day {day!r} is not a YYYY-MM-DD day from {FIRST_YEAR} to {LAST_YEAR}")
        path = (self.root / paper_relpath(arxiv_id, day)).resolve()
        if self.root not in path.parents:
            raise Rejected(f"path for {arxiv_id!r} leaves the content directory")
        return path

    def _index(self) -> dict[str, Path]:
        if self._paths is None:
            self._paths = {p.stem: p for p in sorted((self.root / PAPERS_DIR).glob(PAPER_GLOB))}
        return self._paths

    def ids(self) -> list[str]:
        return sorted(self._index())

    def _read_stored(self, path: Path) -> tuple[str, Paper]:
        """The text and the paper of the stored file ``path``; ``Rejected`` naming the file
        and what is wrong with it when it cannot be used."""
        shown = self._shown_root / path.relative_to(self.root)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise Rejected(f"{shown}: cannot be read ({exc.strerror or exc})") from exc
        try:
            text = paper_text(data)
        except UnicodeDecodeError as exc:
            raise Rejected(f"{shown}: not UTF-8 (byte 0x{data[exc.start]:02x} at {exc.start})") from exc
        paper = parse_paper(text, source=str(shown))
        if paper.arxiv_id != path.stem:
            # Merged with the fetched paper, it would take the other paper's fields.
            raise Rejected(f"{shown}: holds arxiv_id {paper.arxiv_id!r}, not the {path.stem!r} of its name")
        return text, paper

    def load(self, arxiv_id: str) -> Paper | None:
        """The stored paper, None if there is none; ``Rejected`` if its file is unusable."""
        path = self._index().get(arxiv_id)
        if path is None:
            return None
        return self._read_stored(path)[1]

    def save(self, paper: Paper) -> str:
        """Store a fetched paper, merged into the stored one; 'new', 'updated' or 'unchanged'.

        ``Rejected`` when the stored file is unusable, which is then left as it is."""
        old_path = self._index().get(paper.arxiv_id)
        old_text, stored = self._read_stored(old_path) if old_path else (None, None)
        merged = stored.merged_with(paper) if stored else paper
        path = self.paper_path(merged.arxiv_id, merged.first_featured)
        text = dump_paper(merged)
        if old_path == path and old_text == text:
            return "unchanged"
        atomic_write(path, text)
        if old_path and old_path != path:
            # Featured earlier than we knew (a backfill): the file moves to its first day.
            old_path.unlink()
        self._index()[merged.arxiv_id] = path
        return "updated" if stored else "new"

    def remove_temporaries(self) -> list[Path]:
        """Remove the temporary files that killed writes left anywhere under the root (see
        ``atomic_write``); the paths removed, sorted.

        Only while holding the content folder's lock (``papers.content_lock``): another
        run's temporary file is in use until it is renamed into place.
        """
        removed = []
        for folder, _dirs, names in os.walk(self.root):
            for name in names:
                if TEMPORARY_RE.match(name):
                    path = Path(folder, name)
                    path.unlink()
                    removed.append(path)
        return sorted(removed)

    # Which days each source has fetched, and on what day, so that an interrupted range
    # run can skip the days that are already complete.
    def _state_path(self) -> Path:
        return self.root / STATE_FILE

    def fetch_state(self) -> dict[str, dict[str, str]]:
        try:
            state = json.loads(self._state_path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return state if isinstance(state, dict) else {}

    def record_fetch(self, source: str, day: str, fetched_on: str) -> None:
        state = self.fetch_state()
        state.setdefault(source, {})[day] = fetched_on
        atomic_write(self._state_path(), json.dumps(state, indent=1, sort_keys=True) + "\n")
