"""The reader's pages around the papers: one digest per day, the paper themes, archives.

Pelican's article generator writes ``/papers/<arxiv_id>/``; this plugin adds

- ``/`` (the latest day) and ``/YYYY/MM/DD/``: every paper featured that day, grouped by
  its best paper theme (themes in ``PAPER_THEMES`` order), each group by upvotes;
- ``/themes/`` and ``/themes/<slug>/`` (newest first, paginated), ``/archives/``,
  ``/about/``, ``/404.html``, ``/sitemap.xml``, ``/robots.txt``;
- ``/papers/<arxiv_id>/<arxiv_id>.bib``, the paper's BibTeX entry.

It also gives every paper article the strings its pages show, computed once per article:
``title_html`` (with MathML), ``title_text``, ``summary_text``/``summary_html`` (one line),
``authors_short``, ``bibtex`` and ``page_state`` (a digest of everything about
the paper a page can show, for the ``page_key`` of the pages that list it).  For the feeds
plugin, the context gets ``digest_days``, ``papers_newest_first`` and ``paper_theme_papers``
(each paper theme's slug to its papers, newest first).  Every template gets the filter
``http_url``: the URL when it is an absolute http(s) URL, else None (the link is dropped),
and ``json_ld``: a paper article's schema.org JSON-LD.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

import latex2mathml
from markupsafe import Markup
from papers import mathtext
from papers.derived_cache import DerivedCache, digest
from papers.mathtext import math_html, plain_text
from papers.model import clean_url
from pelican import signals
from pelican.generators import Generator

from . import bibtex
from .bibtex import bibtex_entry

MAX_AUTHORS_SHOWN = 5  # lists show "A, B, C, D, E and 12 more"
MAX_SUMMARY = 280  # characters of the one-line summary
# A sentence ends at . ! or ? followed by a space and a capital, except after e.g., i.e., et al.
SENTENCE_END_RE = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<! al\.)(?<! vs\.)(?<=[.!?])\s+(?=[A-Z0-9])")
# Inside <script type="application/ld+json">: no data can close the element or open a comment.
JSON_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def one_line_summary(paper) -> str:
    """``ai_summary``, else the abstract's first sentence; one line, at most MAX_SUMMARY."""
    text = " ".join((paper.ai_summary or "").split())
    if not text:
        abstract = " ".join(paper.abstract.split())
        text = SENTENCE_END_RE.split(abstract, maxsplit=1)[0]
    if len(text) > MAX_SUMMARY:
        text = text[:MAX_SUMMARY].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def json_ld(article, siteurl: str) -> Markup:
    """schema.org ScholarlyArticle, safe inside a script element."""
    paper = article.paper
    abs_url = f"https://arxiv.org/abs/{paper.arxiv_id}"
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": abs_url,
        "url": f"{siteurl}/{article.url}",
        "headline": plain_text(paper.title),
        "name": plain_text(paper.title),
        "author": [{"@type": "Person", "name": name} for name in paper.authors],
        "datePublished": paper.published or paper.first_featured,
        "abstract": paper.abstract,
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv_id},
            {"@type": "PropertyValue", "propertyID": "DOI", "value": f"10.48550/arXiv.{paper.arxiv_id}"},
        ],
        "sameAs": [abs_url, f"https://doi.org/10.48550/arXiv.{paper.arxiv_id}"],
        "keywords": paper.ai_keywords,
        "about": [m.theme.name for m in getattr(article, "paper_themes", [])],
        "isAccessibleForFree": True,
    }
    return Markup(json.dumps(data, ensure_ascii=False).translate(JSON_IN_SCRIPT))


def sha1(*parts) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def display_strings(paper) -> dict[str, str]:
    """The strings the pages show of a paper (the ``*_html`` ones are markup)."""
    summary_text = one_line_summary(paper)
    extra = len(paper.authors) - MAX_AUTHORS_SHOWN
    return {
        "title_html": str(math_html(paper.title)),
        "title_text": plain_text(paper.title),
        "summary_text": summary_text,
        "summary_html": str(math_html(summary_text)),
        "authors_short": ", ".join(paper.authors) if extra <= 1 else f"{', '.join(paper.authors[:MAX_AUTHORS_SHOWN])} and {extra} more",
        "bibtex": bibtex_entry(paper),
    }


def prepare_articles(generator):
    """Attach each paper article's display strings (signal ``article_generator_finalized``)."""
    # Deriving them is ~1 s of each build at the archive's size: a rebuild derives them
    # only for papers that changed, until this code or the MathML converter changes.
    cache = DerivedCache(
        generator.settings["CACHE_PATH"], "paper-display-strings",
        [__file__, bibtex.__file__, mathtext.__file__], extra=f"latex2mathml {latex2mathml.__version__}",
    )
    for article in generator.articles:
        paper = getattr(article, "paper", None)
        if paper is None:
            continue
        matches = getattr(article, "paper_themes", [])
        strings = cache.get(digest(repr(paper)), functools.partial(display_strings, paper))
        for name, value in strings.items():
            setattr(article, name, Markup(value) if name.endswith("_html") else value)
        article.page_state = sha1(repr(paper), [(m.theme.slug, m.theme.name, m.score, list(m.reasons)) for m in matches])
    cache.save()


@dataclass(eq=False)
class ThemeGroup:
    paper_theme: object | None  # a PaperTheme; None when the paper themes plugin is off
    articles: list = field(default_factory=list)


@dataclass(eq=False)
class DigestDay:
    """One day's digest: the papers featured that day, grouped by their best paper theme."""

    date: date
    articles: list
    groups: list
    previous: DigestDay | None = None
    next: DigestDay | None = None

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def url(self) -> str:
        return self.date.strftime("%Y/%m/%d/")

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


def by_upvotes(article):
    return (-(article.paper.upvotes or 0), article.paper.title.casefold(), article.paper.arxiv_id)


def newest_first(articles) -> list:
    return sorted(articles, key=lambda a: (a.paper.first_featured, a.paper.upvotes or 0, a.paper.arxiv_id), reverse=True)


def group_by_paper_theme(articles, paper_themes) -> list[ThemeGroup]:
    """The articles under each one's best paper theme, themes in YAML order, by upvotes."""
    position = {t.slug: i for i, t in enumerate(paper_themes)}
    groups: dict[str | None, ThemeGroup] = {}
    for article in articles:
        matches = getattr(article, "paper_themes", [])
        best = matches[0].theme if matches else None
        groups.setdefault(best.slug if best else None, ThemeGroup(best)).articles.append(article)
    for group in groups.values():
        group.articles.sort(key=by_upvotes)
    return sorted(groups.values(), key=lambda g: position.get(g.paper_theme.slug, len(position)) if g.paper_theme else len(position))


def digest_days(articles, paper_themes) -> list[DigestDay]:
    """Every day some paper was featured, oldest first, linked to its neighbours."""
    featured: dict[str, list] = {}
    for article in articles:
        for day in article.paper.featured:
            featured.setdefault(day, []).append(article)
    days = [
        DigestDay(date.fromisoformat(day), todays, group_by_paper_theme(todays, paper_themes))
        for day, todays in sorted(featured.items())
    ]
    for earlier, later in zip(days, days[1:]):
        earlier.next, later.previous = later, earlier
    return days


def archive_months(days: list[DigestDay]) -> list[tuple[date, list[list[tuple[date, DigestDay | None]]]]]:
    """Newest month first, each as calendar weeks (Monday first) of (date, its digest or None),
    so that a day without a digest shows as a gap, not as a missing line."""
    by_date = {d.date: d for d in days}
    months = sorted({d.date.replace(day=1) for d in days}, reverse=True)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar
    return [(first, [[(d, by_date.get(d)) for d in week] for week in weeks(first.year, first.month)]) for first in months]


def day_key(day: DigestDay | None):
    return day.iso if day else None


class DigestPagesGenerator(Generator):
    """Writes the pages listed in the module docstring."""

    def generate_context(self):
        self.papers = [a for a in self.context["articles"] if getattr(a, "paper", None) is not None]
        self.paper_themes = self.context.get("PAPER_THEMES", [])
        self.days = digest_days(self.papers, self.paper_themes)
        listed: dict[str, list] = {t.slug: [] for t in self.paper_themes}
        for article in self.papers:  # one pass over the papers, not one per paper theme
            for match in getattr(article, "paper_themes", []):
                if match.theme.slug in listed:
                    listed[match.theme.slug].append(article)
        self.theme_papers = {slug: newest_first(found) for slug, found in listed.items()}
        self.context["digest_days"] = self.days
        self.context["papers_newest_first"] = newest_first(self.papers)
        self.context["paper_theme_papers"] = self.theme_papers
        self.context["theme_paper_counts"] = {slug: len(found) for slug, found in self.theme_papers.items()}
        # "Last updated" is the newest digest, not the build's clock (rebuilds stay identical).
        self.context["LAST_DIGEST_DAY"] = self.days[-1] if self.days else None

    def _write(self, writer, save_as, template, page_key, **kwargs):
        writer.write_file(
            save_as,
            self.env.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            template_name=template.rsplit(".", 1)[0],
            url=kwargs.pop("url", None),
            page_key=(template, *page_key),
            **kwargs,
        )

    def _themes_state(self):
        return [(t.slug, t.name, t.description, len(self.theme_papers[t.slug])) for t in self.paper_themes]

    def generate_output(self, writer):
        for day in self.days:
            state = (day.iso, day_key(day.previous), day_key(day.next), [a.page_state for a in day.articles])
            self._write(writer, day.save_as, "day.html", state, day=day)
        if self.days:
            latest = self.days[-1]
            state = (latest.iso, day_key(latest.previous), [a.page_state for a in latest.articles])
            self._write(writer, "index.html", "index.html", state, day=latest)

        self._write(writer, "themes/index.html", "paper_themes.html", self._themes_state())
        for paper_theme in self.paper_themes:
            listed = self.theme_papers[paper_theme.slug]
            state = (paper_theme.slug, paper_theme.name, paper_theme.description, [a.page_state for a in listed])
            self._write(
                writer, f"themes/{paper_theme.slug}/index.html", "paper_theme.html", state,
                url=f"themes/{paper_theme.slug}/", paginated={"articles": listed}, paper_theme=paper_theme,
            )

        self._write(writer, "archives/index.html", "archives.html", [(d.iso, len(d.articles)) for d in self.days], months=archive_months(self.days))
        self._write(writer, "about/index.html", "about.html", (self._themes_state(), day_key(self.context["LAST_DIGEST_DAY"])))
        self._write(writer, "404.html", "404.html", ())
        self._write(writer, "robots.txt", "robots.txt", ())
        sitemap_state = ([(d.iso, len(d.articles)) for d in self.days], [(a.url, a.paper.featured[-1]) for a in self.papers], self._themes_state())
        self._write(writer, "sitemap.xml", "sitemap.xml", sitemap_state, papers=self.papers)

        for article in self.papers:
            slug = article.paper.arxiv_id
            self._write(writer, f"papers/{slug}/{slug}.bib", "paper.bib", (article.bibtex,), bibtex=article.bibtex)


def get_generators(pelican):
    return DigestPagesGenerator


def add_filters(generator):
    generator.env.filters["http_url"] = clean_url
    # Made when a paper page is rendered, not kept on every article: it holds the whole
    # abstract (a quarter of the articles' memory), and unchanged pages are not rendered.
    generator.env.filters["json_ld"] = functools.partial(json_ld, siteurl=generator.settings["SITEURL"])


def register():
    signals.generator_init.connect(add_filters)
    signals.article_generator_finalized.connect(prepare_articles)
    signals.get_generators.connect(get_generators)
