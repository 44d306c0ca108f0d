"""The papers: read from ``content/papers/…/<arxiv_id>.md``, one page each.

Paper files are not Pelican articles.  Pelican's article pipeline costs about half a
millisecond per article on every build, even from its cache (each file is hashed, each
article object rebuilt), which at archive scale is most of a rebuild.  This plugin's
generator reads them through the catalogue (``catalog.py``: cached entries, only new and
changed files parsed) and writes

- ``/papers/<arxiv_id>/`` (setting ``PAPER_URL``; template ``article.html``, the variable
  ``article`` being the ``PaperEntry``) and ``<arxiv_id>.bib`` beside it, the paper's
  BibTeX entry.

The shared context gets ``PAPER_THEMES`` (every ``PaperTheme`` of the paper themes file,
setting ``PAPER_THEMES_FILE``, catch-all last) and ``papers``: every ``PaperEntry``, newest
first.  Every template gets the filters ``http_url`` (the URL when it is an absolute
http(s) URL, else None: the link is dropped) and ``json_ld`` (a paper's schema.org JSON-LD).
An invalid paper themes file stops the build; an invalid paper file is reported and left
out.
"""

from __future__ import annotations

import functools

from incremental_writer import in_background, write_with_companions
from paper_themes import load_paper_themes
from papers.model import clean_url
from pelican import signals
from pelican.generators import Generator
from pelican.log import console

from .catalog import load_catalog
from .display import json_ld

DEFAULT_PAPER_THEMES_FILE = "themes.yml"
DEFAULT_PAPER_URL = "papers/{slug}/"
# A paper page renders in ~0.3 ms: below this many, forking costs more than it saves.
PAPER_PAGES_IN_BACKGROUND = 500


class PaperPagesGenerator(Generator):
    def generate_context(self):
        paper_themes_file = self.settings.get("PAPER_THEMES_FILE", DEFAULT_PAPER_THEMES_FILE)
        self.paper_themes = load_paper_themes(paper_themes_file)
        self.papers = load_catalog(
            self.path, self.settings["CACHE_PATH"], self.paper_themes,
            paper_themes_file=paper_themes_file, url_format=self.settings.get("PAPER_URL", DEFAULT_PAPER_URL),
        )
        self.context["PAPER_THEMES"] = self.paper_themes
        self.context["papers"] = self.papers
        console.print(f"Papers: {len(self.papers):,}.")

    def generate_output(self, writer):
        template = self.get_template("article")
        bib_template = self.env.get_template("paper.bib")
        # A paper's pages show only the paper and the settings: when there are many to
        # render (a cold build), child processes render them beside the other pages.
        with in_background(writer, min_pages=PAPER_PAGES_IN_BACKGROUND):
            for entry in self.papers:
                # The BibTeX file shows nothing the page does not: written and kept with it.
                bib = f"{entry.url}{entry.arxiv_id}.bib"
                write_with_companions(
                    writer, entry.save_as, template, self.context, [(bib, bib_template)],
                    relative_urls=self.settings["RELATIVE_URLS"], template_name="article", url=entry.url,
                    page_key=entry.page_state, article=entry,
                )


def get_generators(pelican_object):
    return PaperPagesGenerator


def add_filters(generator):
    generator.env.filters["http_url"] = clean_url
    generator.env.filters["json_ld"] = functools.partial(json_ld, siteurl=generator.settings["SITEURL"])


def register():
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)
