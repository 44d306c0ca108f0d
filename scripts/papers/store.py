"""All reads and writes of ``content/``: the paper file format, atomic writes, fetch state.

A paper is one file, ``papers/YYYY/MM/DD/<arxiv_id>.md`` under the content directory, dated
by the first day it was featured::

    ---
    arxiv_id: '2608.19880'
    title: 'EnvHarness: Awakening Static Worlds for Agent Learning'
    authors:
    - Chengsong Huang
    ...
    provenance: {title: arxiv, authors: arxiv, abstract: arxiv, upvotes: hf, ...}
    ---
    The abstract, as plain text.

The metadata is YAML written so that every value sits on one line (strings with line
breaks or unprintable characters are double-quoted with escapes).  That makes the format
lossless for any text and means no value can ever produce the closing ``---`` line or an
extra ``Key: value`` line.  ``provenance`` maps each field to the source it came from
(see ``papers.model``); it too is written on one line.  The body is the abstract, verbatim;
it is plain text, never Markdown, so nothing in it can become markup.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml

from .model import DATE_RE, Paper, Rejected, clean_arxiv_id

DELIMITER = "---\n"
PAPERS_DIR = "papers"
STATE_FILE = ".fetch-state.json"


class _OneLineDumper(yaml.CSafeDumper):
    """Safe YAML whose every string stays on one line."""


class _FlowMapping(dict):
    """A nested mapping written on one line (``provenance: {title: arxiv, …}``)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if ("\n" in text or not text.isprintable()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_mapping(dumper: yaml.SafeDumper, mapping: dict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping.items(), flow_style=True)


_OneLineDumper.add_representer(str, _represent_str)
_OneLineDumper.add_representer(_FlowMapping, _represent_flow_mapping)


def dump_paper(paper: Paper) -> str:
    """The file text of a paper."""
    fields = paper.to_dict()
    if "provenance" in fields:
        fields["provenance"] = _FlowMapping(fields["provenance"])
    meta = yaml.dump(
        fields,
        Dumper=_OneLineDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
    )
    return f"{DELIMITER}{meta}{DELIMITER}{paper.abstract}\n"


def has_front_matter(text: str) -> bool:
    return text.startswith(DELIMITER)


def parse_paper(text: str, *, source: str = "<text>") -> Paper:
    """Read back what ``dump_paper`` wrote; ``Rejected`` names the file when it cannot."""
    if not has_front_matter(text):
        raise Rejected(f"{source}: does not start with a '---' metadata block")
    end = text.find("\n" + DELIMITER, len(DELIMITER) - 1)
    if end < 0:
        raise Rejected(f"{source}: the metadata block is not closed by a '---' line")
    try:
        meta = yaml.load(text[len(DELIMITER) : end + 1], Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        raise Rejected(f"{source}: invalid metadata: {exc}") from exc
    if not isinstance(meta, dict):
        raise Rejected(f"{source}: the metadata block is not a mapping")
    body = text[end + 1 + len(DELIMITER) :]
    if body.endswith("\n"):
        body = body[:-1]
    try:
        return Paper.from_dict(meta, abstract=body)
    except (Rejected, TypeError) as exc:
        raise Rejected(f"{source}: {exc}") from exc


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
        year, month, dom = day.split("-")
        path = (self.root / PAPERS_DIR / year / month / dom / f"{arxiv_id}.md").resolve()
        if self.root not in path.parents:
            raise Rejected(f"path for {arxiv_id!r} leaves the content directory")
        return path

    def _index(self) -> dict[str, Path]:
        if self._paths is None:
            self._paths = {p.stem: p for p in sorted((self.root / PAPERS_DIR).glob("*/*/*/*.md"))}
        return self._paths

    def ids(self) -> list[str]:
        return sorted(self._index())

    def load(self, arxiv_id: str) -> Paper | None:
        path = self._index().get(arxiv_id)
        if path is None:
            return None
        return parse_paper(path.read_text(encoding="utf-8"), source=str(path))

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
