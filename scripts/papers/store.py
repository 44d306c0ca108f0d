"""Every write to ``content/`` and every read of it by arXiv id: atomic writes, the
``ContentStore`` of paper files (merged on save), and the fetch state.

The file format is ``papers.paperfile``'s, the folder layout ``papers.layout``'s.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from papers.errors import Rejected
from papers.layout import PAPER_GLOB, PAPERS_DIR, paper_relpath
from papers.model import DATE_RE, Paper, clean_arxiv_id
from papers.paperfile import dump_paper, parse_paper, read_paper

STATE_FILE = ".fetch-state.json"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` so that a reader sees the old file or the
    new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class ContentStore:
    """The papers under a content directory, keyed by arXiv id."""

    def __init__(self, content_dir: Path | str):
        self.root = Path(content_dir).resolve()
        self._paths: dict[str, Path] | None = None

    def paper_path(self, arxiv_id: str, day: str) -> Path:
        """Where a paper first featured on ``day`` lives; refuses anything outside the root."""
        arxiv_id = clean_arxiv_id(arxiv_id)
        if not DATE_RE.match(day):
            raise Rejected(f"day {day!r} is not a YYYY-MM-DD date")
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

    def load(self, arxiv_id: str) -> Paper | None:
        path = self._index().get(arxiv_id)
        if path is None:
            return None
        return read_paper(path)

    def save(self, paper: Paper) -> str:
        """Store a fetched paper, merged into the stored one; 'new', 'updated' or 'unchanged'."""
        old_path = self._index().get(paper.arxiv_id)
        old_text = old_path.read_text(encoding="utf-8") if old_path else None
        stored = parse_paper(old_text, source=str(old_path)) if old_path else None
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
