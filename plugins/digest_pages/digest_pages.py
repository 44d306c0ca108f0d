"""The reader's pages around the papers: one digest per day, the paper themes, archives.

``plugins/paper_pages`` writes ``/papers/<arxiv_id>/``; this plugin adds

- ``/`` (the latest day) and ``/YYYY/MM/DD/``: every paper featured that day, grouped by
  its best paper theme (themes in ``PAPER_THEMES`` order), each group by upvotes;
- ``/themes/`` and ``/themes/<slug>/``: a paper theme's newest papers, and its older ones
  in pages numbered from the oldest (``/themes/<slug>/page/<n>/``, ``DEFAULT_PAGINATION``
  papers each), so that a page, once full, never changes: a new day re-renders a theme's
  first page and at most one other;
- ``/archives/``, ``/about/``, ``/404.html``, ``/sitemap.xml``, ``/robots.txt``.

For the feeds plugin, the context gets ``digest_days``, ``papers_newest_first`` and
``paper_theme_papers`` (each paper theme's slug to its papers, newest first), and for
templates ``paper_theme_pages``.  Every page is written with a ``page_key`` made of what it
shows (the papers' ``page_state``), so the incremental writer renders only pages whose
papers changed.  Listings show a paper through the Jinja global ``paper_card``: its card
is made once a build and reused on every page that lists it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import jinja2
from incremental_writer import in_background
from pelican import signals
from pelican.generators import Generator


# A listing renders in a few milliseconds: below this many, forking costs more than it saves.
LISTINGS_IN_BACKGROUND = 20


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


def by_upvotes(entry):
    return (-(entry.upvotes or 0), entry.title_text.casefold(), entry.arxiv_id)


def newest_first(entries) -> list:
    return sorted(entries, key=lambda e: (e.first_featured, e.upvotes or 0, e.arxiv_id), reverse=True)


def group_by_paper_theme(articles, paper_themes) -> list[ThemeGroup]:
    """The articles under each one's best paper theme, themes in YAML order, by upvotes."""
    position = {t.slug: i for i, t in enumerate(paper_themes)}
    groups: dict[str | None, ThemeGroup] = {}
    for entry in articles:
        themes = entry.themes
        best = themes[0] if themes else None
        groups.setdefault(best.slug if best else None, ThemeGroup(best)).articles.append(entry)
    for group in groups.values():
        group.articles.sort(key=by_upvotes)
    return sorted(groups.values(), key=lambda g: position.get(g.paper_theme.slug, len(position)) if g.paper_theme else len(position))


def digest_days(articles, paper_themes) -> list[DigestDay]:
    """Every day some paper was featured, oldest first, linked to its neighbours."""
    featured: dict[str, list] = {}
    for entry in articles:
        for day in entry.featured:
            featured.setdefault(day, []).append(entry)
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


@dataclass(eq=False)
class ThemePage:
    """One page of a paper theme's listing: its papers (newest first) and its neighbours.

    Pages are numbered from the oldest paper, ``per_page`` papers each, and the theme's
    first page (``/themes/<slug>/``) holds the newest papers that fill no numbered page yet
    plus the newest full page's (``per_page`` to twice that): a numbered page, once
    written, changes only when the papers it lists change.
    """

    url: str
    save_as: str
    number: int | None  # None: the theme's first page
    articles: list
    newer: ThemePage | None = None
    older: ThemePage | None = None


def theme_pages(slug: str, newest: list, per_page: int) -> list[ThemePage]:
    """A paper theme's pages, its first page first, then numbered pages newest first."""
    oldest = newest[::-1]
    numbered = max(len(oldest) // per_page - 1, 0)
    first = ThemePage(f"themes/{slug}/", f"themes/{slug}/index.html", None, oldest[numbered * per_page :][::-1])
    pages = [first]
    for number in range(numbered, 0, -1):
        url = f"themes/{slug}/page/{number}/"
        pages.append(ThemePage(url, url + "index.html", number, oldest[(number - 1) * per_page : number * per_page][::-1]))
    for newer, older in zip(pages, pages[1:]):
        newer.older, older.newer = older, newer
    return pages


class DigestPagesGenerator(Generator):
    """Writes the pages listed in the module docstring."""

    def generate_context(self):
        self.papers = self.context["papers"]
        self.paper_themes = self.context["PAPER_THEMES"]
        self.days = digest_days(self.papers, self.paper_themes)
        listed: dict[str, list] = {t.slug: [] for t in self.paper_themes}
        for entry in self.papers:  # one pass over the papers, not one per paper theme
            for paper_theme in entry.themes:
                listed[paper_theme.slug].append(entry)
        self.theme_papers = {slug: newest_first(found) for slug, found in listed.items()}
        self.context["digest_days"] = self.days
        self.context["papers_newest_first"] = newest_first(self.papers)
        self.context["paper_theme_papers"] = self.theme_papers
        self.context["theme_paper_counts"] = {slug: len(found) for slug, found in self.theme_papers.items()}
        per_page = self.settings["DEFAULT_PAGINATION"] or len(self.papers) or 1
        self.theme_pages = {slug: theme_pages(slug, found, per_page) for slug, found in self.theme_papers.items()}
        self.context["paper_theme_pages"] = self.theme_pages
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
        # Listings show the catalogue and the context only: rendered beside the other pages.
        with in_background(writer, min_pages=LISTINGS_IN_BACKGROUND):
            self._write_pages(writer)

    def _write_pages(self, writer):
        for day in self.days:
            state = (day.iso, day_key(day.previous), day_key(day.next), [a.page_state for a in day.articles])
            self._write(writer, day.save_as, "day.html", state, day=day)
        if self.days:
            latest = self.days[-1]
            state = (latest.iso, day_key(latest.previous), [a.page_state for a in latest.articles])
            self._write(writer, "index.html", "index.html", state, day=latest)

        self._write(writer, "themes/index.html", "paper_themes.html", self._themes_state())
        for paper_theme in self.paper_themes:
            count = len(self.theme_papers[paper_theme.slug])
            for page in self.theme_pages[paper_theme.slug]:
                links = [p.url if p else None for p in (page.newer, page.older)]
                state = (paper_theme.slug, paper_theme.name, paper_theme.description, page.number, links, [a.page_state for a in page.articles])
                if page.number is None:
                    state += (count,)  # the first page says how many papers the theme has
                self._write(writer, page.save_as, "paper_theme.html", state, url=page.url, paper_theme=paper_theme, theme_page=page, theme_paper_count=count)

        self._write(writer, "archives/index.html", "archives.html", [(d.iso, len(d.articles)) for d in self.days], months=archive_months(self.days))
        self._write(writer, "about/index.html", "about.html", (self._themes_state(), day_key(self.context["LAST_DIGEST_DAY"])))
        self._write(writer, "404.html", "404.html", ())
        self._write(writer, "robots.txt", "robots.txt", ())
        sitemap_state = (
            [(d.iso, len(d.articles)) for d in self.days],
            [(e.url, e.featured[-1]) for e in self.papers],
            [[p.url for p in pages] for pages in self.theme_pages.values()],
        )
        self._write(writer, "sitemap.xml", "sitemap.xml", sitemap_state)


def get_generators(pelican):
    return DigestPagesGenerator


def add_paper_card(generator):
    """The Jinja global ``paper_card(article, heading="h3", show_day=False)``: the
    ``paper_item`` macro of ``_macros.html`` for a paper, made once per variant (and
    ``SITEURL``) in a build and shown by every listing that lists the paper: its day's
    page and each of its paper themes' pages (cards were most of the listings' cost)."""
    cards, macros = {}, {}

    @jinja2.pass_context
    def paper_card(context, article, heading="h3", show_day=False):
        siteurl = context.get("SITEURL")
        key = (siteurl, article.arxiv_id, heading, show_day)
        card = cards.get(key)
        if card is None:
            if siteurl not in macros:
                # The macro sees only SITEURL of the page (see _macros.html).
                macros[siteurl] = generator.env.get_template("_macros.html").make_module({"SITEURL": siteurl})
            card = cards[key] = macros[siteurl].paper_item(article, heading=heading, show_day=show_day)
        return card

    generator.env.globals["paper_card"] = paper_card


def register():
    signals.generator_init.connect(add_paper_card)
    signals.get_generators.connect(get_generators)
