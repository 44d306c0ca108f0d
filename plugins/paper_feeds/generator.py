"""The feeds' generator (see the package docstring)."""

from __future__ import annotations

import functools
import logging

from papers.catalog import site_catalog
from papers.mail.render import DigestRenderer
from pelican import signals
from pelican.generators import Generator

from paper_feeds.feeds import (
    FeedItemCache,
    FeedTemplate,
    PaperAtomFeed,
    PaperRssFeed,
    day_item_key,
    featured_datetime,
    make_daily_feed,
    make_opml,
    make_papers_feed,
    make_period_feed,
    paper_item_key,
    period_item_key,
    websub_hub,
)

log = logging.getLogger(__name__)

FEEDS_DIR = "feeds"
FEED_MS = 40  # a feed of a hundred entries, none of them cached
KINDS = ((PaperAtomFeed, "atom.xml"), (PaperRssFeed, "rss.xml"))


class PaperFeedsGenerator(Generator):
    def generate_context(self):
        self.catalog = site_catalog(self)
        hub = self.settings.get("WEBSUB_HUB")
        if hub and websub_hub(self.settings) is None:
            log.error("WEBSUB_HUB %r is not an http(s) URL: the feeds name no WebSub hub", hub)

    def generate_output(self, writer):
        # The feeds show the catalogue only: written from a child process beside the build.
        writer.in_child(functools.partial(self._write_feeds_and_cache, writer))

    def _write_feeds_and_cache(self, writer):
        # Rendered in one process, which then saves the cache of the entries they made.
        cache = FeedItemCache(self.settings["CACHE_PATH"])
        with writer.in_background(FEED_MS, then=cache.save):
            self._write_feeds(writer, cache)

    def _template(self, cache, name, make, *arguments, template_variables=()):
        return FeedTemplate(name, make, self.settings, cache, arguments, template_variables)

    def _write_feeds(self, writer, cache):
        catalog, sitename, siteurl = self.catalog, self.settings["SITENAME"], self.settings["SITEURL"]
        max_items = self.settings.get("PAPER_FEED_MAX_ITEMS", 100)
        newest = catalog.last_digest_day
        newest_day = featured_datetime(newest.iso if newest else "1970-01-01")
        listed = [(f"{sitename}: all papers", "all", "", catalog.newest_first)]
        for paper_theme in catalog.paper_themes:
            if not catalog.by_theme[paper_theme.slug]:
                continue  # no papers: no page, and no feed (digest_pages)
            page = f"themes/{paper_theme.slug}/"
            listed.append((f"{sitename}: {paper_theme.name}", page.rstrip("/"), page, catalog.by_theme[paper_theme.slug]))

        # The OPML lists each feed once (its Atom form): importing it subscribes once.
        outlines = []
        for title, name, page, articles in listed:
            latest = articles[:max_items]
            for feed_class, extension in KINDS:
                path = f"{FEEDS_DIR}/{name}.{extension}"
                for article in latest:  # a feed left as it is still holds these entries
                    cache.keep(paper_item_key(feed_class, siteurl, article))
                template = self._template(
                    cache, f"paper_feeds.{extension}", functools.partial(make_papers_feed, feed_class=feed_class),
                    "feed_title", "feed_path", "feed_page", "articles", "newest_day",
                )
                # Only an empty feed is dated by the newest digest day.
                dated = {} if latest else {"newest_day": newest_day}
                writer.write_page(path, template, self.context, feed_title=title, feed_path=path, feed_page=page, articles=latest, **dated)
                if feed_class is PaperAtomFeed:
                    outlines.append((title, path, page))

        path = f"{FEEDS_DIR}/daily.atom.xml"
        title = f"{sitename}: one digest a day"
        days = catalog.days[-max_items:]
        # A day's entry holds the day's email digest, as it is sent (papers.mail).
        renderer = DigestRenderer(self.env.loader, self.settings)
        template = self._template(
            cache, "paper_feeds.daily", functools.partial(make_daily_feed, renderer=renderer, paper_themes=catalog.paper_themes),
            "feed_title", "feed_path", "days", "newest_day", "email_version",
        )
        self._keep_day_items(cache, siteurl, renderer.version, days)
        writer.write_page(path, template, self.context, feed_title=title, feed_path=path, days=days, newest_day=newest_day, email_version=renderer.version)
        outlines.append((title, path, ""))

        for kind, periods in (("week", catalog.weeks), ("month", catalog.months)):
            path = f"{FEEDS_DIR}/{kind}s.atom.xml"
            title = f"{sitename}: the top papers of each {kind}"
            finished = [p for p in periods if p.finished][-max_items:]
            for period in finished:
                cache.keep(period_item_key(siteurl, period))
            page = f"{kind}s/"
            template = self._template(cache, f"paper_feeds.{kind}s", make_period_feed, "feed_title", "feed_path", "feed_page", "periods", "newest_day")
            writer.write_page(path, template, self.context, feed_title=title, feed_path=path, feed_page=page, periods=finished, newest_day=newest_day)
            outlines.append((title, path, page))
        writer.write_page(f"{FEEDS_DIR}/feeds.opml", self._template(cache, "paper_feeds.opml", make_opml, "outlines"), self.context, outlines=outlines)

    @staticmethod
    def _keep_day_items(cache, siteurl, email_version, days):
        for day in days:
            cache.keep(day_item_key(siteurl, email_version, day))


def get_generators(pelican):
    return PaperFeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
