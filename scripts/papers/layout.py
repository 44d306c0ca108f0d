"""Where a paper lives under the content folder: the one place the layout is written down.

A paper is one file, ``papers/YYYY/MM/DD/<arxiv_id>.md``, in the folder of the first day it
was featured.  Hidden files (an interrupted atomic write's temporary file) are never papers.
"""

from __future__ import annotations

from pathlib import PurePath

PAPERS_DIR = "papers"
PAPER_SUFFIX = ".md"
# Below PAPERS_DIR: year, month, day, file.
PAPER_GLOB = f"*/*/*/*{PAPER_SUFFIX}"


def paper_relpath(arxiv_id: str, day: str) -> PurePath:
    """The file of a paper first featured on ``day`` (YYYY-MM-DD), relative to the content folder."""
    year, month, dom = day.split("-")
    return PurePath(PAPERS_DIR, year, month, dom, f"{arxiv_id}{PAPER_SUFFIX}")


def paper_day(parts: tuple[str, ...] | list[str]) -> str | None:
    """The day (YYYY-MM-DD) of a paper file given by its path's parts relative to the
    content folder (``("papers", "2026", "08", "21", "2608.19880.md")``); None when the
    path is not a paper file's."""
    if len(parts) != 5 or parts[0] != PAPERS_DIR or not parts[4].endswith(PAPER_SUFFIX):
        return None
    if any(part.startswith(".") for part in parts[1:]):
        return None
    return "-".join(parts[1:4])


def paper_month(path: str, sep: str = "/") -> str:
    """``YYYY-MM`` of a paper file's path (absolute or relative, ``…/YYYY/MM/DD/x.md``)."""
    year, month = path.split(sep)[-4:-2]
    return f"{year}-{month}"
