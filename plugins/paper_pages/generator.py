"""The paper pages' generator (see the package docstring)."""

from __future__ import annotations

import functools
import hashlib

from papers.catalog import site_catalog
from papers.cleaning import clean_url
from papers.render.display import json_ld
from papers.themes.explain import plain_reasons
from pelican import signals
from pelican.generators import Generator

# A paper page renders in about 0.3 ms (papers.build.background decides when to fork).
PAPER_PAGE_MS = 0.3


class PaperPagesGenerator(Generator):
    def generate_context(self):
        self.catalog = site_catalog(self)

    def generate_output(self, writer):
        template = self.get_template("article")
        related = self.catalog.related
        links = {entry.arxiv_id: related_link(entry) for entry in self.catalog.entries}
        # A paper's pages show only the paper, its related papers' links and the settings:
        # rendered beside the rest.
        with writer.in_background(ms_per_page=PAPER_PAGE_MS):
            for entry in self.catalog.entries:
                if not entry.has_page:  # an old arXiv-only paper (ARXIV_ONLY_PAGE_MONTHS)
                    continue
                shown = RelatedPapers(tuple(links[other.arxiv_id] for other in related[entry.arxiv_id]))
                writer.write_page(entry.save_as, template, self.context, url=entry.url, article=entry, related=shown)


def related_link(entry) -> tuple[str, str, str, bool]:
    """What a paper page shows of a related paper: its URL (its page's, or its arXiv
    abstract's when it has none), title (markup, as text), first day and whether the URL
    is the site's; not the whole entry, whose upvotes change daily."""
    if entry.has_page:
        return entry.url, str(entry.title_html), entry.first_featured, True
    return entry.link(""), str(entry.title_html), entry.first_featured, False


class RelatedPapers:
    """A paper page's related papers, the links it shows (``related_link``), iterable.
    Its key holds a digest of them: quicker to key than the links one by one."""

    __shown__ = "page_state"

    def __init__(self, links: tuple):
        self.links = links
        self.page_state = hashlib.sha1(repr(links).encode("utf-8", "surrogatepass")).hexdigest()

    def __iter__(self):
        return iter(self.links)

    def __bool__(self) -> bool:
        return bool(self.links)


def get_generators(pelican_object):
    return PaperPagesGenerator


def add_filters(generator):
    generator.env.filters["http_url"] = clean_url
    generator.env.filters["json_ld"] = functools.partial(json_ld, siteurl=generator.settings["SITEURL"])
    generator.env.filters["plain_reasons"] = plain_reasons


def register():
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)
