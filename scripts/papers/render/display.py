"""The strings a paper's pages show, derived once per paper from its ``Paper`` record.

Every value is text, or markup built here by escaping (``*_html``: escaped text and
allowlisted MathML from ``papers.render.mathtext``): no HTML or Markdown in the data can become
markup.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup
from papers.render.mathtext import math_html, plain_text

MAX_AUTHORS_SHOWN = 5  # lists show "A, B, C, D, E and 12 more"
MAX_SUMMARY = 280  # characters of the one-line summary
# A sentence ends at . ! or ? followed by a space and a capital, except after e.g., i.e., et al.
SENTENCE_END_RE = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<! al\.)(?<! vs\.)(?<=[.!?])\s+(?=[A-Z0-9])")
# Paragraph breaks in real abstracts: a blank line, or (arXiv's current output) a line break
# followed by indentation.  Any other line break is a hard wrap.
PARAGRAPH_BREAK_RE = re.compile(r"\n(?:[ \t]*\n|[ \t]+)")
# Inside <script type="application/ld+json">: no data can close the element or open a comment.
JSON_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def abstract_paragraphs(text: str) -> list[str]:
    """The abstract's paragraphs, each with its hard wraps joined."""
    return [" ".join(p.split()) for p in PARAGRAPH_BREAK_RE.split(text) if p.strip()]


def abstract_html(text: str) -> Markup:
    return Markup("\n".join(f"<p>{math_html(p)}</p>" for p in abstract_paragraphs(text)))


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
    summary_text = one_line_summary(paper)
    extra = len(paper.authors) - MAX_AUTHORS_SHOWN
    return {
        "title_html": math_html(paper.title),
        "title_text": plain_text(paper.title),
        "summary_text": summary_text,
        "summary_html": math_html(summary_text),
        "authors_short": ", ".join(paper.authors) if extra <= 1 else f"{', '.join(paper.authors[:MAX_AUTHORS_SHOWN])} and {extra} more",
    }


def json_ld(entry, siteurl: str) -> Markup:
    """schema.org ScholarlyArticle of a paper, safe inside a script element."""
    paper = entry.paper
    abs_url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": abs_url,
        "url": f"{siteurl}/{entry.url}",
        "headline": entry.title_text,
        "name": entry.title_text,
        "author": [{"@type": "Person", "name": name} for name in paper.authors],
        "datePublished": paper.published or paper.first_featured,
        "abstract": paper.abstract,
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv_id},
            {"@type": "PropertyValue", "propertyID": "DOI", "value": f"10.48550/arXiv.{paper.arxiv_id}"},
        ],
        "sameAs": [abs_url, f"https://doi.org/10.48550/arXiv.{paper.arxiv_id}"],
        "keywords": paper.ai_keywords,
        "about": [theme.name for theme in entry.themes],
        "isAccessibleForFree": True,
    }
    return Markup(json.dumps(data, ensure_ascii=False).translate(JSON_IN_SCRIPT))

