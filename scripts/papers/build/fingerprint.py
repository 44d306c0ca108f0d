"""Digests of code and settings, and the one way a cache file is tied to the code that made it.

Every cache of the build (the paper catalogue, feed entries, the writer's manifest, search
shards) must be made again when the code that fills it changes.  ``source_version`` is the
digest each of them uses for that, and ``VersionedFile`` the file that holds a cached value
under such a version: a file of another version, or one that cannot be read, reads as
missing, and a save is atomic.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path
from types import ModuleType

import jinja2
import pelican

from papers.build.keys import stable_repr
from papers.store import atomic_write


def source_version(*modules: str | ModuleType, extra: str = "") -> str:
    """A digest of the source files of ``modules`` (objects, or names of loaded modules;
    a name not loaded counts as nothing) and of ``extra`` (a library's version, a setting)."""
    h = hashlib.sha1(extra.encode("utf-8", "surrogatepass"))
    for module in modules:
        if isinstance(module, str):
            module = sys.modules.get(module)
        if module is not None:
            h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def _is_project_code(path: str) -> bool:
    """Whether a module's file is the project's own code: Python source outside the
    interpreter's and the installed packages' folders (an editable install of the library
    stays in the repository).  Remembered: a build asks for each of some 900 modules."""
    return path.endswith(".py") and not os.path.realpath(path).startswith(_library_folders())


@functools.lru_cache(maxsize=None)
def _library_folders() -> tuple[str, ...]:
    return tuple({os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})


def code_fingerprint(settings: dict) -> str:
    """The code and settings a build runs with: the project's own loaded code (plugins,
    the paper library) by content, installed packages (Pelican's own templates among them)
    by version, every setting by value."""
    h = hashlib.sha1()
    for module in sorted(sys.modules.values(), key=lambda m: getattr(m, "__name__", "")):
        path = getattr(module, "__file__", None)
        if not path or not _is_project_code(path):
            continue
        h.update(path.encode() + b"\0")
        with open(path, "rb") as f:
            h.update(hashlib.sha1(f.read()).digest())
    h.update(f"pelican {pelican.__version__} jinja2 {jinja2.__version__}\0".encode())
    for name, value in sorted(settings.items()):
        h.update(f"{name}={stable_repr(value)}\0".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def tree_digest(h, root: str) -> None:
    """Add every file under ``root`` (names and contents, in a stable order) to ``h``."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            h.update(path.encode() + b"\0")
            with open(path, "rb") as f:
                h.update(hashlib.sha1(f.read()).digest())


def build_fingerprint(settings: dict, context: dict) -> str:
    """Everything every page depends on: templates, code, settings, and the context values
    named in ``INCREMENTAL_WRITER_GLOBALS`` (values plugins add that any page may show)."""
    h = hashlib.sha1(code_fingerprint(settings).encode())
    for root in (*settings.get("THEME_TEMPLATES_OVERRIDES", []), settings["THEME"]):
        tree_digest(h, root)
    for name in settings.get("INCREMENTAL_WRITER_GLOBALS", ()):
        h.update(f"{name}={stable_repr(context.get(name))}\0".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class VersionedFile:
    """One cached value in a file, valid only for the ``version`` that wrote it."""

    def __init__(self, path: Path | str, version: str):
        self.path = Path(path)
        self.version = version

    def load(self, default=None):
        """The value saved under this version; ``default`` when there is none."""
        try:
            with open(self.path, "rb") as f:
                stored = pickle.load(f)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return default
        if not isinstance(stored, dict) or stored.get("version") != self.version:
            return default
        return stored["value"]

    def save(self, value) -> None:
        atomic_write(self.path, pickle.dumps({"version": self.version, "value": value}, protocol=pickle.HIGHEST_PROTOCOL))

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
