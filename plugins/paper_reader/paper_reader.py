"""Read paper files (``content/papers/…/<arxiv_id>.md``) into Pelican articles.

A paper file is YAML metadata between ``---`` lines and the abstract as plain text (the
format is defined in ``scripts/papers/store.py``).  Files without that metadata block are
ordinary Markdown and go to Pelican's Markdown reader.

Each article gets ``article.paper`` (the whole ``Paper`` record), its slug is the arXiv id
and its date the first day it was featured.  The abstract becomes escaped paragraphs, its
``$…$`` formulas MathML (``papers.mathtext``): no Markdown or HTML in the data can ever
become markup.
"""

from __future__ import annotations

import re

from papers.mathtext import math_html
from papers.store import has_front_matter, parse_paper
from pelican import signals
from pelican.readers import MarkdownReader

# Paragraph breaks in real abstracts: a blank line, or (arXiv's current output) a line break
# followed by indentation.  Any other line break is a hard wrap.
PARAGRAPH_BREAK_RE = re.compile(r"\n(?:[ \t]*\n|[ \t]+)")


def abstract_paragraphs(text: str) -> list[str]:
    """The abstract's paragraphs, each with its hard wraps joined."""
    return [" ".join(p.split()) for p in PARAGRAPH_BREAK_RE.split(text) if p.strip()]


def abstract_html(text: str) -> str:
    return "\n".join(f"<p>{math_html(p)}</p>" for p in abstract_paragraphs(text))


class PaperReader(MarkdownReader):
    file_extensions = ["md"]

    def read(self, source_path):
        with open(source_path, encoding="utf-8") as f:
            text = f.read()
        if not has_front_matter(text):
            return super().read(source_path)
        paper = parse_paper(text, source=source_path)
        metadata = {
            "title": paper.title,
            "date": self.process_metadata("date", paper.first_featured),
            "slug": paper.arxiv_id,
            "paper": paper,
        }
        return abstract_html(paper.abstract), metadata


def add_reader(readers):
    readers.reader_classes["md"] = PaperReader


def register():
    signals.readers_init.connect(add_reader)
