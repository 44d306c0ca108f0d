"""Loading the catalogue: every paper file's ``PaperEntry``, deriving only what changed.

Entries are cached in ``CACHE_PATH/paper-catalog/<YYYY-MM>.pickle``, a file per month of
paper files (so that a new day rewrites one), each entry with the size, modification time
and SHA-1 of the file it was derived from:

- a file whose size and modification time are unchanged is not opened;
- a file with a new modification time (a fresh checkout) is read and hashed, and its entry
  kept when the hash is unchanged;
- only new and changed files are parsed and derived again, in worker processes when there
  are many (a cold build).

The cache is valid while the code that derives entries, the paper themes file and the
settings it uses are unchanged (``entries.code_version``); any change derives every entry
again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from multiprocessing import get_context
from pathlib import Path

from papers.build.fingerprint import VersionedFile
from papers.build.scan import ContentScan
from papers.catalog.entries import PaperEntry, code_version, derive_entries
from papers.layout import PAPERS_DIR, paper_day, paper_month

log = logging.getLogger(__name__)

CACHE_FOLDER = "paper-catalog"
# Below this many files to derive, worker processes cost more than they save.
PARALLEL_MIN_FILES = 1000
CHUNK_FILES = 250


def paper_files(content: str, scan: ContentScan | None = None) -> list[tuple[str, int, int]]:
    """Every paper file under the content folder (``papers.layout``): (path, size,
    modification time in ns), by path; from the build's ``scan`` of it when there is one."""
    files = (scan if scan is not None and scan.root == content else ContentScan.of(content)).under(PAPERS_DIR)
    cut = len(os.path.join(content, ""))
    return [file for file in files if paper_day(file[0][cut:].split(os.sep))]


def _load_months(folder: Path, version: str) -> dict[str, dict]:
    """The cached entries of each month, ``{month: {path: (size, mtime_ns, sha1, state)}}``;
    a month whose file is missing, unreadable or made by other code is left out."""
    stored = {}
    for path in folder.glob("*.pickle"):
        files = VersionedFile(path, version).load()
        if files is not None:
            stored[path.stem] = files
    return stored


def _save_months(folder: Path, version: str, stored: dict[str, dict], kept: dict[str, tuple]) -> None:
    """Write the months whose entries changed; remove the files of months with none."""
    months: dict[str, dict] = {}
    for path, known in kept.items():
        months.setdefault(paper_month(path, os.sep), {})[path] = known
    folder.mkdir(parents=True, exist_ok=True)
    for month, files in months.items():
        if stored.get(month) != files:
            VersionedFile(folder / f"{month}.pickle", version).save(files)
    for path in folder.glob("*.pickle"):
        if path.stem not in months:
            path.unlink()


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_entries(content: str, cache_dir: str, paper_themes, *, paper_themes_file: str | None, url_format: str, scan: ContentScan | None = None, workers: int | None = None) -> list[PaperEntry]:
    """Every paper under ``content`` as a ``PaperEntry``, newest first (first featured,
    then arXiv id), deriving only what changed.

    A file that is not a valid paper is reported (naming the file and the reason) and
    left out; the rest of the site builds.
    """
    cache_folder = Path(cache_dir) / CACHE_FOLDER
    version = code_version(paper_themes_file, url_format)
    stored = _load_months(cache_folder, version)
    previous = {path: known for files in stored.values() for path, known in files.items()}

    kept: dict[str, tuple] = {}
    to_derive: list[str] = []
    for path, size_now, mtime_now in paper_files(content, scan):
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
            derived = [row for rows in pool.map(derive_entries, chunks, repeat(paper_themes), repeat(version)) for row in rows]
    else:
        derived = derive_entries(to_derive, paper_themes, version)
    papers_read = {}
    for path, size, mtime_ns, sha1, state, paper, error in derived:
        if error:
            log.error("Skipped %s", error)
            continue
        kept[path] = (size, mtime_ns, sha1, state)
        papers_read[path] = paper

    _save_months(cache_folder, version, stored, kept)

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
    entries = sorted(by_id.values(), key=lambda e: e.arxiv_id)
    entries.sort(key=lambda e: e.first_featured, reverse=True)
    return entries
