"""arXiv: the daily announcement (RSS) and the API (Atom), turned into ``Paper`` records.

Two endpoints, both XML, both parsed with defusedxml (no entity expansion, no external
entities, no DTD tricks):

* ``https://rss.arxiv.org/rss/<category>``: RSS 2.0, the current day's announcement of one
  category.  Each item says whether it is ``new``, a ``cross``-list, a ``replace``ment or a
  ``replace-cross``; the description is "arXiv:<id>v<N> Announce Type: <type> \\nAbstract:
  <abstract>" and ``dc:creator`` holds every author in one comma-separated string.  On days
  without an announcement (weekends, holidays) the feed has no items.
* ``http://export.arxiv.org/api/query``: Atom, for backfilling past days and for completing
  records (primary category first, comment, journal reference, DOI, publication date).  Two
  generations of its output exist (tests/fixtures/README.md): the legacy one (until Oct
  2025: hard-wrapped text, namespaces declared inline, one element order) and the current
  one (one-line text, namespaces on the root, another order, https links).  Elements are
  looked up by name, never by position, so both parse to the same fields.

arXiv's API terms ask for at most one request every 3 seconds on one connection; the
client this module is given (``make_client``) does exactly that and backs off on 429/503.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from papers.errors import Rejected, SourceError
from papers.model import CATEGORY_RE, Paper, clean_arxiv_id, clean_date, clean_text
from papers.sources.http import PoliteClient

SOURCE = "arxiv"
RSS_URL = "https://rss.arxiv.org/rss/{category}"
API_URL = "http://export.arxiv.org/api/query"
MIN_INTERVAL = 3.0  # seconds between requests, as arXiv's API terms ask
API_PAGE_SIZE = 500
API_MAX_PAGES = 20
ID_LIST_BATCH = 100
ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
DC = "{http://purl.org/dc/elements/1.1/}"

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
RSS_PREFIX_RE = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*(?:Abstract:\s*)?", re.IGNORECASE)
# Separators between authors in dc:creator: commas, ", and", " and ".
AUTHOR_SEPARATOR_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
# What follows a comma inside one name ("Martin Luther King, Jr.").
NAME_SUFFIX_RE = re.compile(r"^(?:Jr|Sr|I{2,3}|IV|V)\.?$", re.IGNORECASE)

# The announcement schedule (https://info.arxiv.org/help/availability.html): submissions
# received before 14:00 US Eastern on a weekday are announced that evening at 20:00, and
# the RSS feeds date that announcement the next weekday.
ARXIV_TZ = ZoneInfo("America/New_York")
SUBMISSION_CUTOFF = dt.time(14, 0)


def make_client(**kwargs) -> PoliteClient:
    """The client for arXiv: one session, one request every 3 seconds, backoff on 429/503."""
    return PoliteClient(min_interval=MIN_INTERVAL, **kwargs)


@dataclass
class Entry:
    """One arXiv paper as announced: the record and how it was announced (new, cross, …)."""

    paper: Paper
    announce_type: str


@dataclass
class Feed:
    """A parsed response: its entries and the entries it rejected (with reasons)."""

    kind: str  # "rss" or "api"
    entries: list[Entry] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    # RSS: the ids of items not parsed because their announcement type is not wanted
    # (a replacement of an old paper may even have an old-style id we cannot store).
    skipped: set[str] = field(default_factory=set)
    day: str | None = None  # RSS: the announcement day the feed is for
    total_results: int | None = None  # API: opensearch:totalResults


# --- Parsing -----------------------------------------------------------------------------


def parse_xml(text: str) -> Element:
    """The root element of an XML body; ``SourceError`` for anything unsafe or broken."""
    if not text.strip():
        raise SourceError("response is empty")
    try:
        return SafeET.fromstring(text)
    except DefusedXmlException as exc:
        raise SourceError(f"response refused as unsafe XML ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise SourceError(f"response is not well-formed XML ({exc})") from exc


def response_kind(root: Element) -> str:
    """'rss' for an RSS feed, 'api' for an API Atom feed; ``SourceError`` for anything else."""
    if root.tag == "rss" and root.find("channel") is not None:
        return "rss"
    if root.tag == f"{ATOM}feed":
        return "api"
    raise SourceError(f"response is a <{root.tag}> document, not an arXiv RSS or Atom feed")


def parse_response(text: str, day: str | None = None, announce_types=ANNOUNCE_TYPES) -> Feed:
    """Either kind of arXiv response; API entries are dated ``day`` (None: not featured),
    RSS items of other ``announce_types`` are skipped."""
    root = parse_xml(text)
    kind = response_kind(root)
    return _parse_rss(root, announce_types) if kind == "rss" else _parse_api(root, day)


def unwrap_abstract(text: str) -> str:
    """An abstract as paragraphs separated by blank lines, hard line wraps joined.

    In both API generations a line that starts with whitespace opens a paragraph; a line
    that does not continues the previous one (the legacy format wraps at 80 columns).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = re.split(r"\n[ \t]+|\n\s*\n", text)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def split_authors(creators: str) -> list[str]:
    """The names in an RSS ``dc:creator`` string, in order.

    Authors are separated by commas, ", and" or " and "; separators inside parentheses
    (affiliations) do not split, and a suffix after a comma ("King, Jr.") stays with its
    name.  A name that itself contains " and " cannot be told apart: the data does not
    allow it.
    """
    pieces, start = [], 0
    for match in _top_level_separators(creators):
        pieces.append(creators[start : match.start()])
        start = match.end()
    pieces.append(creators[start:])
    names: list[str] = []
    for piece in (" ".join(p.split()) for p in pieces):
        if not piece:
            continue
        if names and NAME_SUFFIX_RE.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return names


def _top_level_separators(text: str):
    """The separator matches in ``text`` that are not inside parentheses or brackets."""
    depth, depth_at = 0, []
    for ch in text:
        depth += ch in "(["
        depth_at.append(depth)
        depth -= ch in ")]" and depth > 0
    return (m for m in AUTHOR_SEPARATOR_RE.finditer(text) if depth_at[m.start()] == 0)


def _text(element: Element | None) -> str | None:
    return None if element is None or element.text is None else element.text


def _categories(terms: list[str | None], primary: str | None = None) -> list[str]:
    ordered = [primary, *terms] if primary else terms
    seen: list[str] = []
    for term in ordered:
        term = (term or "").strip()
        if CATEGORY_RE.match(term) and term not in seen:
            seen.append(term)
    return seen


def _one_line(value: str | None, what: str) -> str | None:
    return clean_text(value, what=what) or None if value is not None else None


def _doi(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"^https?://(?:dx\.)?doi\.org/", "", value.strip())
    return value if DOI_RE.match(value) else None


def _id_from_url(url: str | None) -> str:
    """The versionless id in ``http://arxiv.org/abs/<id>v<N>`` (or an ``oai:`` guid)."""
    if not url:
        raise Rejected("entry has no id")
    tail = url.strip().rsplit("/abs/", 1)[-1].rsplit(":", 1)[-1]
    return clean_arxiv_id(tail)


def _parse_rss(root: Element, announce_types) -> Feed:
    channel = root.find("channel")
    feed = Feed("rss", day=_rss_day(_text(channel.find("pubDate"))))
    for position, item in enumerate(channel.findall("item"), 1):
        announce_type = (_text(item.find(f"{ARXIV}announce_type")) or "new").strip().lower()
        if announce_type not in announce_types:
            feed.skipped.add((_text(item.find("link")) or "").rsplit("/abs/", 1)[-1])
            continue
        try:
            feed.entries.append(_parse_rss_item(item, feed.day, announce_type))
        except Rejected as exc:
            feed.rejected.append(f"item {position}: {exc}")
    if feed.day is None and feed.entries:
        raise SourceError("the feed has items but no usable announcement date (channel pubDate)")
    return feed


def _rss_day(value: str | None) -> str | None:
    """The announcement day of an RSS ``pubDate`` ("Mon, 27 Apr 2026 00:00:00 -0400")."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


def _parse_rss_item(item: Element, day: str | None, announce_type: str) -> Entry:
    arxiv_id = _id_from_url(_text(item.find("link")) or _text(item.find("guid")))
    try:
        description = _text(item.find("description")) or ""
        abstract = RSS_PREFIX_RE.sub("", description, count=1)
        # RSS abstracts are not hard-wrapped: every line break is a paragraph break.
        abstract = "\n\n".join(" ".join(line.split()) for line in abstract.splitlines() if line.strip())
        paper = Paper(
            arxiv_id=arxiv_id,
            title=_required_title(_text(item.find("title"))),
            authors=_names(split_authors(_text(item.find(f"{DC}creator")) or "")),
            abstract=clean_text(abstract, what="abstract", multiline=True),
            featured=[day] if day else [],
            sources=[SOURCE],
            categories=_categories([_text(c) for c in item.findall("category")]),
            journal_ref=_one_line(_text(item.find(f"{ARXIV}journal_reference")), "journal reference"),
            doi=_doi(_text(item.find(f"{ARXIV}DOI"))),
        )
    except Rejected as exc:
        raise Rejected(f"{arxiv_id}: {exc}") from exc
    return Entry(paper.attributed_to(SOURCE), announce_type)


def _names(values) -> list[str]:
    return [name for name in (clean_text(v or "", what="author name") for v in values) if name]


def _required_title(value: str | None) -> str:
    title = clean_text(value or "", what="title")
    if not title:
        raise Rejected("empty title")
    return title


def _parse_api(root: Element, day: str | None) -> Feed:
    total = _text(root.find(f"{OPENSEARCH}totalResults"))
    feed = Feed("api", total_results=int(total) if total and total.strip().isdigit() else None)
    for position, entry in enumerate(root.findall(f"{ATOM}entry"), 1):
        entry_id = _text(entry.find(f"{ATOM}id")) or ""
        if "/api/errors" in entry_id:
            # The API reports a bad query as a feed with one "Error" entry.
            message = " ".join((_text(entry.find(f"{ATOM}summary")) or "").split())
            raise SourceError(f"the API answered with an error: {message}")
        try:
            feed.entries.append(_parse_api_entry(entry, day))
        except Rejected as exc:
            feed.rejected.append(f"entry {position}: {exc}")
    return feed


def _parse_api_entry(entry: Element, day: str | None) -> Entry:
    arxiv_id = _id_from_url(_text(entry.find(f"{ATOM}id")))
    try:
        primary = entry.find(f"{ARXIV}primary_category")
        doi_link = next((link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("title") == "doi"), None)
        paper = Paper(
            arxiv_id=arxiv_id,
            title=_required_title(_text(entry.find(f"{ATOM}title"))),
            authors=_names(_text(a.find(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")),
            abstract=clean_text(unwrap_abstract(_text(entry.find(f"{ATOM}summary")) or ""), what="abstract", multiline=True),
            featured=[day] if day else [],
            sources=[SOURCE],
            published=clean_date(_text(entry.find(f"{ATOM}published")), what="published"),
            categories=_categories(
                [c.get("term") for c in entry.findall(f"{ATOM}category")],
                primary.get("term") if primary is not None else None,
            ),
            arxiv_comment=_one_line(_text(entry.find(f"{ARXIV}comment")), "comment"),
            journal_ref=_one_line(_text(entry.find(f"{ARXIV}journal_ref")), "journal reference"),
            doi=_doi(_text(entry.find(f"{ARXIV}doi"))) or _doi(doi_link),
        )
    except Rejected as exc:
        raise Rejected(f"{arxiv_id}: {exc}") from exc
    return Entry(paper.attributed_to(SOURCE), "")


def classify(entries: list[Entry], categories: list[str]) -> list[Entry]:
    """API entries marked 'new' when their primary category is one of ``categories``, else
    'cross' (the API does not say how a paper was announced; RSS entries keep theirs)."""
    for entry in entries:
        if not entry.announce_type:
            primary = entry.paper.categories[0] if entry.paper.categories else None
            entry.announce_type = "new" if primary in categories else "cross"
    return entries


# --- Fetching ----------------------------------------------------------------------------


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
        feed.entries += batch.entries
        feed.rejected += batch.rejected
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
        feed.entries += batch.entries
        feed.rejected += batch.rejected
    return feed
