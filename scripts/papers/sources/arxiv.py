"""arXiv: the daily announcement (RSS) and the API (Atom), fetched politely.

* ``https://rss.arxiv.org/rss/<category>``: the current day's announcement of a category.
* ``http://export.arxiv.org/api/query``: past days (by submission window) and records by id.

What the responses hold and how they are parsed: ``papers.sources.arxiv_feeds``.  arXiv's
API terms ask for at most one request every 3 seconds on one connection; the client this
module is given (``make_client``) does exactly that and backs off on 429/503.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from papers.sources.arxiv_feeds import ANNOUNCE_TYPES, SOURCE, Feed, classify, parse_response
from papers.sources.http import PoliteClient

# What callers use of the parser through this module (``arxiv.parse_response``, …).
__all__ = ["SOURCE", "ANNOUNCE_TYPES", "Feed", "classify", "parse_response"]

RSS_URL = "https://rss.arxiv.org/rss/{category}"
API_URL = "http://export.arxiv.org/api/query"
MIN_INTERVAL = 3.0  # seconds between requests, as arXiv's API terms ask
API_PAGE_SIZE = 500
API_MAX_PAGES = 20
ID_LIST_BATCH = 100


# The announcement schedule (https://info.arxiv.org/help/availability.html): submissions
# received before 14:00 US Eastern on a weekday are announced that evening at 20:00, and
# the RSS feeds date that announcement the next weekday.
ARXIV_TZ = ZoneInfo("America/New_York")
SUBMISSION_CUTOFF = dt.time(14, 0)


def make_client(**kwargs) -> PoliteClient:
    """The client for arXiv: one session, one request every 3 seconds, backoff on 429/503."""
    return PoliteClient(min_interval=MIN_INTERVAL, **kwargs)


def announcement_window(day: str) -> tuple[dt.datetime, dt.datetime] | None:
    """The submission period (UTC) announced in the feeds dated ``day``; None on weekends.

    Monday's feed announces Thursday 14:00 to Friday 14:00 (US Eastern); Tuesday's, Friday
    14:00 to Monday 14:00; the other weekdays, the 24 hours before the previous weekday's
    cutoff.  Holidays shift this; such a day simply comes back empty.
    """
    date = dt.date.fromisoformat(day)
    if date.weekday() >= 5:
        return None
    end_day = _previous_weekday(date)
    start_day = _previous_weekday(end_day)

    def cutoff(d: dt.date) -> dt.datetime:
        return dt.datetime.combine(d, SUBMISSION_CUTOFF, ARXIV_TZ).astimezone(dt.timezone.utc)

    return cutoff(start_day), cutoff(end_day)


def _previous_weekday(date: dt.date) -> dt.date:
    date -= dt.timedelta(days=1)
    while date.weekday() >= 5:
        date -= dt.timedelta(days=1)
    return date


def fetch_rss(client: PoliteClient, category: str, announce_types=ANNOUNCE_TYPES) -> Feed:
    """Today's announcement of one category (items of ``announce_types``)."""
    return parse_response(client.get(RSS_URL.format(category=category)).text, announce_types=announce_types)


def fetch_announced(client: PoliteClient, day: str, categories: list[str]) -> Feed:
    """Backfill: what the feeds dated ``day`` announced, from the API (new submissions in
    ``categories`` during the announcement window; cross-lists of older papers and
    replacements are not found this way)."""
    window = announcement_window(day)
    if window is None:
        return Feed("api")
    start, end = (t.strftime("%Y%m%d%H%M") for t in window)
    query = f"({' OR '.join(f'cat:{c}' for c in categories)}) AND submittedDate:[{start} TO {end}]"
    feed = Feed("api")
    for page in range(API_MAX_PAGES):
        params = {"search_query": query, "start": page * API_PAGE_SIZE, "max_results": API_PAGE_SIZE,
                  "sortBy": "submittedDate", "sortOrder": "ascending"}
        batch = parse_response(client.get(API_URL, params=params).text, day)
        feed.extend(batch)
        seen = (page + 1) * API_PAGE_SIZE
        if len(batch.entries) + len(batch.rejected) < API_PAGE_SIZE or seen >= (batch.total_results or 0):
            break
    classify(feed.entries, categories)
    return feed


def fetch_by_ids(client: PoliteClient, ids: list[str]) -> Feed:
    """The API's records of ``ids`` (not featured on any day: they complete stored papers)."""
    feed = Feed("api")
    for start in range(0, len(ids), ID_LIST_BATCH):
        batch_ids = ids[start : start + ID_LIST_BATCH]
        batch = parse_response(
            client.get(API_URL, params={"id_list": ",".join(batch_ids), "max_results": len(batch_ids)}).text
        )
        feed.extend(batch)
    return feed
