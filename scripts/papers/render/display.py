"""The strings a paper's pages show, derived once per paper from its ``Paper`` record.

Every value is text, or markup built here by escaping (``*_html``: escaped text and
allowlisted MathML from ``papers.render.mathtext``): no HTML or Markdown in the data can become
markup.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from markupsafe import Markup
from papers.render.mathtext import math_html, plain_text


class NameLimit(NamedTuple):
    """How much of a list of names (authors, keywords) one place shows: at most ``count``
    names, and no more names once they hold ``chars`` characters in all (the first name is
    always shown, however long)."""

    count: int
    chars: int


# What each place shows of a paper's authors and keywords.  A paper file may hold 5,000
# authors and 100 keywords (papers.cleaning), each up to 1,000 characters,
# so each place has a count and a character budget.  The counts cut only real collaborations
# (both archives: 3,303 authors at most, one paper over 1,000, one in a thousand over 100);
# the budgets only lists of names far longer than real ones (11.8 characters a name on
# average, 512 at most; at most 12,536 characters in a real paper's first 1,000 names, 1,606
# in its first 100, 553 in its first 6, 708 in all its keywords).  Together they bound every
# page, feed entry and search shard whatever the file holds; the file and arXiv keep every name.
# A card's byline and a search result: five names, as they always showed.
CARD_AUTHORS = NameLimit(5, 1_000)
# The paper page, its citation metadata, JSON-LD and BibTeX: four lists, under 300 KB in all.
PAGE_AUTHORS = NameLimit(1_000, 50_000)
# A feed entry: a feed repeats it for its papers, and every reader polls the feed.  The
# count is above every Hugging Face paper's list (573 names, 7,507 characters), so that
# only the largest arXiv collaborations are cut; the budget keeps an entry under ~80 KB.
FEED_AUTHORS = NameLimit(600, 15_000)
# The names indexed: the meta shards are what every search downloads first.
SEARCH_AUTHORS = NameLimit(1_000, 20_000)
# Keywords shown on the page and indexed: every keyword a file may hold, if not too long.
KEYWORDS = NameLimit(100, 5_000)
MAX_SUMMARY = 280  # characters of the one-line summary
# A sentence ends at . ! or ? followed by a space and a capital, except after e.g., i.e., et al.
SENTENCE_END_RE = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<! al\.)(?<! vs\.)(?<=[.!?])\s+(?=[A-Z0-9])")
# Paragraph breaks in real abstracts: a blank line, or (arXiv's current output) a line break
# followed by indentation.  Any other line break is a hard wrap.
PARAGRAPH_BREAK_RE = re.compile(r"\n(?:[ \t]*\n|[ \t]+)")
# Inside <script type="application/ld+json">: no data can close the element or open a comment.
JSON_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class Shown(NamedTuple):
    """The names a list shows and how many of the list it leaves out."""

    names: list[str]
    more: int

    @property
    def more_text(self) -> str:
        return f"and {self.more} more" if self.more else ""

    @property
    def text(self) -> str:
        """The list as a line: "A, B, C and 12 more"."""
        return f"{', '.join(self.names)} {self.more_text}" if self.more else ", ".join(self.names)


def first_names(names: list[str], limit: NameLimit) -> list[str]:
    """The first of ``names`` within ``limit``."""
    shown, used = [], 0
    for name in names[: limit.count]:
        used += len(name)
        if shown and used > limit.chars:
            break
        shown.append(name)
    return shown


def shown_names(names: list[str], limit: NameLimit) -> Shown:
    """What a list shows of ``names``: the first within ``limit``, and how many more.  A list
    one name over the count is shown whole ("and 1 more" would take the room of the name)."""
    if len(names) == limit.count + 1:
        limit = limit._replace(count=limit.count + 1)
    shown = first_names(names, limit)
    return Shown(shown, len(names) - len(shown))


def abstract_paragraphs(text: str) -> list[str]:
    """The abstract's paragraphs, each with its hard wraps joined."""
    return [" ".join(p.split()) for p in PARAGRAPH_BREAK_RE.split(text) if p.strip()]


def abstract_html(text: str) -> Markup:
    return Markup("\n".join(f"<p>{math_html(p)}</p>" for p in abstract_paragraphs(text)))


def abstract_text(text: str) -> str:
    """The abstract as plain text (metadata, search), its paragraphs kept apart."""
    return "\n\n".join(plain_text(p) for p in abstract_paragraphs(text))


def one_line_summary(paper) -> str:
    """``ai_summary``, else the abstract's first sentence; one line, at most MAX_SUMMARY."""
    text = " ".join((paper.ai_summary or "").split())
    if not text:
        abstract = " ".join(paper.abstract.split())
        text = SENTENCE_END_RE.split(abstract, maxsplit=1)[0]
    if len(text) > MAX_SUMMARY:
        text = text[:MAX_SUMMARY].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def display_strings(paper) -> dict[str, str]:
    """The strings the listings show of a paper (the ``*_html`` ones are markup)."""
    summary = one_line_summary(paper)
    return {
        "title_html": math_html(paper.title),
        "title_text": plain_text(paper.title),
        "summary_text": plain_text(summary),
        "summary_html": math_html(summary),
        "authors_short": shown_names(paper.authors, CARD_AUTHORS).text,
    }


def json_ld(entry, siteurl: str) -> Markup:
    """schema.org ScholarlyArticle of a paper, safe inside a script element: the authors and
    keywords its page shows (schema.org has no "and K more").  Not the abstract: the page
    shows it, and ``citation_abstract`` gives it to reference managers (issue 14: a page
    held it four times)."""
    paper = entry.paper
    abs_url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": abs_url,
        "url": f"{siteurl}/{entry.url}",
        "headline": entry.title_text,
        "name": entry.title_text,
        "author": [{"@type": "Person", "name": name} for name in entry.page_authors.names],
        "datePublished": paper.published or paper.first_featured,
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv_id},
            {"@type": "PropertyValue", "propertyID": "DOI", "value": f"10.48550/arXiv.{paper.arxiv_id}"},
        ],
        "sameAs": [abs_url, f"https://doi.org/10.48550/arXiv.{paper.arxiv_id}"],
        "keywords": entry.page_keywords.names,
        "about": [theme.name for theme in entry.themes],
        "isAccessibleForFree": True,
    }
    return Markup(json.dumps(data, ensure_ascii=False).translate(JSON_IN_SCRIPT))

