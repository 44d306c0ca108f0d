#!/usr/bin/env python3
"""Fetch a day's papers from the sources and write one Markdown file per paper into content/.

Run daily by CI (``make update``) and by hand to backfill a range of days::

    python scripts/fetch.py                                   # today (UTC), every source in sources.yml
    python scripts/fetch.py --source hf --date 2026-08-21
    python scripts/fetch.py --source arxiv --since 2026-08-01 --until 2026-08-21
    python scripts/fetch.py --date 2026-08-21 --input saved-response.json

Sources: ``hf`` (Hugging Face Daily Papers), ``arxiv`` (today: the RSS announcement of each
category in sources.yml, completed from the API; a past day: the API), ``all`` (the
default: the sources listed in sources.yml, in order).  A paper seen by several sources or
on several days is one file; see ``papers.model`` for which source wins which field, ``papers.cleaning`` for what is refused.
``--input`` replays a saved response: Hugging Face JSON, arXiv RSS or arXiv API Atom
(recognised from its content).  Live, each Hugging Face paper also gets the models,
datasets and Spaces linked to it (its per-paper API, ``papers.sources.hf_paper``) unless
``--no-paper-links``; a replay never asks.

One run at a time writes a content folder: a run holds the lock ``<content>/.fetch.lock``
(``papers.content_lock``) from start to end, and a second run exits at once, naming the
run that holds it, or with ``--wait`` waits for it to finish.  A run first removes the
temporary files that killed runs left (``ContentStore.remove_temporaries``).

Exit status: 0 when every day was processed (a day without papers or without an arXiv
announcement included), 1 when some entries, days or sources failed and the rest were
written, 2 when nothing could be fetched or parsed (content is then left exactly as it
was), when sources.yml is wrong, or when another run holds the content folder (without
``--wait``; nothing is then touched).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import sys
from pathlib import Path

from papers.arguments import iso_date
from papers.content_lock import ContentLocked, content_lock
from papers.errors import ConfigError
from papers.fetching import SOURCE_NAMES, days_between, fetch_days, replay_day
from papers.sources import arxiv, hf, hf_paper
from papers.sources.config import SourcesConfig, load_sources_config
from papers.sources.http import PoliteClient
from papers.store import ContentStore

ALL = "all"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "sources.yml"

log = logging.getLogger("fetch")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        choices=[ALL, *SOURCE_NAMES],
        default=ALL,
        help="where to fetch from; all: every source listed in --config (default: %(default)s)",
    )
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--date", type=iso_date, help="the day to fetch (default: today, UTC)")
    when.add_argument("--since", type=iso_date, help="first day of a range to fetch")
    parser.add_argument("--until", type=iso_date, help="last day of the range (default: today, UTC)")
    parser.add_argument("--input", type=Path, help="replay a saved raw response instead of the network (one day)")
    parser.add_argument("--content", type=Path, default=Path("content"), help="content directory (default: %(default)s)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="source configuration (default: sources.yml at the repository root)")
    parser.add_argument("--refetch", action="store_true", help="in a range, fetch days already complete too")
    parser.add_argument(
        "--no-paper-links",
        dest="paper_links",
        action="store_false",
        help="do not ask Hugging Face's per-paper API (https://huggingface.co/api/papers/<id>, one request a paper) for the models, "
        "datasets and Spaces linked to each Hugging Face paper (default: ask, live fetches only; --input never does)",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="when another fetch run holds the content directory, wait for it to finish (default: exit at once with status 2)",
    )
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
    started = dt.datetime.now(dt.UTC)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    args = parse_args(argv)
    try:
        config = load_sources_config(args.config)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    command = [__file__, *(sys.argv[1:] if argv is None else argv)]
    try:
        with content_lock(args.content, wait=args.wait, command=command, started=started):
            return run(args, config)
    except ContentLocked as exc:
        print(f"{exc}; nothing fetched: run again when it has finished, or with --wait", file=sys.stderr)
        return 2


def run(args: argparse.Namespace, config: SourcesConfig) -> int:
    """The fetch itself, while this run holds the content folder's lock."""
    store = ContentStore(args.content)
    # Safe only now: no other run can be writing one of them.
    for path in store.remove_temporaries():
        log.warning("removed %s, left by an interrupted run", path)
    source = None if args.source == ALL else args.source
    if args.input:
        try:
            input_text = args.input.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{args.days[0]} {source or 'input'}: FAILED, nothing written: cannot read {args.input}: {exc}")
            return 2
        result = replay_day(store, source, args.days[0], input_text, config=config, today=args.today)
        print(result.summary())
        return result.status
    clients = {hf.SOURCE: PoliteClient(min_interval=hf_paper.MIN_INTERVAL), arxiv.SOURCE: arxiv.make_client()}
    sources = [source] if source else config.sources
    report = functools.partial(print, flush=True)
    return fetch_days(
        store, sources, args.days, config=config, clients=clients, today=args.today, refetch=args.refetch, paper_links=args.paper_links, report=report
    )


if __name__ == "__main__":
    sys.exit(main())
