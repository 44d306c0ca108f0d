"""Skip rendering pages whose inputs did not change since the previous build.

Pelican renders and writes every page on every build, so adding one day to a two-year
archive costs nearly as much as building it from scratch.  This plugin installs a Writer
(signal ``get_writer``) that remembers, in a manifest, what each page was built from:

- a write that passes ``page_key=`` (every page the site's own generators write) is keyed
  by that value: a text, or any structure of texts, numbers, dates and containers (made
  into text by ``stable_repr``), which its generator changes whenever anything the page
  shows changes;
- any other page has no key and is always rendered.

Each key is combined with the build fingerprint: the theme's templates and static files,
the source of the project's code that is loaded (plugins, the paper library), the versions
of Pelican and Jinja, every setting (``SITEURL``, …) and the context values that plugins
add and any page may show, named in the setting ``INCREMENTAL_WRITER_GLOBALS`` (e.g.
``PAPER_THEMES``).  Other context values (``LAST_DIGEST_DAY``) must reach a keyed page only
through its ``page_key``.  A page is skipped when its combined key equals the one in the
manifest: its file was there when the last build finished, and is then what rendering
would write.  One listing of the output when the build finishes writes again any skipped
page whose file went missing since (a stat of every page as it was skipped cost more).

The manifest lives in ``CACHE_PATH``.  It is removed when a build starts writing and
written again (atomically) when the build finishes, so an interrupted build is followed by
a full one.  Pages that the previous build wrote and this one does not (a listing that
got shorter) are deleted, so the output equals a clean build's.

The other generators use three helpers (each does the plain thing with another writer):

- ``in_background(writer, min_pages)``: pages written in the block that must be rendered
  are rendered by forked child processes, one per core, beside the rest of the build;
- ``call_in_background(writer, function)``: work that writes its own files (the search
  index) in a forked child;
- ``write_with_companions(...)``: a page and files that show nothing it does not (a
  paper's BibTeX file), written and kept together under the page's key.

``finish`` waits for the children, and a child that failed fails the build.  Compiled
templates are kept in ``CACHE_PATH/jinja`` (Jinja's bytecode cache).

With ``PELICAN_CLASS = "incremental_writer.IncrementalPelican"`` a build whose inputs
(code, settings, the files they name, the theme, every content file) and output are what
the last build read and left does nothing at all; other builds share its scan of the
content folder (``scanned_content``) and keep the cycle collector off what they made
before writing (``gc.freeze``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
import logging
import os
import re
import sys
import traceback
import weakref
from pathlib import Path

import jinja2
import pelican
from papers.store import atomic_write
from pelican import Pelican, signals
from pelican.log import console
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, posixize_path
from pelican.writers import FileOverwriteFailedError, Writer

log = logging.getLogger(__name__)

MANIFEST_NAME = "incremental-writer.json"
BUILD_STAMP_NAME = "incremental-build.json"  # the last complete build's inputs and output
MANIFEST_VERSION = 3
# Allocations between two runs of the youngest generation's cycle collection (Python: 700).
GC_THRESHOLD = 200_000
MAX_BACKGROUND_PROCESSES = 4
MAX_DEPTH = 6
# An output name that os.path.normpath leaves as it is and that stays in the output
# folder: segments that are not empty, do not start with "." and hold no backslash.
PLAIN_NAME_RE = re.compile(r"[^/.\\\0][^/\\\0]*(?:/[^/.\\\0][^/\\\0]*)*\Z")
PRIMITIVES = frozenset({str, int, float, bool, bytes, type(None)})


def stable_repr(value, _depth: int = 0) -> str:
    """A text that changes when ``value``'s content changes, and is the same across runs.

    Containers and objects are followed ``MAX_DEPTH`` levels deep (deeper: a marker), so a
    cycle such as a day linking to its neighbours cannot recurse forever; dataclass fields
    declared ``repr=False`` are not content.  Other objects fall back to ``repr``: when
    that holds a memory address, the page keyed by it is simply never skipped.
    """
    kind = type(value)
    if kind in PRIMITIVES:
        return repr(value)
    if isinstance(value, str):  # Markup and other str subclasses: the text itself
        return kind.__qualname__ + str.__repr__(value)
    if _depth >= MAX_DEPTH:
        return f"<{kind.__qualname__}>"
    _depth += 1
    if isinstance(value, (list, tuple)):
        if PRIMITIVES.issuperset(map(type, value)):  # authors, keywords: no need to recurse
            return repr(list(value))
        return "[" + ",".join([stable_repr(v, _depth) for v in value]) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable_repr(v, _depth) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{stable_repr(k, _depth)}:{stable_repr(v, _depth)}" for k, v in value.items())) + "}"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    fields = _content_fields(kind)
    if fields is not None:
        return f"{kind.__qualname__}({','.join([f'{name}={stable_repr(getattr(value, name), _depth)}' for name in fields])})"
    if isinstance(value, URLWrapper):  # category, tag, author: it holds the whole settings
        return f"{kind.__name__}({value.name!r})"
    if isinstance(value, Content):  # another page: what a template shows of it
        return f"{kind.__name__}({value.url!r},{value.title!r})"
    if callable(value) and hasattr(value, "__qualname__"):  # a filter or function in settings
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "__dict__"):
        return kind.__qualname__ + stable_repr(vars(value), _depth)
    return repr(value)


_dataclass_fields: dict[type, tuple[str, ...] | None] = {}


def _content_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass that are part of its repr; None for other types."""
    try:
        return _dataclass_fields[kind]
    except KeyError:
        fields = tuple(f.name for f in dataclasses.fields(kind) if f.repr) if dataclasses.is_dataclass(kind) else None
        _dataclass_fields[kind] = fields
        return fields


def digest(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _tree_files(root: str):
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            yield os.path.join(folder, name)


@functools.lru_cache(maxsize=None)
def _is_project_code(path: str) -> bool:
    """Whether a module's file is the project's own code: Python source outside the
    interpreter's and the installed packages' folders.  (Remembered: a build asks twice
    for each of some 900 modules, and resolving their paths was most of the cost.)"""
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


def build_fingerprint(settings: dict, context: dict) -> str:
    """Everything every page depends on: templates, code, settings, and the context values
    named in ``INCREMENTAL_WRITER_GLOBALS`` (values plugins add that any page may show)."""
    h = hashlib.sha1(code_fingerprint(settings).encode())
    template_roots = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), settings["THEME"]]
    for root in template_roots:
        for path in _tree_files(root):
            h.update(path.encode() + b"\0")
            with open(path, "rb") as f:
                h.update(hashlib.sha1(f.read()).digest())
    for name in settings.get("INCREMENTAL_WRITER_GLOBALS", ()):
        h.update(f"{name}={stable_repr(context.get(name))}\0".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class _SkippableTemplate:
    """Stands in for a page's template: renders only the files whose key changed."""

    def __init__(self, template, writer: "IncrementalWriter", key: str):
        self.template, self.writer, self.key = template, writer, key

    def render(self, localcontext):
        name = localcontext["output_file"]  # one of the pages Pelican paginates into
        if self.writer.unchanged(name, self.key and digest(self.key, name)):
            return ""
        return self.template.render(localcontext)


_writers: weakref.WeakSet = weakref.WeakSet()


class IncrementalWriter(Writer):
    """Pelican's Writer, skipping pages whose inputs match the previous build's."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.manifest_path = Path(self.settings["CACHE_PATH"]) / MANIFEST_NAME
        self.previous = self._load_manifest()
        self.pages: dict[str, str | None] = {}  # output name -> key this build
        self.fingerprint: str | None = None
        self._kept: set[str] = set()  # paths whose file is left as it is
        self._left: list[tuple] = []  # unchanged pages: (their paths, what _render takes)
        self.output_files: set[str] | None = None  # every file in the output when finished
        self.rendered = self.skipped = 0
        self._queue: list | None = None  # writes held back by ``in_background``
        self._children: list[int] = []  # processes rendering pages in the background
        self._output_root = posixize_path(os.path.abspath(self.output_path))
        _writers.add(self)

    def _load_manifest(self) -> dict:
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            # From here until the build finishes the output may disagree with the manifest.
            self.manifest_path.unlink()
        except (OSError, ValueError):
            return {}
        if manifest.get("version") != MANIFEST_VERSION or manifest.get("output_path") != os.path.realpath(self.output_path):
            return {}
        if not os.path.isdir(self.output_path):  # the output was removed: nothing is left
            return {}
        return manifest.get("pages", {})

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None, override_output=False, url=None, page_key=None, companions=(), **kwargs):
        """Pelican's ``write_file``, skipping a page whose key is unchanged.

        ``companions`` (``write_with_companions``): other files made from the same context
        by other templates, ``[(name, template), ...]``, that show nothing the page does not
        (a paper's BibTeX file): written with the page, kept with it, and costing a rebuild
        no key of their own.
        """
        if not name:  # Pelican's way of saying "this page is not wanted"
            return
        if self.fingerprint is None:
            # All generators share one context, complete once writing starts.
            self.fingerprint = build_fingerprint(self.settings, context)
        key = None
        if page_key is not None:
            page_key = page_key if isinstance(page_key, str) else stable_repr(page_key)
            key = (self.fingerprint, page_key, getattr(template, "name", None) or "", str(url), repr((relative_urls, override_output)))
        options = dict(relative_urls=relative_urls, paginated=paginated, template_name=template_name, override_output=override_output, url=url, **kwargs)

        if key is None or self._paginates(paginated, template_name, kwargs) or signals.content_written.receivers:
            # Pelican decides the file names (pagination) or a plugin wants every page's
            # context: the template stand-in decides file by file.
            super().write_file(name, _SkippableTemplate(template, self, key and digest(*key)), context, **options)
            for companion, companion_template in companions:
                self.write_file(companion, companion_template, context, page_key=page_key, **options)
            return
        # One file, known in advance: an unchanged one costs no template context at all
        # (a rebuild passes here for every paper page: kept cheap, one digest a page).
        key = digest(*key, name)
        names = [name, *(companion for companion, _ in companions)]
        paths = tuple(self._output_file(file_name) for file_name in names)
        for file_name in names:
            self.pages[file_name] = key
        if self.previous.get(name) == key:
            # Unchanged, and its files were there when the last build finished (``finish``
            # checked every page then, and checks again at the end of this build: a stat a
            # file here was most of what a rebuild spent on an unchanged paper's page).
            self.skipped += 1
            for path in paths:
                self._keep(path, override_output)
            # Kept small: the cycle collector scans what is kept (a closure was 20 objects).
            self._left.append((paths, name, template, context, companions, options))
            if relative_urls:  # what Pelican does for every page it writes
                context["localsiteurl"] = path_to_url(get_relative_path(name))
            return
        self.rendered += 1
        if self._queue is None:
            self._render(name, template, context, companions, options)
        else:
            self._queue.append(functools.partial(self._render, name, template, context, companions, options))

    def _render(self, name, template, context, companions, options) -> None:
        """Pelican's ``write_file`` for a page and its companions."""
        super().write_file(name, template, context, **options)
        for companion, companion_template in companions:
            super().write_file(companion, companion_template, context, **options)

    @contextlib.contextmanager
    def in_background(self, min_pages: int):
        """Pages written in this block that must be rendered are rendered by forked child
        processes, one per core, while the build goes on (when there are ``min_pages``:
        below that, forking costs more than it saves).

        A cold build renders thousands of paper pages and listings: on a machine with more
        than one core they can be rendered beside each other and the search index.  Only
        pages that depend on nothing written later may be written this way.  ``finish``
        waits for the children; if one failed, the build fails.
        """
        self._queue = queue = []
        try:
            yield
        finally:
            self._queue = None
        processes = min(os.cpu_count() or 1, MAX_BACKGROUND_PROCESSES)
        if len(queue) < min_pages or processes < 2 or not hasattr(os, "fork"):
            for write in queue:
                write()
            return
        for share in range(processes):
            self._fork(queue[share * len(queue) // processes : (share + 1) * len(queue) // processes])
        log.info("incremental writer: %d pages rendering in %d processes", len(queue), processes)

    def call_in_background(self, function) -> None:
        """Run ``function()`` in a forked child process while the build goes on (on one
        core, here and now).  Like ``in_background``, for work that writes its own files
        (the search index); ``finish`` waits for it and fails the build if it failed."""
        if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
            function()
        else:
            self._fork([function])

    def _fork(self, calls: list) -> None:
        """A child process that makes ``calls`` and leaves without the parent's exit code."""
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            self._children.append(pid)
            return
        status = 0
        try:
            for call in calls:
                call()
        except BaseException:
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)

    def wait_for_background(self) -> None:
        """Wait for the background children; an error if any failed."""
        failed = []
        while self._children:
            pid = self._children.pop()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                failed.append(pid)
        if failed:
            raise RuntimeError(f"work in the background failed (process {', '.join(map(str, failed))}); see its error above")

    def _output_file(self, name: str) -> str:
        """``sanitised_join(self.output_path, name)`` (the path Pelican writes ``name`` to,
        refused outside the output), with the output's absolute path worked out once: a
        rebuild asks for every page's."""
        if PLAIN_NAME_RE.match(name):  # what normpath and the check below would leave as it is
            return f"{self._output_root}/{name}"
        path = posixize_path(os.path.normpath(os.path.join(self._output_root, name)))
        if not path.startswith(self._output_root):
            raise RuntimeError(f"Attempted to break out of output directory to {path}")
        return path

    def _paginates(self, paginated, template_name, kwargs) -> bool:
        """Whether Pelican's ``write_file`` would paginate this page (its own test)."""
        if template_name not in self.settings["PAGINATED_TEMPLATES"]:
            return False
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        return bool(paginated)

    def unchanged(self, name: str, key: str | None) -> bool:
        """Record ``name``'s key (a digest that covers ``name``; None: always rendered);
        True when its file can be left as the last build wrote it."""
        self.pages[name] = key
        if key is not None and self.previous.get(name) == key:
            path = self._output_file(name)
            if os.path.isfile(path):
                self._kept.add(path)
                self.skipped += 1
                return True
        self.rendered += 1
        return False

    def _open_w(self, filename, encoding, override=False):
        if filename not in self._kept:
            return super()._open_w(filename, encoding, override)
        self._keep(filename, override)
        return open(os.devnull, "w", encoding=encoding)

    def _keep(self, filename: str, override: bool) -> None:
        """Pelican's checks against writing a file twice, for a file left as it is."""
        self._kept.discard(filename)
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
        elif filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already written to it previously (set `override=True` if intended)')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)

    def finish(self):
        """Delete pages the previous build wrote and this one did not; write again the
        unchanged pages whose files went missing since the last build; save the manifest."""
        self.wait_for_background()
        for name in self.previous.keys() - self.pages.keys():
            path = self._output_file(name)
            if not os.path.isfile(path):
                continue
            os.unlink(path)
            log.info("Deleted %s: no longer part of the site", path)
            folder = os.path.dirname(path)
            while folder.startswith(self._output_root + os.sep) and not os.listdir(folder):
                os.rmdir(folder)
                folder = os.path.dirname(folder)
        # One listing of the output checks every page that was left as it was (and is what
        # IncrementalPelican's stamp records): a page in the manifest was there at the end.
        self.output_files = present = output_files(self._output_root)
        for paths, *page in self._left:
            if not present.issuperset(paths):
                self.skipped -= 1
                self.rendered += 1
                self._written_files.difference_update(paths)  # left, not written: now written
                self._render(*page)
                present.update(paths)
        self._left.clear()
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.manifest_path, json.dumps({"version": MANIFEST_VERSION, "output_path": os.path.realpath(self.output_path), "pages": self.pages}, separators=(",", ":")))
        # Pelican's own summary counts articles, and papers are not articles (paper_pages).
        console.print(f"Pages: {self.rendered:,} written, {self.skipped:,} unchanged since the last build.")


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


# The files under the content folder as this build's inputs stamp found them, for plugins
# that need every content file's size and modification time (``scanned_content``).
_content_scan: dict[str, list[tuple[str, int, int]]] = {}


def scanned_content(root: str) -> list[tuple[str, int, int]] | None:
    """``scan_files(root)`` of the content folder ``root`` as this build found it when it
    started (the paper catalogue needs it too: one scan, not two); None outside a build of
    ``IncrementalPelican``, the caller then scans itself."""
    return _content_scan.get(root)


def inputs_stamp(settings: dict) -> str:
    """Everything a build reads: code and settings, files the settings name (the paper
    themes file), the theme, and every content file (by size and modification time)."""
    h = hashlib.sha1(code_fingerprint(settings).encode())
    named_files = sorted(v for v in settings.values() if isinstance(v, str) and os.path.isabs(v) and os.path.isfile(v))
    for path in named_files:
        with open(path, "rb") as f:
            h.update(f"{path}\0".encode() + hashlib.sha1(f.read()).digest())
    scans = {root: scan_files(root) for root in (*settings.get("THEME_TEMPLATES_OVERRIDES", []), settings["THEME"], settings["PATH"])}
    for root, files in scans.items():
        h.update(f"{root}\0{files!r}\0".encode("utf-8", "surrogateescape"))
    _content_scan[settings["PATH"]] = scans[settings["PATH"]]
    return h.hexdigest()


class IncrementalPelican(Pelican):
    """Pelican that does nothing at all when nothing changed since its last build
    (setting ``PELICAN_CLASS``): same inputs (``inputs_stamp``) and the same files in the
    output folder as that build left.  Any other build runs as usual (with the cycle
    collector run less often), the writer then skipping the pages that did not change."""

    def run(self):
        # What an earlier build in this process froze (below) is its garbage now.
        gc.unfreeze()
        try:
            self._run()
        finally:
            _content_scan.clear()

    def _get_writer(self):
        # Called once every generator's context is complete: what the build made so far
        # (the catalogue, the days, the loaded code) lives until it ends.  Frozen, the
        # cycle collector no longer scans it over and over while pages are written (one
        # such pass took 30 ms of a day's rebuild), nor at the interpreter's exit (55 ms),
        # and forked children do not copy its memory by touching it.  The next build in
        # the same process unfreezes it.
        gc.freeze()
        return super()._get_writer()

    def _run(self):
        stamp_path = Path(self.settings["CACHE_PATH"]) / BUILD_STAMP_NAME
        inputs = inputs_stamp(self.settings)
        try:
            last = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = {}
        # The output by file names: like the writer, which trusts a page that exists.
        root = posixize_path(os.path.abspath(self.output_path))
        if last.get("inputs") == inputs and os.path.isdir(root) and last.get("output") == output_digest(root, output_files(root)):
            console.print(f"Nothing changed since the last build: {self.output_path} is up to date.")
            return
        # Until this build finishes, the output is not what any stamp describes.
        stamp_path.unlink(missing_ok=True)
        # A build makes hundreds of thousands of objects that live until it ends (catalogue
        # entries, pages' contexts); Python's cycle collector would scan them over and over,
        # a third of the time of loading the catalogue.  Collect far less often meanwhile.
        thresholds = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
        self.output_files = None  # the writer's listing when it finishes (save_manifest)
        try:
            super().run()
        finally:
            gc.set_threshold(*thresholds)
        # Files a later ``finalized`` receiver writes are not in the writer's listing: the
        # next build then finds the output changed and runs in full, which is safe.
        files = self.output_files if self.output_files is not None else output_files(root)
        stamp_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(stamp_path, json.dumps({"inputs": inputs, "output": output_digest(root, files)}))


def in_background(writer, min_pages: int):
    """``writer.in_background(min_pages)`` for an incremental writer; for another writer
    (the plugin off), a block that changes nothing."""
    if isinstance(writer, IncrementalWriter):
        return writer.in_background(min_pages)
    return contextlib.nullcontext()


def write_with_companions(writer, name, template, context, companions, **kwargs) -> None:
    """``writer.write_file`` for a page and its companion files (see
    ``IncrementalWriter.write_file``); another writer (the plugin off) writes each."""
    if isinstance(writer, IncrementalWriter):
        writer.write_file(name, template, context, companions=companions, **kwargs)
        return
    kwargs.pop("page_key", None)
    for file_name, file_template in ((name, template), *companions):
        writer.write_file(file_name, file_template, context, **kwargs)


def call_in_background(writer, function) -> None:
    """``writer.call_in_background(function)`` for an incremental writer; for another
    writer (the plugin off), ``function()`` here and now."""
    if isinstance(writer, IncrementalWriter):
        writer.call_in_background(function)
    else:
        function()


def keep_compiled_templates(generator) -> None:
    """Keep each generator's compiled templates in ``CACHE_PATH/jinja`` (Jinja's bytecode
    cache, checked against each template's source): every build compiled every template
    again, a tenth of a day's rebuild."""
    path = os.path.join(generator.settings["CACHE_PATH"], "jinja")
    os.makedirs(path, exist_ok=True)
    generator.env.bytecode_cache = jinja2.FileSystemBytecodeCache(path)


def get_writer(pelican_object):
    return IncrementalWriter


def save_manifest(pelican_object):
    for writer in list(_writers):
        if writer.settings is pelican_object.settings:
            writer.finish()
            _writers.discard(writer)
            pelican_object.output_files = writer.output_files  # IncrementalPelican's stamp


def register():
    signals.generator_init.connect(keep_compiled_templates)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(save_manifest)
