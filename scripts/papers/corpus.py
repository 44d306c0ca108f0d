"""The archives used for scale work (themes report, benchmark, search measurements).  They
live beside the repository, in ``../shared/corpus/``, and are never committed:

- two years of Hugging Face Daily Papers, one line a day,
  ``{"date": "YYYY-MM-DD", "response": [...the API's entries...]}`` (``DEFAULT_CORPUS``);
- 410 days of arXiv's listings, one line a day,
  ``{"date": …, "file": …, "papers": [{"id", "title", "authors", "categories", "comment",
  "summary", …}, …]}`` (``ARXIV_CORPUS``).  ``arxiv_listing_feed`` writes a day of it as
  the arXiv API's Atom feed, so that it is read by the project's own arXiv parser
  (``papers.sources.arxiv_feeds``, as ``fetch.py --input`` reads a saved response), not a
  second one.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
DEFAULT_CORPUS = SHARED_CORPUS / "hf_daily_papers_archive.jsonl.gz"
ARXIV_CORPUS = SHARED_CORPUS / "arxiv_listing_archive.jsonl.gz"

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"


def read_days(path: Path | str = DEFAULT_CORPUS) -> list[dict]:
    """The archive's days, oldest first."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return sorted((json.loads(line) for line in lines if line.strip()), key=lambda day: day["date"])


def is_arxiv_listing(day: dict) -> bool:
    """Whether a day of an archive is an arXiv listing (else a Hugging Face response)."""
    return "papers" in day and "response" not in day


def arxiv_listing_feed(records: list) -> str:
    """A day's listing records as the arXiv API's Atom feed (what ``export.arxiv.org/api``
    answers): id, title, authors, abstract, categories (the first one primary) and comment
    of each, as the records hold them.  A value that is not text is left out, so that the
    parser rejects or skips what it would in a real response."""
    feed = Element(f"{{{ATOM_NS}}}feed")
    for record in records:
        if not isinstance(record, dict):
            continue
        entry = SubElement(feed, f"{{{ATOM_NS}}}entry")
        for tag, value in (("id", f"http://arxiv.org/abs/{record.get('id')}"), ("title", record.get("title")), ("summary", record.get("summary"))):
            if isinstance(value, str):
                SubElement(entry, f"{{{ATOM_NS}}}{tag}").text = value
        for name in record.get("authors") or ():
            if isinstance(name, str):
                SubElement(SubElement(entry, f"{{{ATOM_NS}}}author"), f"{{{ATOM_NS}}}name").text = name
        categories = [c for c in record.get("categories") or () if isinstance(c, str)]
        if categories:
            SubElement(entry, f"{{{ARXIV_NS}}}primary_category", term=categories[0])
        for category in categories:
            SubElement(entry, f"{{{ATOM_NS}}}category", term=category)
        if isinstance(record.get("comment"), str):
            SubElement(entry, f"{{{ARXIV_NS}}}comment").text = record["comment"]
    return tostring(feed, encoding="unicode")
