"""The search's generator: Pelican glue over the pure builder ``papers.search_index``."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from papers.build.fingerprint import source_version
from papers.catalog import site_catalog
from papers.search_index import SearchDocument, build_search_index
from pelican import signals
from pelican.generators import Generator

log = logging.getLogger(__name__)

SEARCH_DIR = "search"
# What makes a paper's SearchDocument beside the paper itself: this file.
DOCUMENT_VERSION = source_version(__name__)[:12]


def search_document(entry) -> SearchDocument:
    paper = entry.paper
    themes = entry.themes
    return SearchDocument(
        arxiv_id=paper.arxiv_id,
        url=entry.url if entry.has_page else "",  # no page: search.js links its arXiv abstract
        # As the pages show them: TeX read as text, formulas as text (the index holds no MathML).
        title=entry.title_text,
        authors=tuple(paper.authors),
        day=paper.first_featured,
        paper_themes=tuple(theme.name for theme in themes),
        # "Other papers" would make the word "papers" match every unthemed paper.
        indexed_themes=tuple(theme.name for theme in themes if not theme.is_catch_all),
        keywords=tuple(paper.ai_keywords),
        abstract=entry.abstract_text,
        upvotes=entry.upvotes,
    )


class PaperToIndex:
    """A catalogue entry as the index builder first sees it: its ``SearchDocument`` is made
    (and the paper file read) only when the paper's shard must be indexed."""

    __slots__ = ("entry", "arxiv_id", "day", "search_key")

    def __init__(self, entry):
        self.entry = entry
        self.arxiv_id = entry.arxiv_id
        self.day = entry.first_featured
        # page_state changes with the paper file, its theme matches and the code that reads
        # it; theme names may change alone, and so may search_document.
        themes = [(theme.name, theme.is_catch_all) for theme in entry.themes]
        self.search_key = repr((DOCUMENT_VERSION, entry.url, entry.page_state, themes))

    def search_document(self) -> SearchDocument:
        return search_document(self.entry)


class SearchGenerator(Generator):
    """Writes output/search/ (the index) and the /search/ page."""

    def generate_context(self):
        self.catalog = site_catalog(self)

    def generate_output(self, writer):
        # The index writes its own files from the catalogue: built beside the other pages.
        writer.call_in_background(self.build_index)
        # The page shows no paper, only the newest one's id as an example of a query.
        newest = self.catalog.newest_first[0].arxiv_id if len(self.catalog) else None
        writer.write_page(f"{SEARCH_DIR}/index.html", self.env.get_template("search.html"), self.context, url=f"{SEARCH_DIR}/", example_id=newest)

    def build_index(self):
        started = time.perf_counter()
        manifest, stats = build_search_index(
            [PaperToIndex(entry) for entry in self.catalog.entries],
            Path(self.output_path) / SEARCH_DIR,
            Path(self.settings["CACHE_PATH"]) / "search_index",
        )
        log.info(
            "search index: %d papers in %d shards (%d indexed, %d from cache) in %.1f s",
            manifest["papers"], stats.shards, stats.indexed, stats.reused, time.perf_counter() - started,
        )


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
