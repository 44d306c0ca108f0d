"""The site's papers, read once per build: one ``Catalog`` in the context, read by every
generator (pages, listings, feeds, search) in whatever order Pelican runs them.

``site_catalog(generator)`` returns the build's catalogue, loading it the first time any
generator asks (``papers.catalog.cache``: only new and changed paper files are parsed).  It
also puts ``PAPER_THEMES`` (every ``PaperTheme`` of the paper themes file, catch-all last)
into the context, the one value plugins add that any page may show.
"""

from __future__ import annotations

from functools import cached_property

from pelican.log import console

from papers.build.background import Primed
from papers.build.scan import CONTENT_SCAN
from papers.catalog.cache import load_entries
from papers.catalog.days import DigestDay, digest_days, newest_first
from papers.catalog.periods import MONTH, WEEK, DigestPeriod, digest_periods
from papers.catalog.entries import PaperEntry, drop_old_pages
from papers.catalog.related import RelatedInput, import_libraries, related_papers
from papers.errors import ConfigError
from papers.themes import load_paper_themes

CATALOG = "PAPER_CATALOG"  # its key in the context
DEFAULT_PAPER_THEMES_FILE = "themes.yml"
DEFAULT_PAPER_URL = "papers/{slug}/"


class Catalog:
    """Every paper of the site and the ways the pages list them."""

    def __init__(self, entries: list[PaperEntry], paper_themes: list, related: Primed):
        self.entries = entries  # newest first: first featured, then arXiv id
        self.paper_themes = paper_themes
        self._related = related

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def days(self) -> list[DigestDay]:
        """Every day with a digest, oldest first."""
        return digest_days(self.entries, self.paper_themes)

    @cached_property
    def weeks(self) -> list[DigestPeriod]:
        """Every ISO week with a digest, oldest first."""
        return digest_periods(self.days, WEEK)

    @cached_property
    def months(self) -> list[DigestPeriod]:
        """Every month with a digest, oldest first."""
        return digest_periods(self.days, MONTH)

    @property
    def last_digest_day(self) -> DigestDay | None:
        """The newest digest ("last updated": never the build's clock)."""
        return self.days[-1] if self.days else None

    @cached_property
    def newest_first(self) -> list[PaperEntry]:
        """Every paper by first day featured, then upvotes, newest first (the feeds' order)."""
        return newest_first(self.entries)

    @cached_property
    def by_theme(self) -> dict[str, list[PaperEntry]]:
        """Each paper theme's slug to its papers, newest first."""
        listed: dict[str, list] = {t.slug: [] for t in self.paper_themes}
        for entry in self.entries:  # one pass over the papers, not one per paper theme
            for paper_theme in entry.themes:
                listed[paper_theme.slug].append(entry)
        return {slug: newest_first(found) for slug, found in listed.items()}

    @cached_property
    def related(self) -> dict[str, list[PaperEntry]]:
        """Each paper's arXiv id to its nearest papers by title and abstract, nearest first
        (``papers.catalog.related``; cached in the cache folder)."""
        by_id = {entry.arxiv_id: entry for entry in self.entries}
        found = self._related.get()
        return {arxiv_id: [by_id[other] for other in others] for arxiv_id, others in found.items()}

    @cached_property
    def theme_counts(self) -> dict[str, int]:
        return {slug: len(found) for slug, found in self.by_theme.items()}


def load_catalog(settings: dict, scan=None, processes: int | None = 1) -> Catalog:
    """The catalogue of the content folder of ``settings`` (``PATH``).  With ``processes``
    over 1 (None: the machine's cores), its related papers are found in a child process
    from the start; else the first time they are asked for."""
    paper_themes_file = settings.get("PAPER_THEMES_FILE", DEFAULT_PAPER_THEMES_FILE)
    paper_themes = load_paper_themes(paper_themes_file)
    # Found in a child process, which imports what it compares papers with while the
    # entries load; the build goes on making the other pages.
    related = Primed(import_libraries, related_papers, processes)
    entries = load_entries(
        settings["PATH"], settings["CACHE_PATH"], paper_themes, paper_themes_file=paper_themes_file,
        url_format=settings.get("PAPER_URL", DEFAULT_PAPER_URL), scan=scan,
    )
    drop_old_pages(entries, page_months(settings))
    related.give([RelatedInput(entry) for entry in entries] if related.in_child else entries, settings["CACHE_PATH"])
    return Catalog(entries, paper_themes, related)


def page_months(settings: dict) -> int | None:
    """The setting ``ARXIV_ONLY_PAGE_MONTHS``: None, or a whole number of months."""
    months = settings.get("ARXIV_ONLY_PAGE_MONTHS")
    if months is not None and (type(months) is not int or months < 0):
        raise ConfigError(f"ARXIV_ONLY_PAGE_MONTHS must be None or a whole number of months (0 or more), not {months!r}")
    return months


def site_catalog(generator) -> Catalog:
    """The build's catalogue, from the generators' shared context (loaded on first use)."""
    context = generator.context
    catalog = context.get(CATALOG)
    if catalog is None:
        catalog = context[CATALOG] = load_catalog(generator.settings, context.get(CONTENT_SCAN), processes=generator.settings.get("BUILD_PROCESSES"))
        context["PAPER_THEMES"] = catalog.paper_themes
        pageless = sum(not entry.has_page for entry in catalog.entries)
        console.print(f"Papers: {len(catalog):,}." + (f" {pageless:,} arXiv-only papers older than {generator.settings['ARXIV_ONLY_PAGE_MONTHS']} months link to arXiv, without a page of their own (ARXIV_ONLY_PAGE_MONTHS)." if pageless else ""))
    return catalog
