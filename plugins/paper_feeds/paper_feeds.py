"""Atom and RSS feeds of the papers, per paper theme and per day, and an OPML list of them.

- ``feeds/all.atom.xml``, ``feeds/all.rss.xml``: one entry per paper, newest first;
- ``feeds/themes/<slug>.atom.xml`` and ``.rss.xml`` for every paper theme;
- ``feeds/daily.atom.xml``: one entry per day holding that day's digest grouped by theme;
- ``feeds/feeds.opml``: every feed above.

Each feed keeps the latest ``PAPER_FEED_MAX_ITEMS`` (default 100) entries.  A paper entry
carries the whole abstract (the article's escaped paragraphs: Atom's summary is HTML), every
author, its paper themes as categories, the day it was first featured as its date and a
``tag:`` id built from its page's URL, like Pelican's own feeds.  Links are absolute from
``SITEURL``.  The XML is written by feedgenerator's serializer after dropping the
characters XML 1.0 cannot hold, so no data can make a feed ill-formed.  Feeds are written
through Pelican's Writer with a ``page_key``, like the pages.

Needs the digest_pages plugin (the days, the papers newest first, each paper theme's
papers) and paper_pages (the papers' catalogue entries).
"""

from __future__ import annotations

import hashlib
import pickle
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from importlib.metadata import version
from io import StringIO
from pathlib import Path

from feedgenerator import Atom1Feed, Rss201rev2Feed, get_tag_uri
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from papers.mathtext import plain_text
from papers.store import atomic_write
from pelican import signals
from pelican.generators import Generator

FEEDS_DIR = "feeds"
DAY_TEMPLATE = "feed_day.html"  # a daily feed entry's content
# Characters XML 1.0 cannot hold at all, even escaped: all but tab, line feed, carriage
# return, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF.  (Written as the few it
# excludes: the class of those it allows took 3 ms to compile on every build.)
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return NOT_XML_RE.sub("", value)


class FeedItemCache:
    """Feed entries as XML, kept between builds (``CACHE_PATH/paper-feed-items.pickle``).

    A new day adds a few papers to most feeds, and each feed is written again with its
    hundred entries: most of a day's rebuild went to reading those papers back and writing
    the same entries.  An entry is keyed by everything it shows (``_item_key`` for a paper,
    ``_day_key`` for a day of the daily feed); the cache is valid while this code and
    feedgenerator are unchanged, and keeps only the entries of the latest build's feeds.
    """

    def __init__(self, cache_dir: str):
        self.path = Path(cache_dir) / "paper-feed-items.pickle"
        self.version = hashlib.sha1(Path(__file__).read_bytes() + version("feedgenerator").encode()).hexdigest()
        try:
            with open(self.path, "rb") as f:
                stored = pickle.load(f)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            stored = {}
        self.stored: dict[str, str] = stored.get("items", {}) if stored.get("version") == self.version else {}
        self.used: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        xml = self.stored.get(key)
        if xml is not None:
            self.used[key] = xml
        return xml

    def put(self, key: str, xml: str) -> None:
        self.used[key] = xml

    def keep(self, key: str) -> None:
        """Keep ``key``'s entry, if any, for a feed that was not written this time."""
        if key in self.stored:
            self.used[key] = self.stored[key]

    def save(self) -> None:
        if self.used.keys() != self.stored.keys():
            atomic_write(self.path, pickle.dumps({"version": self.version, "items": self.used}, protocol=pickle.HIGHEST_PROTOCOL))


class _PaperFeed:
    """One author element per author (feedgenerator writes only one), a feed date that
    never comes from the clock (an empty feed is dated by the newest digest day), and
    entries from the ``FeedItemCache`` when it has them: an item added with ``cache_key``
    and without ``title`` is written as the cached XML."""

    def latest_post_date(self):
        dates = [item["updateddate"] or item["pubdate"] for item in self.items]
        return max(dates) if dates else self.feed["newest_day"]

    def write_items(self, handler):
        cache = self.feed["item_cache"]
        for item in self.items:
            key = item.get("cache_key")
            xml = cache.get(key) if key and not item["title"] else None
            if xml is None:
                out = StringIO()
                item_handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
                item_handler.startElement(self.item_element, self.item_attributes(item))
                self.add_item_elements(item_handler, item)
                item_handler.endElement(self.item_element)
                xml = out.getvalue()
                if key:
                    cache.put(key, xml)
            handler.ignorableWhitespace(xml)  # written as it is

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            if self.author_tag == "author":
                handler.startElement("author", {})
                handler.addQuickElement("name", name)
                handler.endElement("author")
            else:
                handler.addQuickElement("dc:creator", name)


class PaperAtomFeed(_PaperFeed, Atom1Feed):
    author_tag = "author"
    item_element = "entry"


class PaperRssFeed(_PaperFeed, Rss201rev2Feed):
    author_tag = "dc:creator"
    item_element = "item"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}


def featured_datetime(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


class Rendered:
    """Output made by a function, in the shape of a Jinja template (``name``, ``render``), so
    that feeds go through Pelican's Writer like every page: the incremental writer then skips
    building a feed whose ``page_key`` did not change and removes feeds no longer produced."""

    def __init__(self, name: str, make):
        self.name = name
        self._make = make

    def render(self, context=None) -> str:
        return self._make()


def feed_xml(feed) -> str:
    out = StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()


class PaperFeedsGenerator(Generator):
    def generate_output(self, writer):
        # Rendered here, not in a child process: the entries it makes go to the cache.
        self.item_cache = FeedItemCache(self.settings["CACHE_PATH"])
        self._write_feeds(writer)
        self.item_cache.save()

    def _write_feeds(self, writer):
        self.siteurl = self.settings["SITEURL"]
        self._item_shown: dict[str, str] = {}
        self.max_items = self.settings.get("PAPER_FEED_MAX_ITEMS", 100)
        newest = self.context["LAST_DIGEST_DAY"]
        self.newest_day = featured_datetime(newest.iso if newest else "1970-01-01")
        listed = [(f"{self.settings['SITENAME']}: all papers", "all", self.context["papers_newest_first"])]
        for paper_theme in self.context.get("PAPER_THEMES", []):
            in_theme = self.context["paper_theme_papers"][paper_theme.slug]
            listed.append((f"{self.settings['SITENAME']}: {paper_theme.name}", f"themes/{paper_theme.slug}", in_theme))

        outlines = []
        for title, name, articles in listed:
            latest = articles[: self.max_items]
            for feed_class, extension in ((PaperAtomFeed, "atom.xml"), (PaperRssFeed, "rss.xml")):
                path = f"{FEEDS_DIR}/{name}.{extension}"
                # Only an empty feed is dated by the newest digest day (see _PaperFeed).
                state = [a.page_state for a in latest] or [self.newest_day]
                keys = [self._item_key(feed_class, a) for a in latest]
                for key in keys:  # a feed left as it is still holds these entries
                    self.item_cache.keep(key)
                self._write(writer, path, lambda c=feed_class, t=title, p=path, a=latest, k=keys: self._papers_feed(c, t, p, a, k), title, state)
                outlines.append((f"{title} ({'Atom' if extension == 'atom.xml' else 'RSS'})", path))

        path = f"{FEEDS_DIR}/daily.atom.xml"
        title = f"{self.settings['SITENAME']}: one digest a day"
        days = self.context["digest_days"][-self.max_items :]
        source = self.env.loader.get_source(self.env, DAY_TEMPLATE)[0]
        self.day_template_digest = hashlib.sha1(source.encode("utf-8")).hexdigest()
        day_keys = [self._day_key(day) for day in days]
        for key in day_keys:
            self.item_cache.keep(key)
        self._write(writer, path, lambda: self._daily_feed(title, path, days, day_keys), title, self.newest_day, [(d.iso, [a.page_state for a in d.articles]) for d in days])
        outlines.append((title, path))
        self._write(writer, f"{FEEDS_DIR}/feeds.opml", lambda: self._opml(outlines), outlines)

    def _write(self, writer, path: str, make, *page_key):
        writer.write_file(path, Rendered("paper_feeds", make), self.context, page_key=page_key)

    def _feed(self, feed_class, title: str, path: str):
        return feed_class(
            title=title,
            link=f"{self.siteurl}/",
            feed_url=f"{self.siteurl}/{path}",
            description=self.settings.get("SITESUBTITLE", ""),
            language=self.settings["DEFAULT_LANG"],
            newest_day=self.newest_day,
            item_cache=self.item_cache,
        )

    def _item_key(self, feed_class, article) -> str:
        """What a paper's entry in a feed of ``feed_class`` shows (``FeedItemCache``); a
        paper is in several feeds, so what it shows is worked out once."""
        shown = self._item_shown.get(article.arxiv_id)
        if shown is None:
            shown = self._item_shown[article.arxiv_id] = repr((self.siteurl, article.url, article.page_state, [t.name for t in article.themes]))
        return f"{feed_class.item_element} {shown}"

    def _papers_feed(self, feed_class, title: str, path: str, articles, keys) -> str:
        feed = self._feed(feed_class, title, path)
        for article, key in zip(articles, keys):
            first_day = featured_datetime(article.first_featured)
            if self.item_cache.get(key) is not None:  # written from the cache: no paper read
                # Only the dates count (the feed's own date is the newest); no link to quote.
                feed.add_item(title="", link="", description="", pubdate=first_day, updateddate=first_day, cache_key=key)
                continue
            link = f"{self.siteurl}/{article.url}"
            paper = article.paper
            feed.add_item(
                title=xml_text(plain_text(paper.title)),
                link=link,
                description=xml_text(article.content),
                pubdate=first_day,
                updateddate=first_day,
                unique_id=get_tag_uri(link, first_day),
                categories=[xml_text(m.theme.name) for m in article.paper_themes],
                authors=[xml_text(name) for name in paper.authors],
                cache_key=key,
            )
        return feed_xml(feed)

    def _day_key(self, day) -> str:
        """What a day's entry in the daily feed shows (``FeedItemCache``): its papers, the
        paper themes they are grouped under, the template."""
        groups = [(g.paper_theme.slug, g.paper_theme.name) if g.paper_theme else None for g in day.groups]
        return repr(("day", self.day_template_digest, self.siteurl, day.iso, [a.page_state for a in day.articles], groups))

    def _daily_feed(self, title: str, path: str, days, keys) -> str:
        feed = self._feed(PaperAtomFeed, title, path)
        day_template = self.env.get_template(DAY_TEMPLATE)
        for day, key in zip(reversed(days), reversed(keys)):
            link = f"{self.siteurl}/{day.url}"
            day_start = featured_datetime(day.iso)
            if self.item_cache.get(key) is not None:  # written from the cache
                feed.add_item(title="", link="", description="", pubdate=day_start, cache_key=key)
                continue
            count = len(day.articles)
            feed.add_item(
                title=f"Papers of {day.iso}",
                link=link,
                description=f"{count} paper{'s' if count != 1 else ''}",
                content=xml_text(day_template.render(self.context, day=day)),
                pubdate=day_start,
                unique_id=get_tag_uri(link, day_start),
                authors=[],
                cache_key=key,
            )
        return feed_xml(feed)

    def _opml(self, outlines) -> str:
        opml = ET.Element("opml", version="2.0")
        ET.SubElement(ET.SubElement(opml, "head"), "title").text = f"{self.settings['SITENAME']} feeds"
        body = ET.SubElement(opml, "body")
        for title, path in outlines:
            ET.SubElement(
                body, "outline", type="rss", text=xml_text(title), title=xml_text(title),
                xmlUrl=f"{self.siteurl}/{path}", htmlUrl=f"{self.siteurl}/",
            )
        ET.indent(opml)
        return ET.tostring(opml, encoding="unicode", xml_declaration=True) + "\n"


def get_generators(pelican):
    return PaperFeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
