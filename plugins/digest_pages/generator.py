"""The digest pages' generator (see the package docstring)."""

from __future__ import annotations

import functools
import logging

import jinja2
from papers.catalog import site_catalog
from papers.cleaning import clean_url
from papers.mail.digest import day_digest
from papers.mail.render import DOCUMENT_TEMPLATE, DigestRenderer
from pelican import signals
from pelican.generators import Generator

from digest_pages.listings import archive_months, theme_pages

log = logging.getLogger(__name__)

# A listing renders in a few milliseconds (papers.build.background decides when to fork).
LISTING_MS = 7.5


class EmailPage:
    """A day's email digest as a page for the writer (``YYYY/MM/DD/email.html``): made
    from its render argument ``day`` and the settings only, so its key covers it."""

    name = DOCUMENT_TEMPLATE

    def __init__(self, renderer: DigestRenderer, paper_themes: list):
        self.renderer, self.paper_themes = renderer, paper_themes

    def render(self, context) -> str:
        return self.renderer.document(day_digest(context["day"], self.renderer.settings, self.paper_themes))


class DigestPagesGenerator(Generator):
    """Writes the pages listed in the package docstring."""

    def generate_context(self):
        self.catalog = site_catalog(self)
        per_page = self.settings["DEFAULT_PAGINATION"] or len(self.catalog) or 1
        # A paper theme without papers has no page (nor feed): nothing lists it.
        self.theme_pages = {slug: theme_pages(slug, found, per_page) for slug, found in self.catalog.by_theme.items() if found}
        # Checked here, in the build's own process (the pages are written from a child).
        self.newsletter_url = clean_url(self.settings.get("NEWSLETTER_SUBSCRIBE_URL"))
        if self.settings.get("NEWSLETTER_SUBSCRIBE_URL") and self.newsletter_url is None:
            log.error("NEWSLETTER_SUBSCRIBE_URL %r is not an http(s) URL: the Subscribe page has no email form", self.settings["NEWSLETTER_SUBSCRIBE_URL"])

    def _write(self, writer, save_as, template, url=None, **render_args):
        writer.write_page(save_as, self.env.get_template(template), self.context, url=url, **render_args)

    def generate_output(self, writer):
        # Listings show the catalogue and the settings only: written from a child process
        # beside the build, and rendered beside each other.
        writer.in_child(functools.partial(self._write_listings, writer))

    def _write_listings(self, writer):
        with writer.in_background(ms_per_page=LISTING_MS):
            self._write_pages(writer)

    def _write_pages(self, writer):
        catalog = self.catalog
        email_page = EmailPage(DigestRenderer(self.env.loader, self.settings), catalog.paper_themes)
        for day in catalog.days:
            self._write(writer, day.save_as, "day.html", day=day)
            writer.write_page(day.url + "email.html", email_page, self.context, day=day)
        if catalog.days:
            self._write(writer, "index.html", "index.html", day=catalog.last_digest_day)
        for periods, latest in ((catalog.weeks, "weeks/index.html"), (catalog.months, "months/index.html")):
            for period in periods:
                self._write(writer, period.save_as, "period.html", period=period)
            if periods:  # "This week": the newest period under a stable address
                self._write(writer, latest, "period_latest.html", period=periods[-1])

        self._write(writer, "themes/index.html", "paper_themes.html", theme_paper_counts=catalog.theme_counts)
        for paper_theme in catalog.paper_themes:
            count = catalog.theme_counts[paper_theme.slug]
            for page in self.theme_pages.get(paper_theme.slug, ()):
                # Only the first page says how many papers the theme has.
                counted = {"theme_paper_count": count} if page.number is None else {}
                self._write(writer, page.save_as, "paper_theme.html", url=page.url, paper_theme=paper_theme, theme_page=page, **counted)

        self._write(writer, "archives/index.html", "archives.html", months=archive_months(catalog.days))
        self._write(writer, "about/index.html", "about.html", LAST_DIGEST_DAY=catalog.last_digest_day)
        self._write(
            writer, "subscribe/index.html", "subscribe.html",
            theme_paper_counts=catalog.theme_counts, last_day=catalog.last_digest_day, newsletter_url=self.newsletter_url,
        )
        self._write(writer, "404.html", "404.html")
        self._write(writer, "robots.txt", "robots.txt")
        self._write(
            writer, "sitemap.xml", "sitemap.xml",
            LAST_DIGEST_DAY=catalog.last_digest_day, digest_days=catalog.days, papers=catalog.entries, paper_theme_pages=self.theme_pages,
            periods=[*catalog.weeks, *catalog.months],
        )


def get_generators(pelican):
    return DigestPagesGenerator


def add_paper_card(generator):
    """The Jinja global ``paper_card(article, heading="h3", show_day=False)``: the
    ``paper_item`` macro of ``_macros.html`` for a paper, made once per variant (and
    ``SITEURL``) in a build and shown by every listing that lists the paper: its day's
    page and each of its paper themes' pages (cards were most of the listings' cost)."""
    cards, macros = {}, {}

    @jinja2.pass_context
    def paper_card(context, article, heading="h3", show_day=False):
        siteurl = context.get("SITEURL")
        key = (siteurl, article.arxiv_id, heading, show_day)
        card = cards.get(key)
        if card is None:
            if siteurl not in macros:
                # The macro sees only SITEURL of the page and one setting (see _macros.html).
                shown = {"SITEURL": siteurl, "REMOTE_IMAGES": generator.settings.get("REMOTE_IMAGES", True)}
                macros[siteurl] = generator.env.get_template("_macros.html").make_module(shown)
            card = cards[key] = macros[siteurl].paper_item(article, heading=heading, show_day=show_day)
        return card

    generator.env.globals["paper_card"] = paper_card


def register():
    signals.generator_init.connect(add_paper_card)
    signals.get_generators.connect(get_generators)
