"""The feed classes and the cache of feed entries; the XML of each kind of feed.

Each ``make_*`` function makes one feed's XML from the settings and the feed's render
arguments only (``FeedTemplate`` hands it nothing else), so the writer's key for the feed,
made of the same arguments, covers everything the feed shows.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from importlib.metadata import version
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from feedgenerator import Atom1Feed, Rss201rev2Feed, get_tag_uri
from markupsafe import escape
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from papers.build.fingerprint import VersionedFile, source_version
from papers.cleaning import clean_url
from papers.mail.digest import day_digest
from papers.render.display import FEED_AUTHORS, shown_names
from papers.render.mathtext import plain_text

# Characters XML 1.0 cannot hold at all, even escaped: all but tab, line feed, carriage
# return, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF.  (Written as the few it
# excludes: the class of those it allows took 3 ms to compile on every build.)
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return NOT_XML_RE.sub("", value)


def entry_id(link: str, day: datetime) -> str:
    """An entry's ``tag:`` URI: feedgenerator's (the site's host, the day, the page's path),
    with ``localhost`` for the host of a local build, whose links have none (never "None")."""
    uri = get_tag_uri(link, day)
    return uri if urlsplit(link).hostname else uri.replace("tag:None,", "tag:localhost,", 1)


def featured_datetime(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


class FeedItemCache:
    """Feed entries as XML, kept between builds (``CACHE_PATH/paper-feed-items.pickle``).

    A new day adds a few papers to most feeds, and each feed is written again with its
    hundred entries: most of a day's rebuild went to reading those papers back and writing
    the same entries.  An entry is keyed by everything it shows (``paper_item_key``,
    ``day_item_key``); the cache is valid while this code and feedgenerator are unchanged,
    and keeps only the entries of the latest build's feeds.
    """

    def __init__(self, cache_dir: str):
        self.file = VersionedFile(Path(cache_dir) / "paper-feed-items.pickle", source_version(__name__, extra=version("feedgenerator")))
        self.stored: dict[str, str] = self.file.load({})
        self.used: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        """The entry's XML from the last build, or from a feed written before in this one
        (a paper is in the feed of all papers and in its themes')."""
        xml = self.used.get(key)
        if xml is None:
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
            self.file.save(self.used)


class _PaperFeed:
    """One author element per author (feedgenerator writes only one), a feed date that
    never comes from the clock (an empty feed is dated by the newest digest day), and
    entries from the ``FeedItemCache`` when it has them: an item added with ``cache_key``
    and without ``title`` is written as the cached XML."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["hub"]:  # WebSub: where readers subscribe to be told of a new entry
            handler.addQuickElement(self.link_element, self.empty_link, {"rel": "hub", "href": self.feed["hub"]})

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
    link_element, empty_link = "link", ""


class PaperRssFeed(_PaperFeed, Rss201rev2Feed):
    author_tag = "dc:creator"
    item_element = "item"
    link_element, empty_link = "atom:link", None

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}


class FeedTemplate:
    """A feed in the shape of a Jinja template (``name``, ``render(context)``), so that it
    goes through the writer like every page: ``make(settings, item_cache, **arguments)``
    gets the settings and the page's render arguments named ``arguments``, nothing else.
    ``template_variables``: the names it hands to the templates it renders itself (the
    daily feed's ``day``, one of its ``days``)."""

    def __init__(self, name: str, make, settings: dict, item_cache: FeedItemCache, arguments: tuple[str, ...], template_variables: tuple[str, ...] = ()):
        self.name, self._make, self._settings, self._cache, self._arguments = name, make, settings, item_cache, arguments
        self.template_variables = template_variables

    def render(self, context) -> str:
        return self._make(self._settings, self._cache, **{name: context[name] for name in self._arguments if name in context})


def _feed(feed_class, settings: dict, cache: FeedItemCache, title: str, path: str, newest_day: datetime, page: str = ""):
    """A feed at ``path`` whose alternate (HTML) page is ``page`` (the home page by default);
    its id is its own address, so that no two feeds share one."""
    siteurl = settings["SITEURL"]
    feed_url = f"{siteurl}/{path}"
    return feed_class(
        title=title, link=f"{siteurl}/{page}", feed_url=feed_url, feed_guid=feed_url if urlsplit(feed_url).hostname else f"tag:localhost:/{path}",
        description=settings.get("SITESUBTITLE", ""), language=settings["DEFAULT_LANG"], newest_day=newest_day, item_cache=cache,
        hub=websub_hub(settings),
    )


def websub_hub(settings: dict) -> str | None:
    """The WebSub hub the feeds name (setting ``WEBSUB_HUB``), when it is an http(s) URL."""
    return clean_url(settings.get("WEBSUB_HUB"))


def _xml(feed) -> str:
    out = StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()


def paper_item_key(feed_class, siteurl: str, article) -> str:
    """What a paper's entry in a feed of ``feed_class`` shows (``FeedItemCache``)."""
    return f"{feed_class.item_element} {(siteurl, article.url, article.page_state, [t.name for t in article.themes])!r}"


def make_papers_feed(settings, cache, *, feed_class, feed_title, feed_path, feed_page, articles, newest_day=None) -> str:
    """A feed of papers, newest first (``newest_day`` dates it only when it is empty);
    ``feed_page``: the page it follows (a paper theme's)."""
    siteurl = settings["SITEURL"]
    feed = _feed(feed_class, settings, cache, feed_title, feed_path, newest_day, feed_page)
    for article in articles:
        key = paper_item_key(feed_class, siteurl, article)
        first_day = featured_datetime(article.first_featured)
        if cache.get(key) is not None:  # written from the cache: no paper read
            # Only the dates count (the feed's own date is the newest); no link to quote.
            feed.add_item(title="", link="", description="", pubdate=first_day, updateddate=first_day, cache_key=key)
            continue
        paper = article.paper
        authors = shown_names(paper.authors, FEED_AUTHORS)
        feed.add_item(
            title=xml_text(plain_text(paper.title)),
            link=article.link(siteurl),
            description=xml_text(article.content),
            pubdate=first_day,
            updateddate=first_day,
            # From its page's address even once it has none: an entry's id never changes.
            unique_id=entry_id(f"{siteurl}/{article.url}", first_day),
            categories=[xml_text(m.theme.name) for m in article.paper_themes],
            # A long list ends with an author "and K more": a feed has no other place for it.
            authors=[xml_text(name) for name in authors.names] + ([authors.more_text] if authors.more else []),
            cache_key=key,
        )
    return _xml(feed)


def day_item_key(siteurl: str, email_version: str, day) -> str:
    """What a day's entry in the daily feed shows (``FeedItemCache``): its papers, the
    paper themes they are grouped under, the email's templates and settings."""
    groups = [(g.paper_theme.slug, g.paper_theme.name) for g in day.groups]
    return repr(("day", email_version, siteurl, day.iso, [a.page_state for a in day.articles], groups))


def make_daily_feed(settings, cache, *, feed_title, feed_path, days, newest_day, renderer, paper_themes, email_version) -> str:
    """One entry per day, newest first, holding the day's email digest (``renderer``:
    a ``papers.mail.render.DigestRenderer``; ``email_version`` is its version)."""
    siteurl = settings["SITEURL"]
    feed = _feed(PaperAtomFeed, settings, cache, feed_title, feed_path, newest_day)
    for day in reversed(days):
        key = day_item_key(siteurl, email_version, day)
        link = f"{siteurl}/{day.url}"
        day_start = featured_datetime(day.iso)
        if cache.get(key) is not None:  # written from the cache
            feed.add_item(title="", link="", description="", pubdate=day_start, cache_key=key)
            continue
        count = len(day.articles)
        feed.add_item(
            title=f"Papers of {day.iso}",
            link=link,
            description=f"{count} paper{'s' if count != 1 else ''}",
            content=xml_text(renderer.body(day_digest(day, settings, paper_themes))),
            pubdate=day_start,
            unique_id=entry_id(link, day_start),
            authors=[],
            cache_key=key,
        )
    return _xml(feed)


PERIOD_FEED_PAPERS = 20  # papers in a week's or month's feed entry


def period_item_key(siteurl: str, period) -> str:
    """What a week's or month's entry shows (``FeedItemCache``): its top papers."""
    top = [a.page_state for a in period.articles[:PERIOD_FEED_PAPERS]]
    return repr(("period", siteurl, period.kind, period.key, len(period.articles), top))


def period_html(siteurl: str, period) -> str:
    """A period's top papers as an HTML list (escaped text, absolute links)."""
    items = []
    for article in period.articles[:PERIOD_FEED_PAPERS]:
        upvotes = f" (▲ {article.upvotes})" if article.upvotes else ""
        items.append(
            f'<li><a href="{escape(article.link(siteurl))}">{escape(article.title_text)}</a>{upvotes}'
            f"<br>{escape(article.authors_short)}<br>{escape(article.summary_text)}</li>"
        )
    more = f'<p><a href="{escape(siteurl)}/{escape(period.url)}">All {len(period.articles)} papers of {escape(period.title)}</a></p>'
    return f"<ol>{''.join(items)}</ol>{more}"


def make_period_feed(settings, cache, *, feed_title, feed_path, feed_page, periods, newest_day) -> str:
    """One entry per finished week or month, newest first: its top papers by upvotes,
    dated by its last day (an entry's id and date never change)."""
    siteurl = settings["SITEURL"]
    feed = _feed(PaperAtomFeed, settings, cache, feed_title, feed_path, newest_day, feed_page)
    for period in reversed(periods):
        key = period_item_key(siteurl, period)
        last_day = featured_datetime(period.end.isoformat())
        if cache.get(key) is not None:
            feed.add_item(title="", link="", description="", pubdate=last_day, cache_key=key)
            continue
        link = f"{siteurl}/{period.url}"
        count = len(period.articles)
        feed.add_item(
            title=period.heading, link=link, description=f"{count} paper{'s' if count != 1 else ''}",
            content=xml_text(period_html(siteurl, period)), pubdate=last_day, unique_id=entry_id(link, last_day),
            authors=[], cache_key=key,
        )
    return _xml(feed)


def make_opml(settings, cache, *, outlines) -> str:
    """Every feed of the site, for a feed reader: ``outlines`` are (title, path, the
    path of the page it follows)."""
    siteurl = settings["SITEURL"]
    opml = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(opml, "head"), "title").text = f"{settings['SITENAME']} feeds"
    body = ET.SubElement(opml, "body")
    for title, path, page in outlines:
        ET.SubElement(
            body, "outline", type="rss", text=xml_text(title), title=xml_text(title),
            xmlUrl=f"{siteurl}/{path}", htmlUrl=f"{siteurl}/{page}",
        )
    ET.indent(opml)
    return ET.tostring(opml, encoding="unicode", xml_declaration=True) + "\n"
