"""Hugging Face Daily Papers: fetch a day's list and turn its entries into ``Paper`` records.

The endpoint is ``https://huggingface.co/api/daily_papers?date=YYYY-MM-DD``.  It returns at
most 50 entries a request, so a full page means there may be another.  Its schema grew over
the years (see tests/fixtures/README.md); every optional key may be absent.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re

from papers.cleaning import (
    MAX_AUTHORS,
    MAX_KEYWORDS,
    capped,
    clean_arxiv_id,
    clean_count,
    clean_date,
    clean_text,
    clean_url,
    shown_value,
    utc_timestamp,
)
from papers.errors import Rejected, SourceError
from papers.model import Paper
from papers.sources.http import PoliteClient

SOURCE = "hf"
DAILY_URL = "https://huggingface.co/api/daily_papers"
PAGE_SIZE = 50
MAX_PAGES = 20
HF_HANDLE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


def fetch_day(client: PoliteClient, day: str) -> tuple[list, str]:
    """Every entry the API lists for ``day``, paging while pages come back full, and when
    the API answered (``utc_timestamp``)."""
    entries: list = []
    seen_ids: set = set()
    as_of = None
    for page in range(MAX_PAGES):
        response = client.get(DAILY_URL, params={"date": day, "limit": PAGE_SIZE, "p": page})
        as_of = as_of or response_time(response.headers.get("Date"))
        batch = decode_response(response.text)
        ids = {_entry_id(e) for e in batch}
        if ids and ids <= seen_ids:
            break  # the API ignored the page number: we already have these
        seen_ids |= ids
        entries.extend(batch)
        if len(batch) < PAGE_SIZE:
            break
    return entries, as_of


def response_time(date_header: str | None) -> str:
    """When the server made a response (its ``Date`` header), else now."""
    try:
        return utc_timestamp(email.utils.parsedate_to_datetime(date_header))
    except (TypeError, ValueError, IndexError, OverflowError):
        return utc_timestamp(dt.datetime.now(dt.timezone.utc))


def _entry_id(entry: object) -> str | None:
    """An entry's id, for telling pages apart (only text: a list or a mapping is rejected
    later, by ``parse_entry``, as it is when the same body is replayed)."""
    paper = entry.get("paper") if isinstance(entry, dict) else None
    entry_id = paper.get("id") if isinstance(paper, dict) else None
    return entry_id if isinstance(entry_id, str) else None


JSON_KINDS = {dict: "an object", str: "a string", int: "a number", float: "a number", bool: "true/false", type(None): "null"}


def decode_json(text: str | bytes) -> object:
    """A raw response body's JSON value, or ``SourceError``."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SourceError(f"response is not JSON ({exc})") from exc
    except RecursionError:
        raise SourceError("response is JSON nested too deeply to read") from None


def decode_response(text: str) -> list:
    """The list of entries in a raw response body, or ``SourceError``."""
    data = decode_json(text)
    if not isinstance(data, list):
        raise SourceError(f"response is {JSON_KINDS.get(type(data), 'a JSON value')} in JSON, expected a list of papers")
    return data


def parse_entry(entry: object, day: str, as_of: str | None = None) -> tuple[Paper, list[str]]:
    """One API entry as a ``Paper`` featured on ``day`` (its data current ``as_of``), plus
    warnings about dropped fields and lists cut to their limit.

    Raises ``Rejected`` (naming the entry) when the id, title, authors or a count is unusable.
    """
    if not isinstance(entry, dict) or not isinstance(entry.get("paper"), dict):
        raise Rejected("entry has no 'paper' object")
    paper = entry["paper"]
    arxiv_id = clean_arxiv_id(paper.get("id"))
    try:
        return _parse_paper(entry, paper, arxiv_id, day, as_of)
    except Rejected as exc:
        raise Rejected(f"{arxiv_id}: {exc}") from exc


def _parse_paper(entry: dict, paper: dict, arxiv_id: str, day: str, as_of: str | None) -> tuple[Paper, list[str]]:
    warnings: list[str] = []

    def url(value: object, what: str) -> str | None:
        if value is None:
            return None
        cleaned = clean_url(value)
        if cleaned is None:
            warnings.append(f"{arxiv_id}: dropped {what} {shown_value(value)} (not an http(s) URL)")
        return cleaned

    # The top-level title keeps LaTeX ($\nabla^2$DFT); paper.title is arXiv's stripped,
    # line-wrapped text.  Prefer the former when it is there.
    title = ""
    for candidate in (entry.get("title"), paper.get("title")):
        if candidate is not None:
            title = clean_text(candidate, what="title")
            if title:
                break
    if not title:
        raise Rejected("empty title")

    raw_authors = paper.get("authors")
    if not isinstance(raw_authors, list):
        raise Rejected("authors is not a list")
    authors = []
    for author in raw_authors:
        # 'hidden' only hides the author's Hugging Face profile; the name is on the paper,
        # and citations need every author in order, so hidden authors are kept.
        if not isinstance(author, dict):
            raise Rejected(f"author {author!r} is not an object")
        name = clean_text(author.get("name"), what="author name")
        if name:
            authors.append(name)
    authors = capped(authors, MAX_AUTHORS, what=f"{arxiv_id}: authors", warnings=warnings)

    keywords = paper.get("ai_keywords", [])
    if not isinstance(keywords, list):
        raise Rejected("ai_keywords is not a list")
    keywords = [k for k in (clean_text(k, what="keyword") for k in keywords) if k]
    keywords = capped(keywords, MAX_KEYWORDS, what=f"{arxiv_id}: ai_keywords", warnings=warnings)

    org = paper.get("organization") or entry.get("organization") or entry.get("submitterOrganization")
    org_name = org_url = None
    if isinstance(org, dict):
        if org.get("fullname") or org.get("name"):
            org_name = clean_text(org.get("fullname") or org.get("name"), what="organization") or None
        handle = org.get("name")
        if isinstance(handle, str) and HF_HANDLE_RE.match(handle):
            org_url = f"https://huggingface.co/{handle}"

    ai_summary = paper.get("ai_summary")
    if ai_summary is not None:
        ai_summary = clean_text(ai_summary, what="ai_summary", multiline=True) or None
    return (
        Paper(
            arxiv_id=arxiv_id,
            title=title,
            authors=authors,
            abstract=clean_text(paper.get("summary", entry.get("summary", "")), what="abstract", multiline=True),
            featured=[day],
            sources=[SOURCE],
            published=clean_date(paper.get("publishedAt"), what=f"{arxiv_id}: publishedAt", warnings=warnings),
            upvotes=clean_count(paper.get("upvotes"), what="upvotes"),
            num_comments=clean_count(entry.get("numComments"), what="numComments"),
            github_repo=url(paper.get("githubRepo"), "githubRepo"),
            github_stars=clean_count(paper.get("githubStars"), what="githubStars"),
            project_page=url(paper.get("projectPage"), "projectPage"),
            ai_summary=ai_summary,
            ai_keywords=keywords,
            organization=org_name,
            organization_url=org_url,
            thumbnail=url(entry.get("thumbnail") or entry.get("mediaUrl"), "thumbnail"),
        ).attributed_to(SOURCE, as_of),
        warnings,
    )


def parse_entries(entries: list, day: str, as_of: str | None = None) -> tuple[list[Paper], list[str], list[str]]:
    papers: dict[str, Paper] = {}
    rejected: list[str] = []
    warnings: list[str] = []
    for position, entry in enumerate(entries, 1):
        try:
            paper, entry_warnings = parse_entry(entry, day, as_of)
        except Rejected as exc:
            rejected.append(f"entry {position}: {exc}")
            continue
        warnings.extend(entry_warnings)
        # The same paper twice in one response: keep one record, merged.
        papers[paper.arxiv_id] = papers[paper.arxiv_id].merged_with(paper) if paper.arxiv_id in papers else paper
    return list(papers.values()), rejected, warnings
