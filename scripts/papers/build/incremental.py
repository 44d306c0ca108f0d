"""``IncrementalPelican`` (setting ``PELICAN_CLASS``): Pelican with the incremental writer,
that does nothing at all when nothing changed since its last build.

A build whose inputs (code, settings, the files they name, the theme, every content file
by size and modification time: ``inputs_stamp``) and output (its file names) are what the
last build read and left does nothing.  Any other build runs as usual, with

- the ``IncrementalWriter`` (``papers.build.writer``) as its writer;
- compiled templates kept in ``CACHE_PATH/jinja`` (``papers.build.templates``);
- the scan of the content folder made for the stamp handed to the generators in the
  context (``CONTENT_SCAN``: the paper catalogue needs every file's size and time too);
- the cycle collector's policy of ``papers.build.collector``.

Only public Pelican API is used: ``Pelican.run`` and the signals ``get_writer``,
``generator_init``, ``all_generators_finalized`` and ``finalized``; the receivers act only
for builds of this class (several may live in one process, as in the tests).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from pelican import Pelican, signals
from pelican.log import console
from pelican.utils import posixize_path

from papers.build.collector import collecting_less_often, freeze_survivors
from papers.build.fingerprint import VersionedFile, code_fingerprint, source_version
from papers.build.scan import CONTENT_SCAN, ContentScan, output_digest, output_files
from papers.build.templates import keep_compiled_templates
from papers.build.writer import IncrementalWriter

BUILD_STAMP_NAME = "incremental-build.pickle"  # the last complete build's inputs and output


def inputs_stamp(settings: dict, content: ContentScan) -> str:
    """Everything a build reads: code and settings, files the settings name (the paper
    themes file), the theme, and every content file (by size and modification time)."""
    h = hashlib.sha1(code_fingerprint(settings).encode())
    named_files = sorted(v for v in settings.values() if isinstance(v, str) and os.path.isabs(v) and os.path.isfile(v))
    for path in named_files:
        with open(path, "rb") as f:
            h.update(f"{path}\0".encode() + hashlib.sha1(f.read()).digest())
    scans = [ContentScan.of(root) for root in (*settings.get("THEME_TEMPLATES_OVERRIDES", []), settings["THEME"])]
    for scan in (*scans, content):
        h.update(f"{scan.root}\0{scan.files!r}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


class IncrementalPelican(Pelican):
    """See the module docstring."""

    def __init__(self, settings):
        super().__init__(settings)
        self.content_scan: ContentScan | None = None
        # The writer's listing of the output when it finished (``IncrementalWriter.finish``),
        # and what it wrote.
        self.output_listing: set[str] | None = None
        self.pages_summary = ""
        # Weak references to bound methods: gone with this object.
        signals.get_writer.connect(self._writer_class)
        signals.generator_init.connect(self._init_generator)
        signals.all_generators_finalized.connect(self._contexts_complete)
        signals.finalized.connect(self._quiet_pelicans_summary)

    def run(self):
        stamp = VersionedFile(Path(self.settings["CACHE_PATH"]) / BUILD_STAMP_NAME, source_version(__name__))
        self.content_scan = ContentScan.of(self.settings["PATH"])
        self.output_listing = None
        inputs = inputs_stamp(self.settings, self.content_scan)
        last = stamp.load({})
        root = posixize_path(os.path.abspath(self.output_path))
        # The output by file names: like the writer, which trusts a page that exists.
        if last.get("inputs") == inputs and os.path.isdir(root) and last.get("output") == output_digest(root, output_files(root)):
            console.print(f"Nothing changed since the last build: {self.output_path} is up to date.")
            return
        # Until this build finishes, the output is not what any stamp describes.
        stamp.remove()
        started, quiet = time.perf_counter(), console.quiet
        try:
            with collecting_less_often():
                super().run()
        finally:
            self.content_scan = None
            console.quiet = quiet
        console.print(f"{self.pages_summary} Done in {time.perf_counter() - started:.2f} seconds.".lstrip())
        # Files a later ``finalized`` receiver writes are not in the writer's listing: the
        # next build then finds the output changed and runs in full, which is safe.
        files = self.output_listing if self.output_listing is not None else output_files(root)
        stamp.save({"inputs": inputs, "output": output_digest(root, files)})

    def _mine(self, settings) -> bool:
        return settings is self.settings

    def _writer_class(self, pelican_object):
        return IncrementalWriter if pelican_object is self else None

    def _init_generator(self, generator):
        if self._mine(generator.settings):
            keep_compiled_templates(generator)
            generator.context[CONTENT_SCAN] = self.content_scan

    def _quiet_pelicans_summary(self, pelican_object):
        """Pelican's last line counts articles and pages ("Processed 0 articles, 0 drafts…"),
        and the site's papers are neither: it reads like a failure.  ``run`` says instead
        what the writer wrote and when the build was done."""
        if pelican_object is self:
            console.quiet = True

    def _contexts_complete(self, generators):
        if generators and self._mine(generators[0].settings):
            freeze_survivors()
