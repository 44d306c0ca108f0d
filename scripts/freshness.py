#!/usr/bin/env python3
"""Fail when the newest digest is older than a number of weekdays: a feed gone stale.

Run after every build by ``invoke check`` (so by CI before it deploys, and by hand)::

    python scripts/freshness.py                       # content/, limit from pelicanconf.py
    python scripts/freshness.py --max-weekdays 5 --today 2026-08-24

The limit is ``FRESHNESS_MAX_WEEKDAYS`` in pelicanconf.py; the environment variable of the
same name overrides it, and ``--max-weekdays`` overrides both.  Only Monday to Friday count,
because Hugging Face and arXiv publish no digest at weekends: a site whose newest day is a
Friday is one weekday old on Monday.

Exit status: 0 fresh, 1 stale or empty (the message says how old and what to look at).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import runpy
import sys
from pathlib import Path

from papers.store import ContentStore

ROOT = Path(__file__).resolve().parents[1]
SETTING = "FRESHNESS_MAX_WEEKDAYS"


def newest_digest_day(content: Path | str) -> str | None:
    """The latest day any paper under ``content`` was featured (YYYY-MM-DD), or None."""
    store = ContentStore(content)
    days = (max(paper.featured) for paper in map(store.load, store.ids()) if paper.featured)
    return max(days, default=None)


def weekdays_after(day: str, today: str) -> int:
    """How many Mondays to Fridays fall after ``day``, up to and including ``today``."""
    start, end = dt.date.fromisoformat(day), dt.date.fromisoformat(today)
    return sum((start + dt.timedelta(n)).weekday() < 5 for n in range(1, (end - start).days + 1))


def staleness(newest: str | None, today: str, max_weekdays: int) -> str | None:
    """Why the site is stale, or None when its newest digest is recent enough."""
    if newest is None:
        return "no papers at all: the content directory is empty"
    age = weekdays_after(newest, today)
    if age <= max_weekdays:
        return None
    return (
        f"the newest digest is {newest}, {age} weekdays before {today} "
        f"(allowed: {max_weekdays}, {SETTING}). The daily fetch has not brought new papers: "
        "look at the latest workflow runs and at the sources (Hugging Face, arXiv)."
    )


def configured_max_weekdays(settings_file: Path) -> int:
    env = os.environ.get(SETTING)
    if env:
        return int(env)
    return int(runpy.run_path(str(settings_file))[SETTING])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content directory (default: content/)")
    parser.add_argument("--settings", type=Path, default=ROOT / "pelicanconf.py", help=f"settings file holding {SETTING} (default: pelicanconf.py)")
    parser.add_argument("--max-weekdays", type=int, help=f"allowed age in weekdays (default: ${SETTING}, else the settings file)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="the day to measure from (default: today, UTC)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    max_weekdays = args.max_weekdays if args.max_weekdays is not None else configured_max_weekdays(args.settings)
    today = (args.today or dt.datetime.now(dt.timezone.utc).date()).isoformat()
    newest = newest_digest_day(args.content)
    problem = staleness(newest, today, max_weekdays)
    if problem:
        print(f"STALE: {problem}", file=sys.stderr)
        return 1
    print(f"fresh: newest digest {newest}, {weekdays_after(newest, today)} weekdays before {today} (allowed: {max_weekdays})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
