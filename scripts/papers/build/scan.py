"""Listings of the content and output folders, each made once a build.

``IncrementalPelican`` scans the content folder for its inputs stamp and hands the scan to
the generators in the context (``CONTENT_SCAN``): the paper catalogue takes every paper
file's size and modification time from it instead of a second walk.  The writer lists the
output once when the build finishes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

# The context key of the build's ``ContentScan``.
CONTENT_SCAN = "CONTENT_SCAN"


def scan_files(root: str) -> list[tuple[str, int, int]]:
    """Every file under ``root``: (path, size, modification time in ns), by path."""
    files = []
    folders = [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    st = entry.stat()
                    files.append((entry.path, st.st_size, st.st_mtime_ns))
    files.sort()
    return files


@dataclass(frozen=True)
class ContentScan:
    """The files of the content folder ``root`` as the build found them when it started."""

    root: str
    files: list[tuple[str, int, int]]

    @classmethod
    def of(cls, root: str) -> ContentScan:
        return cls(root, scan_files(root))

    def under(self, folder: str) -> list[tuple[str, int, int]]:
        """The files below ``root/folder``, by path."""
        prefix = os.path.join(self.root, folder, "")
        return [file for file in self.files if file[0].startswith(prefix)]


def output_files(root: str) -> set[str]:
    """Every file under ``root``, by path (``root`` joined to its names with "/")."""
    files = set()
    folders = [root]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = f"{folder}/{entry.name}"
                (folders.append if entry.is_dir(follow_symlinks=False) else files.add)(path)
    return files


def output_digest(root: str, files: set[str]) -> str:
    """The names of ``files`` under ``root``, as one digest."""
    cut = len(root) + 1
    return hashlib.sha1("\0".join(sorted(path[cut:] for path in files)).encode("utf-8", "surrogateescape")).hexdigest()
