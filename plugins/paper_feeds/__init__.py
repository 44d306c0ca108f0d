"""Atom and RSS feeds of the papers, per paper theme and per day, and an OPML list of them.

- ``feeds/all.atom.xml``, ``feeds/all.rss.xml``: one entry per paper, newest first;
- ``feeds/themes/<slug>.atom.xml`` and ``.rss.xml`` for every paper theme;
- ``feeds/daily.atom.xml``: one entry per day holding that day's digest grouped by theme;
- ``feeds/weeks.atom.xml``, ``feeds/months.atom.xml``: one entry per finished week or
  month, its top papers by upvotes;
- ``feeds/feeds.opml``: every feed above.

Each feed keeps the latest ``PAPER_FEED_MAX_ITEMS`` (default 100) entries.  A paper entry
carries the whole abstract (the article's escaped paragraphs: Atom's summary is HTML), every
author, its paper themes as categories, the day it was first featured as its date and a
``tag:`` id built from its page's URL, like Pelican's own feeds.  Links are absolute from
``SITEURL``.  The XML is written by feedgenerator's serializer after dropping the
characters XML 1.0 cannot hold, so no data can make a feed ill-formed.  Feeds are written
through the incremental writer like the pages: a feed's "template" (``feeds.FeedTemplate``)
makes its XML from the page's render arguments and the settings alone, so its key covers
what it shows.  Entries are kept between builds (``feeds.FeedItemCache``).
"""

from paper_feeds.generator import register

__all__ = ["register"]
