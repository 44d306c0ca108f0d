"""The digest's weeks and months: every paper featured in the period, most upvoted first.

A week is an ISO week (Monday to Sunday: ``weeks/2026-W34/``), a month a calendar month
(``months/2026-08/``).  A period is *finished* once a digest day after it exists (never
the build's clock), so its page and feed entry stay as they are from then on: a new day
changes only the current period's (and, once, the newest finished one's "next" link).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from papers.catalog.days import by_upvotes

WEEK, MONTH = "week", "month"


@dataclass(eq=False)
class DigestPeriod:
    """One week or month of digests: its papers by upvotes, linked to its neighbours."""

    __shown__ = (
        "kind", "key", "title", "heading", "url", "start", "end", "articles", "finished", "day_count",
        "previous.key", "previous.title", "previous.url", "next.key", "next.title", "next.url",
    )

    kind: str  # WEEK or MONTH
    key: str  # 2026-W34, 2026-08
    start: dt.date
    end: dt.date  # the period's last calendar day
    articles: list  # most upvoted first; each paper once
    day_count: int  # days with a digest
    finished: bool = False
    previous: DigestPeriod | None = None
    next: DigestPeriod | None = None

    @property
    def url(self) -> str:
        return f"{self.kind}s/{self.key}/"

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def title(self) -> str:
        if self.kind == MONTH:
            return self.start.strftime("%B %Y")
        last = self.end
        span = f"{self.start:%-d %B} – {last:%-d %B %Y}" if self.start.month != last.month else f"{self.start:%-d}–{last:%-d %B %Y}"
        return f"Week {self.start.isocalendar().week} of {self.start.isocalendar().year} ({span})"


    @property
    def heading(self) -> str:
        """"Top papers of week 34 of 2026 (17–23 August 2026)", "… of August 2026"."""
        title = self.title
        return f"Top papers of {title[0].lower() + title[1:] if self.kind == WEEK else title}"


def week_of(day: dt.date) -> tuple[str, dt.date, dt.date]:
    year, week, weekday = day.isocalendar()
    start = day - dt.timedelta(days=weekday - 1)
    return f"{year}-W{week:02d}", start, start + dt.timedelta(days=6)


def month_of(day: dt.date) -> tuple[str, dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return f"{day:%Y-%m}", start, end


def digest_periods(days: list, kind: str) -> list[DigestPeriod]:
    """The weeks (``WEEK``) or months of ``days`` (``DigestDay`` objects, oldest first),
    oldest first, linked to their neighbours."""
    of = week_of if kind == WEEK else month_of
    grouped: dict[str, tuple[dt.date, dt.date, dict, list]] = {}
    for day in days:
        key, start, end = of(day.date)
        _, _, papers, with_digest = grouped.setdefault(key, (start, end, {}, []))
        with_digest.append(day)
        for entry in day.articles:
            papers.setdefault(entry.arxiv_id, entry)
    newest = days[-1].date if days else None
    periods = [
        DigestPeriod(kind, key, start, end, sorted(papers.values(), key=by_upvotes), len(with_digest), finished=newest > end)
        for key, (start, end, papers, with_digest) in grouped.items()
    ]
    for earlier, later in zip(periods, periods[1:]):
        earlier.next, later.previous = later, earlier
    return periods
