"""The catalogue of paper files: one ``PaperEntry`` per ``papers/…/<arxiv_id>.md``.

Every page that lists papers (days, paper themes, feeds, the sitemap, the search manifest)
needs a few things about every paper: its URL, days, upvotes, title and one-line summary
with their math rendered, its paper themes.  Deriving those means parsing the file,
matching the paper themes and converting math: about half a millisecond a paper, seconds
for a two-year archive, on every build.  So the catalogue keeps each entry in a cache
(``CACHE_PATH/paper-catalog/<YYYY-MM>.pickle``, a file per month of paper files, so that a
new day rewrites one) with the size, modification time and SHA-1 of the file it was
derived from:

- a file whose size and modification time are unchanged is not opened;
- a file with a new modification time (a fresh checkout) is read and hashed, and its entry
  kept when the hash is unchanged;
- only new and changed files are parsed and derived again, in worker processes when there
  are many (a cold build).

The cache is valid while the code that derives entries, the paper themes file and the
settings it uses are unchanged; any change there derives every entry again.  An entry
holds no abstract: ``entry.paper`` (the whole ``Paper``) is read from its file when a page
that shows it is rendered.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import cached_property
from itertools import repeat
from multiprocessing import get_context
from pathlib import Path

import latex2mathml
from incremental_writer import scanned_content
from markupsafe import Markup
from paper_themes import PaperThemeMatch, match_paper_themes
from papers.model import Rejected, clean_url
from papers.store import PAPERS_DIR, atomic_write, has_front_matter, paper_text, parse_paper, read_paper

from .bibtex import bibtex_entry
from .display import abstract_html, display_strings

log = logging.getLogger(__name__)

CACHE_FOLDER = "paper-catalog"
# Below this many files to derive, worker processes cost more than they save.
PARALLEL_MIN_FILES = 1000
CHUNK_FILES = 250


class PaperEntry:
    """What the listings need of one paper, and its whole record on demand (``paper``)."""

    def __init__(self, path: str, state: tuple, paper_themes: list, url_format: str):
        self.source_path = path
        (
            self.arxiv_id, self.featured, self.upvotes, self.code_url, self.github_stars,
            self._title_html, self.title_text, self._summary_html, self.summary_text, self.authors_short,
            self.match_state, self.page_state,
        ) = state
        self.first_featured = self.featured[0]
        self.url = url_format.format(slug=self.arxiv_id)
        self.save_as = self.url + "index.html"
        self._all_paper_themes = paper_themes  # this build's; the cache holds positions in it

    # Cached as plain text (unpickling str subclasses is several times slower) and made
    # markup only for the pages rendered.
    @property
    def title_html(self) -> Markup:
        return Markup(self._title_html)

    @property
    def summary_html(self) -> Markup:
        return Markup(self._summary_html)

    @property
    def themes(self) -> list:
        """Its ``PaperTheme`` objects, best first (every listing needs them for every paper:
        made without the scores and reasons of ``paper_themes``)."""
        return [self._all_paper_themes[i] for i, _, _ in self.match_state]

    @cached_property
    def paper_themes(self) -> list[PaperThemeMatch]:
        """Its paper themes, best first, with their scores and the reasons they matched."""
        return [PaperThemeMatch(self._all_paper_themes[i], score, reasons) for i, score, reasons in self.match_state]

    @cached_property
    def paper(self):
        """The whole ``Paper``, read from its file the first time a page needs it."""
        return read_paper(self.source_path)

    @cached_property
    def content(self) -> str:
        """The abstract as escaped paragraphs, formulas as MathML (markup)."""
        return abstract_html(self.paper.abstract)

    @cached_property
    def bibtex(self) -> str:
        return bibtex_entry(self.paper)

    def __repr__(self) -> str:
        return f"<PaperEntry {self.arxiv_id}>"


def derive_state(paper, paper_themes, text_sha1: str, version: str) -> tuple:
    """An entry's cached values, in the order ``PaperEntry`` takes them, for a parsed paper.

    ``page_state`` stands for everything a page can show of the paper: its file, its theme
    matches and the code that reads and renders it (``version``), so that caches keyed by
    it (feed entries, search shards) are made again when that code changes."""
    matches = tuple((paper_themes.index(m.theme), m.score, tuple(m.reasons)) for m in match_paper_themes(paper, paper_themes))
    strings = display_strings(paper)
    page_state = hashlib.sha1(repr((version, text_sha1, matches)).encode("utf-8", "surrogatepass")).hexdigest()
    return (
        paper.arxiv_id, tuple(paper.featured), paper.upvotes, clean_url(paper.github_repo), paper.github_stars,
        str(strings["title_html"]), strings["title_text"], str(strings["summary_html"]), strings["summary_text"],
        strings["authors_short"], matches, page_state,
    )


def _derive_files(paths: list[str], paper_themes, version: str) -> list:
    """(path, size, mtime_ns, sha1, state, paper, error) for each file: its entry's cached
    values and its ``Paper``, or None and None and why it is not a paper file."""
    out = []
    for path in paths:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
        sha1 = hashlib.sha1(data).hexdigest()
        try:
            try:
                text = paper_text(data)
            except UnicodeDecodeError as exc:
                raise Rejected(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
            if not has_front_matter(text):
                raise Rejected(f"{path}: not a paper file (no '---' metadata block)")
            paper = parse_paper(text, source=path)
            state = derive_state(paper, paper_themes, sha1, version)
            out.append((path, st.st_size, st.st_mtime_ns, sha1, state, paper, None))
        except Rejected as exc:
            out.append((path, st.st_size, st.st_mtime_ns, sha1, None, None, str(exc)))
    return out


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def code_version(paper_themes_file: str | None, url_format: str) -> str:
    """The code and data entries are derived with: any change derives them all again."""
    h = hashlib.sha1(f"{url_format}\0latex2mathml {latex2mathml.__version__}\0".encode())
    modules = ("papers.model", "papers.store", "papers.mathtext", "paper_themes.rules", __name__, __package__ + ".display", __package__ + ".bibtex")
    for name in modules:
        module = sys.modules.get(name)
        if module is not None:
            h.update(Path(module.__file__).read_bytes())
    if paper_themes_file:
        h.update(Path(paper_themes_file).read_bytes())
    return h.hexdigest()


def paper_files(content: str) -> list[tuple[str, int, int]]:
    """Every ``papers/YYYY/MM/DD/<arxiv_id>.md`` under the content directory (hidden files,
    such as an atomic write's temporary file, left out): (path, size, modification time in
    ns), by path.  The build's own scan of the content folder when there is one."""
    scanned = scanned_content(content)
    if scanned is None:
        paths = sorted(glob.glob(os.path.join(glob.escape(content), PAPERS_DIR, "*", "*", "*", "*.md")))
        return [(path, st.st_size, st.st_mtime_ns) for path, st in zip(paths, map(os.stat, paths))]
    prefix = os.path.join(content, PAPERS_DIR, "")
    files = []
    for path, size, mtime_ns in scanned:
        if path.startswith(prefix) and path.endswith(".md"):
            parts = path[len(prefix) :].split(os.sep)
            if len(parts) == 4 and not any(part.startswith(".") for part in parts):
                files.append((path, size, mtime_ns))
    return files


def _shard(path: str) -> str:
    """The cache file a paper file's entry is kept in: its month (``…/YYYY/MM/DD/x.md``)."""
    year, month = path.split(os.sep)[-4:-2]
    return f"{year}-{month}"


def _load_shards(folder: Path, version: str) -> dict[str, dict]:
    """The cached entries of each month, ``{month: {path: (size, mtime_ns, sha1, state)}}``;
    a month whose file is missing, unreadable or made by other code is left out."""
    stored = {}
    for path in folder.glob("*.pickle"):
        try:
            with open(path, "rb") as f:
                cached = pickle.load(f)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError):
            continue
        if cached.get("version") == version:
            stored[path.stem] = cached["files"]
    return stored


def _save_shards(folder: Path, version: str, stored: dict[str, dict], kept: dict[str, tuple]) -> None:
    """Write the months whose entries changed; remove the files of months with none."""
    months: dict[str, dict] = {}
    for path, known in kept.items():
        months.setdefault(_shard(path), {})[path] = known
    folder.mkdir(parents=True, exist_ok=True)
    for month, files in months.items():
        if stored.get(month) != files:
            atomic_write(folder / f"{month}.pickle", pickle.dumps({"version": version, "files": files}, protocol=pickle.HIGHEST_PROTOCOL))
    for path in folder.glob("*.pickle"):
        if path.stem not in months:
            path.unlink()


def load_catalog(content: str, cache_dir: str, paper_themes, *, paper_themes_file: str | None, url_format: str, workers: int | None = None) -> list[PaperEntry]:
    """Every paper under ``content`` as a ``PaperEntry``, deriving only what changed.

    A file that is not a valid paper is reported (naming the file and the reason) and
    left out; the rest of the site builds.
    """
    cache_folder = Path(cache_dir) / CACHE_FOLDER
    version = code_version(paper_themes_file, url_format)
    stored = _load_shards(cache_folder, version)
    previous = {path: known for files in stored.values() for path, known in files.items()}

    kept: dict[str, tuple] = {}
    to_derive: list[str] = []
    for path, size_now, mtime_now in paper_files(content):
        known = previous.get(path)
        if known is not None:
            size, mtime_ns, sha1, state = known
            if size == size_now and mtime_ns == mtime_now:
                kept[path] = known
                continue
            if size == size_now:
                with open(path, "rb") as f:
                    if hashlib.sha1(f.read()).hexdigest() == sha1:
                        kept[path] = (size, mtime_now, sha1, state)
                        continue
        to_derive.append(path)

    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(to_derive) >= PARALLEL_MIN_FILES else 1
    if workers > 1:
        # Forked workers share the loaded code and paper themes; each returns its chunk.
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            chunks = _chunks(to_derive, CHUNK_FILES)
            derived = [row for rows in pool.map(_derive_files, chunks, repeat(paper_themes), repeat(version)) for row in rows]
    else:
        derived = _derive_files(to_derive, paper_themes, version)
    papers_read = {}
    for path, size, mtime_ns, sha1, state, paper, error in derived:
        if error:
            log.error("Skipped %s", error)
            continue
        kept[path] = (size, mtime_ns, sha1, state)
        papers_read[path] = paper

    _save_shards(cache_folder, version, stored, kept)

    entries = [PaperEntry(path, state, paper_themes, url_format) for path, (_, _, _, state) in kept.items()]
    # A paper just parsed is not read again by the pages, feeds and search index that show
    # it (on a cold build, each paper was read three times: here, for its page, for search).
    for entry in entries:
        paper = papers_read.get(entry.source_path)
        if paper is not None:
            entry.__dict__["paper"] = paper  # what the cached property would hold
    by_id: dict[str, PaperEntry] = {}
    for entry in entries:
        if entry.arxiv_id in by_id:
            log.error("Skipped %s: arXiv id %s is also in %s", entry.source_path, entry.arxiv_id, by_id[entry.arxiv_id].source_path)
            continue
        by_id[entry.arxiv_id] = entry
    # Newest first; papers of the same day by arXiv id.
    entries = sorted(by_id.values(), key=lambda e: e.arxiv_id)
    entries.sort(key=lambda e: e.first_featured, reverse=True)
    return entries
