"""``IncrementalWriter``: Pelican's Writer, skipping pages whose key did not change.

The site's generators write their pages with ``write_page(name, template, context,
**render_args)``.  The page's key (``papers.build.keys``) is made of the build fingerprint
(templates, code, settings, ``INCREMENTAL_WRITER_GLOBALS``), the template, where the page
goes and what its render arguments show.  A page is skipped when its key equals the one
the manifest holds from the last build: its file was there when that build finished, and
is what rendering would write.  One listing of the output when the build finishes writes
again any skipped page whose file went missing since (a stat of every page as it was
skipped cost more).

Pelican's own ``write_file`` still works for any other writer of pages: those pages have
no key and are always rendered.  When a plugin listens to ``content_written`` (which
wants every page's context), nothing is skipped.

The manifest (``CACHE_PATH/incremental-writer.pickle``) is removed when a build starts
writing and saved when it finishes (``finish``), so an interrupted build is followed by a
full one.  Pages that the previous build wrote and this one does not are deleted, so the
output equals a clean build's.  Pages are rendered in the writer's ``Background`` pool
inside ``in_background``; ``finish`` waits for it, and a child that failed fails the build.
A generator whose pages show only the catalogue may write them all from a child process
(``in_child``): their keys are made there too, so that a day's rebuild, which renders few
of them, spends no time on them in the build's own process while it waits for the related
papers; ``finish`` takes the names and keys the child wrote.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from pathlib import Path

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, posixize_path
from pelican.writers import FileOverwriteFailedError, Writer

from papers.build.background import BACKGROUND_NICENESS, Background, Pending
from papers.build.fingerprint import VersionedFile, build_fingerprint, source_version
from papers.build.keys import page_key
from papers.build.scan import output_files

log = logging.getLogger(__name__)

MANIFEST_NAME = "incremental-writer.pickle"
# An output name that os.path.normpath leaves as it is and that stays in the output
# folder: segments that are not empty, do not start with "." and hold no backslash.
PLAIN_NAME_RE = re.compile(r"[^/.\\\0][^/\\\0]*(?:/[^/.\\\0][^/\\\0]*)*\Z")


class IncrementalWriter(Writer):
    """Pelican's Writer, skipping pages whose inputs match the previous build's."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        version = source_version(__name__, extra=os.path.realpath(self.output_path))
        self.manifest = VersionedFile(Path(self.settings["CACHE_PATH"]) / MANIFEST_NAME, version)
        self.previous = self._load_manifest()
        self.pages: dict[str, str | None] = {}  # output name -> key this build
        self.fingerprint: str | None = None
        self._states: dict = {}  # page_state of each object shown, once a build (keys.page_state)
        self._left: list[tuple] = []  # unchanged pages: (its path, what _render takes)
        self.output_files: set[str] | None = None  # every file in the output when finished
        self.rendered = self.skipped = 0
        self.background = Background(self.settings.get("BUILD_PROCESSES"))
        self._in_children: list[Pending] = []  # what each ``in_child`` call wrote
        self._output_root = posixize_path(os.path.abspath(self.output_path))
        signals.finalized.connect(self._finalized)  # a weak reference: gone with the writer

    def _finalized(self, pelican_object) -> None:
        if pelican_object.settings is self.settings:
            self.finish()
            pelican_object.output_listing = self.output_files
            pelican_object.pages_summary = self.summary()

    def _load_manifest(self) -> dict:
        pages = self.manifest.load({})
        # From here until the build finishes the output may disagree with the manifest.
        self.manifest.remove()
        if not os.path.isdir(self.output_path):  # the output was removed: nothing is left
            return {}
        return pages

    def write_file(self, name, template, context, *args, **kwargs):
        """Pelican's ``write_file``: a page without a key, always rendered."""
        if name:
            self._claim(name, None)
            self.rendered += 1
        super().write_file(name, template, context, *args, **kwargs)

    def write_page(self, name: str, template, context: dict, *, url: str | None = None, **render_args) -> None:
        """Write the page ``name`` from ``template`` (a Jinja template, or anything with
        ``name`` and ``render(context)``), unless its key is unchanged.

        ``render_args`` are the page's own template variables; each object among them
        says what a page shows of it (``papers.build.keys``).
        """
        if self.fingerprint is None:
            # All generators share one context, complete once writing starts.
            self.fingerprint = build_fingerprint(self.settings, context)
        relative_urls = self.settings["RELATIVE_URLS"]
        key = page_key(self.fingerprint, getattr(template, "name", None) or "", name, url, relative_urls, render_args, self._states)
        self._claim(name, key)
        options = dict(relative_urls=relative_urls, url=url, **render_args)
        if self.previous.get(name) == key and not signals.content_written.receivers:
            # Unchanged, and its files were there when the last build finished (``finish``
            # checks again at the end of this one).  Kept small: the cycle collector scans
            # what is kept.
            self.skipped += 1
            self._left.append((self._output_file(name), name, template, context, options))
            if relative_urls:  # what Pelican does for every page it writes
                context["localsiteurl"] = path_to_url(get_relative_path(name))
            return
        self.rendered += 1
        self.background.submit(functools.partial(self._render, name, template, context, options))

    def _claim(self, name: str, key: str | None) -> None:
        """Record the key ``name`` is written with; a page written twice is an error."""
        if name in self.pages:
            raise FileOverwriteFailedError(f'Failed to write "{name}": written already in this build')
        self.pages[name] = key

    def _render(self, name, template, context, options) -> None:
        """Pelican's ``write_file`` for a page."""
        super().write_file(name, template, context, **options)

    def in_background(self, ms_per_page: float, *, then=None):
        """Pages written in this block that must be rendered are rendered by the
        background pool (``papers.build.background``) while the build goes on.  Only pages
        that depend on nothing written later may be written this way.  ``then()`` runs
        after them, in the process that rendered them (``Background.batch``)."""
        return self.background.batch(ms_per_page, then=then)

    def in_child(self, function) -> None:
        """``function()``, which writes pages with ``write_page``, in a child process (at
        the background's priority) while the build goes on: their keys are made and their
        pages rendered there (in its own pool inside ``in_background``); ``finish`` takes
        the names and keys it wrote.  Only pages that depend on nothing written later may
        be written this way.  With one process, ``function()`` runs here and now."""
        if self.background.processes < 2:
            function()
            return
        self._in_children.append(Pending(functools.partial(self._write_in_child, function), self.background.processes))

    def _write_in_child(self, function) -> tuple[dict, int, int]:
        """In the child: ``function()``, then what it wrote (names and keys, pages rendered
        and skipped).  Its skipped pages are checked here, a stat each: the listing of the
        output that ``finish`` checks the others with is made once every child is done."""
        os.nice(BACKGROUND_NICENESS)
        claimed, rendered, skipped = set(self.pages), self.rendered, self.skipped
        self.background, self._left = Background(self.background.processes), []  # the parent's are not this child's
        function()
        self._write_missing(lambda path: os.path.isfile(path))
        self.background.wait()
        return {n: k for n, k in self.pages.items() if n not in claimed}, self.rendered - rendered, self.skipped - skipped

    def _write_missing(self, is_there) -> None:
        """Write again each page left as it was (``_left``) whose file ``is_there`` says is
        gone (in the background pool, inside a batch; else here and now)."""
        for path, name, template, context, options in self._left:
            if not is_there(path):
                self.skipped -= 1
                self.rendered += 1
                self.background.submit(functools.partial(self._render, name, template, context, options))

    def _take_children(self) -> None:
        """Claim the pages the ``in_child`` calls wrote, and count them."""
        for pending in self._in_children:
            pages, rendered, skipped = pending.get()
            for name, key in pages.items():
                self._claim(name, key)
            self.rendered += rendered
            self.skipped += skipped
        self._in_children.clear()

    def call_in_background(self, function) -> None:
        """``function()`` in a child process while the build goes on: work that writes its
        own files (the search index).  ``finish`` waits for it."""
        self.background.call(function)

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

    def finish(self) -> None:
        """Delete pages the previous build wrote and this one did not; write again the
        unchanged pages whose files went missing since the last build; save the manifest."""
        self.background.wait()
        self._take_children()
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
        self.output_files = present = output_files(self._output_root) if os.path.isdir(self._output_root) else set()
        self._write_missing(present.__contains__)
        present.update(path for path, *_ in self._left)
        self._left.clear()
        self._states.clear()
        self.manifest.save(self.pages)

    def summary(self) -> str:
        """What the build wrote (Pelican's own summary counts articles, and papers are not
        articles: ``IncrementalPelican`` prints this instead)."""
        return f"Pages: {self.rendered:,} written, {self.skipped:,} unchanged since the last build."

