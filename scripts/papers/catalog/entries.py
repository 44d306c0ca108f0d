"""A paper's catalogue entry: what the listings show of it, derived once from its file.

Every page that lists papers (days, paper themes, feeds, the sitemap, the search manifest)
needs a few things about every paper: its URL, days, upvotes, title and one-line summary
with their math rendered, its paper themes.  Deriving those means parsing the file,
matching the paper themes and converting math (about half a millisecond a paper), so they
are derived once (``derive_entries``) into an ``EntryState`` and cached
(``papers.catalog.cache``).  An entry holds no abstract: ``entry.paper`` (the whole
``Paper``) is read from its file when a page that shows it is rendered.
"""

from __future__ import annotations

import hashlib
import os
from functools import cached_property
from typing import NamedTuple

import latex2mathml
from markupsafe import Markup

from papers.build.fingerprint import source_version
from papers.errors import Rejected
from papers.cleaning import clean_url
from papers.code_links import CodeLink, code_links
from papers.paperfile import has_front_matter, paper_text, parse_paper, read_paper
from papers.render.bibtex import bibtex_entry
from papers.render.display import KEYWORDS, PAGE_AUTHORS, Shown, abstract_html, abstract_text, display_strings, shown_names
from papers.themes import PaperThemeMatch, match_paper_themes

# The code an entry is derived with: a change to any of it derives every entry again.
DERIVING_MODULES = (
    "papers.model", "papers.cleaning", "papers.field_types", "papers.paperfile", "papers.render.mathtext", "papers.render.display",
    "papers.render.textmode", "papers.render.bibtex", "papers.themes.taxonomy", "papers.themes.matching", "papers.code_links",
    __name__,
)


class EntryState(NamedTuple):
    """What the catalogue caches of a paper file (see ``derive_state``)."""

    arxiv_id: str
    featured: tuple[str, ...]
    upvotes: int | None
    code_links: tuple  # (url, label, source) of each repository (papers.code_links), in order
    github_stars: int | None
    title_html: str  # cached as plain text (unpickling str subclasses is several times
    title_text: str  # slower) and made markup only for the pages rendered
    summary_html: str
    summary_text: str
    authors_short: str
    match_state: tuple  # (theme position, score, reasons) per paper theme, best first
    page_state: str  # stands for everything a page can show of the paper
    # What a card shows besides (Hugging Face's): its comments, organization, thumbnail,
    # project page, and whether Hugging Face lists it.
    num_comments: int | None = None
    organization: str | None = None
    thumbnail: str | None = None
    project_url: str | None = None
    on_hf: bool = False


class PaperEntry:
    """What the listings need of one paper, and its whole record on demand (``paper``).

    Everything a page can read of an entry is derived from its file, its theme matches,
    the code that reads them and ``PAPER_URL``, all of which ``page_state`` stands for:
    a page's key holds it and nothing else of the entry."""

    __shown__ = "page_state"

    def __init__(self, path: str, state: EntryState, paper_themes: list, url_format: str):
        self.source_path = path
        self.arxiv_id, self.featured, self.upvotes, links, self.github_stars = state[:5]
        # Its repositories (the paper page lists them); a card links the first, saying where
        # it was found (Hugging Face, the arXiv comment or the abstract).
        self.code_links = [CodeLink(*link) for link in links]
        self.code_url, self.code_source = (self.code_links[0].url, self.code_links[0].source) if links else (None, None)
        self.title_text, self.summary_text, self.authors_short = state.title_text, state.summary_text, state.authors_short
        self.match_state, self.page_state = state.match_state, state.page_state
        self.num_comments, self.organization, self.project_url, self.on_hf = state.num_comments, state.organization, state.project_url, state.on_hf
        self.thumbnail = state.thumbnail
        self._state = state
        self.first_featured = self.featured[0]
        self.url = url_format.format(slug=self.arxiv_id)
        self.save_as = self.url + "index.html"
        self.has_page = True  # see ``drop_old_pages``
        self._all_paper_themes = paper_themes  # this build's; the cache holds positions in it

    def link(self, siteurl: str) -> str:
        """Where a listing links the paper: its page, or its arXiv abstract (no page)."""
        return f"{siteurl}/{self.url}" if self.has_page else f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def title_html(self) -> Markup:
        return Markup(self._state.title_html)

    @property
    def summary_html(self) -> Markup:
        return Markup(self._state.summary_html)

    @property
    def themes(self) -> list:
        """Its ``PaperTheme`` objects, best first (every listing needs them for every paper:
        made without the scores and reasons of ``paper_themes``)."""
        return [self._all_paper_themes[i] for i, _, _ in self.match_state]

    @cached_property
    def paper_themes(self) -> list[PaperThemeMatch]:
        """Its paper themes, best first, with their scores and the reasons they matched."""
        return [PaperThemeMatch(self._all_paper_themes[i], score, reasons) for i, score, reasons in self.match_state]

    @cached_property
    def paper(self):
        """The whole ``Paper``, read from its file the first time a page needs it."""
        return read_paper(self.source_path)

    @cached_property
    def page_authors(self) -> Shown:
        """The authors its page lists, in its metadata too (``PAGE_AUTHORS``)."""
        return shown_names(self.paper.authors, PAGE_AUTHORS)

    @cached_property
    def page_keywords(self) -> Shown:
        return shown_names(self.paper.ai_keywords, KEYWORDS)

    @cached_property
    def content(self) -> str:
        """The abstract as escaped paragraphs, formulas as MathML (markup)."""
        return abstract_html(self.paper.abstract)

    @cached_property
    def abstract_text(self) -> str:
        """The abstract as plain text: TeX read as text, formulas as text (metadata)."""
        return abstract_text(self.paper.abstract)

    @cached_property
    def bibtex(self) -> str:
        return bibtex_entry(self.paper)

    def __repr__(self) -> str:
        return f"<PaperEntry {self.arxiv_id}>"


def derive_state(paper, paper_themes, text_sha1: str, version: str) -> EntryState:
    """An entry's cached values for a parsed paper.

    ``page_state`` stands for everything a page can show of the paper: its file, its theme
    matches and the code that reads and renders it (``version``), so that caches keyed by
    it (pages, feed entries, search shards) are made again when that code changes."""
    matches = tuple((paper_themes.index(m.theme), m.score, tuple(m.reasons)) for m in match_paper_themes(paper, paper_themes))
    strings = display_strings(paper)
    return EntryState(
        arxiv_id=paper.arxiv_id,
        featured=tuple(paper.featured),
        upvotes=paper.upvotes,
        code_links=tuple(tuple(link) for link in code_links(paper)),  # plain tuples: quicker to unpickle
        github_stars=paper.github_stars,
        title_html=str(strings["title_html"]),
        title_text=strings["title_text"],
        summary_html=str(strings["summary_html"]),
        summary_text=strings["summary_text"],
        authors_short=strings["authors_short"],
        match_state=matches,
        page_state=hashlib.sha1(repr((version, text_sha1, matches)).encode("utf-8", "surrogatepass")).hexdigest(),
        num_comments=paper.num_comments,
        organization=paper.organization,
        thumbnail=thumbnail_url(paper.thumbnail),
        project_url=clean_url(paper.project_page),
        on_hf="hf" in paper.sources,
    )


# Thumbnails come from Hugging Face's image CDN only: a card never makes a reader's browser
# ask any other server (an image URL from the data could be a tracking pixel).
THUMBNAIL_PREFIXES = ("https://cdn-thumbnails.huggingface.co/",)


def thumbnail_url(value) -> str | None:
    url = clean_url(value)
    return url if url and url.startswith(THUMBNAIL_PREFIXES) else None


def derive_entries(paths: list[str], paper_themes, version: str) -> list:
    """(path, size, mtime_ns, sha1, state, paper, error) for each file: its entry's cached
    values and its ``Paper``, or None and None and why it is not a paper file."""
    out = []
    for path in paths:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
        sha1 = hashlib.sha1(data).hexdigest()
        try:
            try:
                text = paper_text(data)
            except UnicodeDecodeError as exc:
                raise Rejected(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
            if not has_front_matter(text):
                raise Rejected(f"{path}: not a paper file (no '---' metadata block)")
            paper = parse_paper(text, source=path)
            state = derive_state(paper, paper_themes, sha1, version)
            out.append((path, st.st_size, st.st_mtime_ns, sha1, state, paper, None))
        except Rejected as exc:
            out.append((path, st.st_size, st.st_mtime_ns, sha1, None, None, str(exc)))
    return out


def code_version(paper_themes_file: str | None, url_format: str) -> str:
    """The code and data entries are derived with: any change derives them all again."""
    themes = open(paper_themes_file, encoding="utf-8", errors="surrogateescape").read() if paper_themes_file else ""
    return source_version(*DERIVING_MODULES, extra=f"{url_format}\0latex2mathml {latex2mathml.__version__}\0{themes}")


def drop_old_pages(entries: list[PaperEntry], months: int | None) -> None:
    """Take the page away from each paper that Hugging Face never featured and that arXiv
    last listed more than ``months`` months before the newest day (setting
    ``ARXIV_ONLY_PAGE_MONTHS``; None keeps every page).  Counted from
    the newest day, not the clock, so a build of the same content is the same site."""
    if months is None or not entries:
        return
    newest = max(entry.featured[-1] for entry in entries)
    year, month = divmod(int(newest[:4]) * 12 + int(newest[5:7]) - 1 - months, 12)
    cutoff = f"{year:04d}-{month + 1:02d}{newest[7:]}"  # the same day of the month, N months back
    for entry in entries:
        if not entry.on_hf and entry.featured[-1] < cutoff:
            entry.has_page = False
            # Every page that lists it links elsewhere now: its key must change.
            entry.page_state += ":no page"
