"""arXiv's two kinds of response, parsed into ``Feed`` records of ``Paper`` entries.

Both are XML, both parsed with defusedxml (no entity expansion, no external entities, no
DTD tricks):

* RSS 2.0 (``rss.arxiv.org``), the current day's announcement of one category.  Each item
  says whether it is ``new``, a ``cross``-list, a ``replace``ment or a ``replace-cross``;
  the description is "arXiv:<id>v<N> Announce Type: <type> \\nAbstract: <abstract>" and
  ``dc:creator`` holds every author in one comma-separated string.  On days without an
  announcement (weekends, holidays) the feed has no items.
* Atom (the API), for backfilling past days and for completing records (primary category
  first, comment, journal reference, DOI, publication date).  Two generations of its
  output exist (tests/fixtures/README.md): the legacy one (until Oct 2025: hard-wrapped
  text, namespaces declared inline, one element order) and the current one (one-line
  text, namespaces on the root, another order, https links).  Elements are looked up by
  name, never by position, so both parse to the same fields.

Each feed records its own time (RSS ``lastBuildDate``, Atom ``updated``): the entries'
data is as of then (``Paper.fetched``), so a replayed older response never rolls back a
newer one.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from papers.cleaning import (
    CATEGORY_RE,
    MAX_AUTHORS,
    capped,
    clean_arxiv_id,
    clean_date,
    clean_text,
    utc_timestamp,
    valid_day,
)
from papers.errors import Rejected, SourceError
from papers.model import Paper

SOURCE = "arxiv"
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


@dataclass
class Entry:
    """One arXiv paper as announced: the record and how it was announced (new, cross, …)."""

    paper: Paper
    announce_type: str


@dataclass
class Feed:
    """A parsed response: its entries, the entries it rejected (with reasons) and warnings
    about what was cut to a limit."""

    kind: str  # "rss" or "api"
    entries: list[Entry] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # RSS: the ids of items not parsed because their announcement type is not wanted
    # (a replacement of an old paper may even have an old-style id we cannot store).
    skipped: set[str] = field(default_factory=set)
    day: str | None = None  # RSS: the announcement day the feed is for
    total_results: int | None = None  # API: opensearch:totalResults
    # When the response was made (RSS lastBuildDate, API updated), as ``utc_timestamp``.
    as_of: str | None = None

    def extend(self, other: "Feed") -> None:
        """Add a further page of the same query."""
        self.entries += other.entries
        self.rejected += other.rejected
        self.warnings += other.warnings
        self.as_of = max(filter(None, (self.as_of, other.as_of)), default=None)


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
    published = _rss_time(_text(channel.find("pubDate")))
    built = _rss_time(_text(channel.find("lastBuildDate"))) or published
    feed = Feed("rss", day=published and published.date().isoformat(), as_of=built and utc_timestamp(built))
    if feed.day is not None and not valid_day(feed.day):
        feed.day = None
    for position, item in enumerate(channel.findall("item"), 1):
        announce_type = (_text(item.find(f"{ARXIV}announce_type")) or "new").strip().lower()
        if announce_type not in announce_types:
            feed.skipped.add((_text(item.find("link")) or "").rsplit("/abs/", 1)[-1])
            continue
        try:
            feed.entries.append(_parse_rss_item(item, feed, announce_type))
        except Rejected as exc:
            feed.rejected.append(f"item {position}: {exc}")
    if feed.day is None and feed.entries:
        raise SourceError("the feed has items but no usable announcement date (channel pubDate)")
    return feed


def _rss_time(value: str | None) -> dt.datetime | None:
    """An RSS date ("Mon, 27 Apr 2026 00:00:00 -0400"; its day is the announcement's)."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _atom_time(value: str | None) -> str | None:
    """An Atom ``updated`` time ("2026-08-02T22:07:14Z") as ``utc_timestamp``, if valid."""
    try:
        when = dt.datetime.fromisoformat((value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return utc_timestamp(when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc))


def _parse_rss_item(item: Element, feed: Feed, announce_type: str) -> Entry:
    arxiv_id = _id_from_url(_text(item.find("link")) or _text(item.find("guid")))
    try:
        description = _text(item.find("description")) or ""
        abstract = RSS_PREFIX_RE.sub("", description, count=1)
        # RSS abstracts are not hard-wrapped: every line break is a paragraph break.
        abstract = "\n\n".join(" ".join(line.split()) for line in abstract.splitlines() if line.strip())
        paper = Paper(
            arxiv_id=arxiv_id,
            title=_required_title(_text(item.find("title"))),
            authors=_names(split_authors(_text(item.find(f"{DC}creator")) or ""), arxiv_id, feed.warnings),
            abstract=clean_text(abstract, what="abstract", multiline=True),
            featured=[feed.day] if feed.day else [],
            sources=[SOURCE],
            categories=_categories([_text(c) for c in item.findall("category")]),
            journal_ref=_one_line(_text(item.find(f"{ARXIV}journal_reference")), "journal reference"),
            doi=_doi(_text(item.find(f"{ARXIV}DOI"))),
        )
    except Rejected as exc:
        raise Rejected(f"{arxiv_id}: {exc}") from exc
    return Entry(paper.attributed_to(SOURCE, feed.as_of), announce_type)


def _names(values, arxiv_id: str, warnings: list[str]) -> list[str]:
    names = [name for name in (clean_text(v or "", what="author name") for v in values) if name]
    return capped(names, MAX_AUTHORS, what=f"{arxiv_id}: authors", warnings=warnings)


def _required_title(value: str | None) -> str:
    title = clean_text(value or "", what="title")
    if not title:
        raise Rejected("empty title")
    return title


def _parse_api(root: Element, day: str | None) -> Feed:
    total = _text(root.find(f"{OPENSEARCH}totalResults"))
    total = (total or "").strip()
    feed = Feed("api", total_results=int(total) if total.isascii() and total.isdigit() else None,
                as_of=_atom_time(_text(root.find(f"{ATOM}updated"))))
    for position, entry in enumerate(root.findall(f"{ATOM}entry"), 1):
        entry_id = _text(entry.find(f"{ATOM}id")) or ""
        if "/api/errors" in entry_id:
            # The API reports a bad query as a feed with one "Error" entry.
            message = " ".join((_text(entry.find(f"{ATOM}summary")) or "").split())
            raise SourceError(f"the API answered with an error: {message}")
        try:
            feed.entries.append(_parse_api_entry(entry, day, feed))
        except Rejected as exc:
            feed.rejected.append(f"entry {position}: {exc}")
    return feed


def _parse_api_entry(entry: Element, day: str | None, feed: Feed) -> Entry:
    arxiv_id = _id_from_url(_text(entry.find(f"{ATOM}id")))
    try:
        primary = entry.find(f"{ARXIV}primary_category")
        doi_link = next((link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("title") == "doi"), None)
        paper = Paper(
            arxiv_id=arxiv_id,
            title=_required_title(_text(entry.find(f"{ATOM}title"))),
            authors=_names((_text(a.find(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")), arxiv_id, feed.warnings),
            abstract=clean_text(unwrap_abstract(_text(entry.find(f"{ATOM}summary")) or ""), what="abstract", multiline=True),
            featured=[day] if day else [],
            sources=[SOURCE],
            published=clean_date(_text(entry.find(f"{ATOM}published")), what=f"{arxiv_id}: published", warnings=feed.warnings),
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
    return Entry(paper.attributed_to(SOURCE, feed.as_of), "")


def classify(entries: list[Entry], categories: list[str]) -> list[Entry]:
    """API entries marked 'new' when their primary category is one of ``categories``, else
    'cross' (the API does not say how a paper was announced; RSS entries keep theirs)."""
    for entry in entries:
        if not entry.announce_type:
            primary = entry.paper.categories[0] if entry.paper.categories else None
            entry.announce_type = "new" if primary in categories else "cross"
    return entries
