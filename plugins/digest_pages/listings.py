"""How the listings are cut into pages: a paper theme's numbered pages, the archive's months."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(eq=False)
class ThemePage:
    """One page of a paper theme's listing: its papers (newest first) and its neighbours.

    Pages are numbered from the oldest paper, ``per_page`` papers each, and the theme's
    first page (``/themes/<slug>/``) holds the newest papers that fill no numbered page yet
    plus the newest full page's (``per_page`` to twice that): a numbered page, once
    written, changes only when the papers it lists change.
    """

    __shown__ = ("url", "number", "articles", "newer.url", "older.url")

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


def archive_months(days: list) -> list[tuple[date, list[list[tuple[date, object]]]]]:
    """Newest month first, each as calendar weeks (Monday first) of (date, its digest or None),
    so that a day without a digest shows as a gap, not as a missing line."""
    by_date = {d.date: d for d in days}
    months = sorted({d.date.replace(day=1) for d in days}, reverse=True)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar
    return [(first, [[(d, by_date.get(d)) for d in week] for week in weeks(first.year, first.month)]) for first in months]
