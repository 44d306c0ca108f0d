"""The days of the digest: every day some paper was featured, its papers grouped by theme."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(eq=False)
class ThemeGroup:
    """A day's papers under one paper theme, most upvoted first."""

    __shown__ = ("paper_theme", "articles")

    paper_theme: object  # a PaperTheme
    articles: list = field(default_factory=list)


@dataclass(eq=False)
class ThemeCount:
    """How many of a day's papers are in one paper theme (the day page's theme filter)."""

    __shown__ = ("paper_theme", "count")

    paper_theme: object
    count: int


@dataclass(eq=False)
class DigestDay:
    """One day's digest: the papers featured that day, grouped by their best paper theme,
    linked to the days before and after.

    Its page lists them as Hugging Face does: ``ranked``, the papers with upvotes (Hugging
    Face's), most upvoted first; then ``announced``, those only arXiv announced (no
    upvotes), by best paper theme.  ``theme_counts``: every paper theme of the day's papers
    with its count, in the themes' order (a paper counts in each of its themes)."""

    # What a page may show of a day: its neighbours only by date and URL.
    __shown__ = (
        "iso", "date", "url", "articles", "groups", "ranked", "announced", "theme_counts",
        "previous.iso", "previous.url", "next.iso", "next.url",
    )

    date: date
    articles: list
    groups: list
    ranked: list = field(default_factory=list)
    announced: list = field(default_factory=list)
    theme_counts: list = field(default_factory=list)
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


def group_by_paper_theme(articles, paper_themes, among: frozenset[str] | None = None) -> list[ThemeGroup]:
    """The articles under each one's best paper theme (with ``among``: its best of those
    slugs; it must have one), themes in YAML order, by upvotes."""
    position = {t.slug: i for i, t in enumerate(paper_themes)}
    groups: dict[str, ThemeGroup] = {}
    for entry in articles:
        best = entry.themes[0] if among is None else next(t for t in entry.themes if t.slug in among)
        groups.setdefault(best.slug, ThemeGroup(best)).articles.append(entry)
    for group in groups.values():
        group.articles.sort(key=by_upvotes)
    return sorted(groups.values(), key=lambda g: position.get(g.paper_theme.slug, len(position)))


def theme_counts(articles, paper_themes) -> list[ThemeCount]:
    counts: dict[str, int] = {}
    for entry in articles:
        for paper_theme in entry.themes:
            counts[paper_theme.slug] = counts.get(paper_theme.slug, 0) + 1
    return [ThemeCount(t, counts[t.slug]) for t in paper_themes if t.slug in counts]


def digest_day(day: str, todays: list, paper_themes) -> DigestDay:
    upvoted = sorted((e for e in todays if e.upvotes is not None), key=by_upvotes)
    announced = [e for e in todays if e.upvotes is None]
    return DigestDay(
        date.fromisoformat(day), todays, group_by_paper_theme(todays, paper_themes),
        ranked=upvoted, announced=group_by_paper_theme(announced, paper_themes), theme_counts=theme_counts(todays, paper_themes),
    )


def digest_days(articles, paper_themes) -> list[DigestDay]:
    """Every day some paper was featured, oldest first, linked to its neighbours."""
    featured: dict[str, list] = {}
    for entry in articles:
        for day in entry.featured:
            featured.setdefault(day, []).append(entry)
    days = [digest_day(day, todays, paper_themes) for day, todays in sorted(featured.items())]
    for earlier, later in zip(days, days[1:]):
        earlier.next, later.previous = later, earlier
    return days
