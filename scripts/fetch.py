#!/usr/bin/env python3
"""Fetch a day's papers from a source and write one Markdown file per paper into content/.

Run daily by CI (``make update``) and by hand to backfill a range of days::

    python scripts/fetch.py --source hf                       # today (UTC)
    python scripts/fetch.py --source hf --date 2026-08-21
    python scripts/fetch.py --source hf --since 2026-08-01 --until 2026-08-21
    python scripts/fetch.py --source hf --date 2026-08-21 --input saved-response.json

Exit status: 0 when every day was processed (a day without papers included), 1 when some
entries or days were rejected and the rest written, 2 when nothing could be fetched or
parsed (content is then left exactly as it was).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from papers import hf  # noqa: E402
from papers.http import FetchError, PoliteClient  # noqa: E402
from papers.model import Rejected  # noqa: E402
from papers.store import ContentStore  # noqa: E402

log = logging.getLogger("fetch")

SOURCES = {hf.SOURCE: hf}
SOURCE_NAMES = {hf.SOURCE: "Hugging Face Daily Papers"}
# A day's list still changes (late submissions, upvotes) for a while; a range run re-fetches
# days that were last fetched sooner than this after them, and skips the others.
SETTLED_AFTER_DAYS = 2


@dataclass
class DayResult:
    day: str
    source: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(("new", "updated", "unchanged", "rejected"), 0))
    failure: str | None = None
    empty: bool = False

    @property
    def status(self) -> int:
        if self.failure:
            return 2
        return 1 if self.counts["rejected"] else 0

    def summary(self) -> str:
        head = f"{self.day} {self.source}:"
        if self.failure:
            return f"{head} FAILED, nothing written: {self.failure}"
        if self.empty:
            return f"{head} no papers on {SOURCE_NAMES[self.source]} for {self.day}"
        c = self.counts
        return (
            f"{head} {c['new']} new, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['rejected']} rejected"
        )


def fetch_day(store: ContentStore, source: str, day: str, *, client=None, input_text=None) -> DayResult:
    """Fetch (or replay ``input_text`` for) one day of one source into the store."""
    result = DayResult(day, source)
    module = SOURCES[source]
    try:
        entries = module.decode_response(input_text) if input_text is not None else module.fetch_day(client, day)
        papers, rejected, warnings = module.parse_entries(entries, day)
    except (FetchError, module.SourceError) as exc:
        result.failure = str(exc)
        return result
    for message in warnings:
        log.warning("%s %s: %s", day, source, message)
    for message in rejected:
        log.warning("%s %s: rejected %s", day, source, message)
    result.counts["rejected"] = len(rejected)
    result.empty = not papers and not rejected
    for paper in papers:
        try:
            result.counts[store.save(paper)] += 1
        except Rejected as exc:
            log.warning("%s %s: rejected %s", day, source, exc)
            result.counts["rejected"] += 1
    if not papers and rejected:
        result.failure = f"all {len(rejected)} entries rejected"
    return result


def days_between(since: str, until: str) -> list[str]:
    start, end = dt.date.fromisoformat(since), dt.date.fromisoformat(until)
    return [(start + dt.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def is_settled(store: ContentStore, source: str, day: str) -> bool:
    fetched_on = store.fetch_state().get(source, {}).get(day)
    if not fetched_on:
        return False
    return dt.date.fromisoformat(fetched_on) >= dt.date.fromisoformat(day) + dt.timedelta(SETTLED_AFTER_DAYS)


def iso_date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", choices=sorted(SOURCES), default=hf.SOURCE, help="where to fetch from (default: %(default)s)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--date", type=iso_date, help="the day to fetch (default: today, UTC)")
    when.add_argument("--since", type=iso_date, help="first day of a range to fetch")
    parser.add_argument("--until", type=iso_date, help="last day of the range (default: today, UTC)")
    parser.add_argument("--input", type=Path, help="replay a saved raw API response instead of the network (one day)")
    parser.add_argument("--content", type=Path, default=Path("content"), help="content directory (default: %(default)s)")
    parser.add_argument("--refetch", action="store_true", help="in a range, fetch days already complete too")
    args = parser.parse_args(argv)
    if args.until and not args.since:
        parser.error("--until goes with --since")
    if args.input and args.since:
        parser.error("--input replays one day: use it with --date, not --since")
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    if args.since:
        args.days = days_between(args.since, args.until or today)
        if not args.days:
            parser.error(f"--since {args.since} is after --until {args.until or today}")
    else:
        args.days = [args.date or today]
    args.today = today
    return args


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    args = parse_args(argv)
    store = ContentStore(args.content)
    if args.input:
        try:
            input_text = args.input.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{args.days[0]} {args.source}: FAILED, nothing written: cannot read {args.input}: {exc}")
            return 2
        result = fetch_day(store, args.source, args.days[0], input_text=input_text)
        print(result.summary())
        return result.status

    client = PoliteClient()
    statuses = []
    ranged = len(args.days) > 1
    for n, day in enumerate(args.days, 1):
        prefix = f"[{n}/{len(args.days)}] " if ranged else ""
        if ranged and not args.refetch and is_settled(store, args.source, day):
            print(f"{prefix}{day} {args.source}: already complete, skipped")
            continue
        result = fetch_day(store, args.source, day, client=client)
        if result.status < 2:
            store.record_fetch(args.source, day, args.today)
        print(prefix + result.summary(), flush=True)
        statuses.append(result.status)
    if not statuses:
        return 0
    if all(s == 2 for s in statuses):
        return 2
    return max(statuses) and 1


if __name__ == "__main__":
    sys.exit(main())
