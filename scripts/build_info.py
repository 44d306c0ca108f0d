#!/usr/bin/env python3
"""Record what a build contains in ``output/build-info.json``, and refuse to deploy a site
that shrank.

``invoke publish`` writes the record after every published build; ``invoke check`` (so CI,
before it deploys) compares it with the record of the live site::

    python scripts/build_info.py write                  # output/build-info.json
    python scripts/build_info.py compare --previous https://user.github.io/repo/build-info.json
    python scripts/build_info.py compare --previous saved/build-info.json

The record holds the number of paper pages and the newest digest day, both read from the
built site itself, and the commit built.
A site never loses papers (the fetch never deletes one), so fewer paper pages than the live
site means a broken fetch or build: ``compare`` then fails and the live site stays as it
was.  No live record (the first deploy: the address answers 404) is fine.

Exit status of ``compare``: 0 deployable, 1 the site would shrink or go back in time, 2 the
live record could not be read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import requests
from papers.store import atomic_write

ROOT = Path(__file__).resolve().parents[1]
FILENAME = "build-info.json"
DAY_PAGES = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"  # /YYYY/MM/DD/


class PreviousUnreadable(RuntimeError):
    """The live site's record exists but could not be fetched or parsed."""


def current_commit(repo: Path) -> str | None:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def collect(output: Path, commit: str | None) -> dict:
    """The record of a built site, read from its pages: what will be deployed."""
    days = ["-".join(page.relative_to(output).parts[:3]) for page in output.glob(DAY_PAGES)]
    return {
        "papers": sum(1 for _ in output.glob("papers/*/index.html")),
        "newest_day": max(days, default=None),
        "commit": commit,
    }


def load_previous(location: str) -> dict | None:
    """The record at a URL or path; None when there is none yet (404, missing file)."""
    try:
        if location.startswith(("http://", "https://")):
            response = requests.get(location, timeout=(10, 30), headers={"Cache-Control": "no-cache"})
            if response.status_code == 404:
                return None
            response.raise_for_status()
            text = response.text
        else:
            path = Path(location)
            if not path.exists():
                return None
            text = path.read_text(encoding="utf-8")
        record = json.loads(text)
    except (requests.RequestException, OSError, ValueError) as exc:
        raise PreviousUnreadable(f"cannot read the live build record {location}: {exc}") from exc
    if not isinstance(record, dict) or not isinstance(record.get("papers"), int):
        raise PreviousUnreadable(f"{location} is not a build record")
    return record


def regression(previous: dict | None, current: dict) -> str | None:
    """Why ``current`` must not replace ``previous`` (fewer papers, an older newest day)."""
    if previous is None:
        return None
    if current["papers"] < previous["papers"]:
        return (
            f"the new build has {current['papers']} paper pages, the live site {previous['papers']} "
            f"(built from {previous.get('commit') or 'an unknown commit'}): a fetch or build lost papers"
        )
    old_day, new_day = previous.get("newest_day"), current.get("newest_day")
    if old_day and (not new_day or new_day < old_day):
        return f"the new build's newest digest is {new_day}, older than the live site's {old_day}"
    return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("write", "compare"), help="write the record of output/, or compare it with the live one")
    parser.add_argument("--output", type=Path, default=ROOT / "output", help="built site (default: output/)")
    parser.add_argument("--previous", help="compare: URL or path of the live site's build-info.json")
    args = parser.parse_args(argv)
    if args.command == "compare" and not args.previous:
        parser.error("compare needs --previous")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    record_path = args.output / FILENAME
    if args.command == "write":
        record = collect(args.output, current_commit(ROOT))
        atomic_write(record_path, json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(f"{record_path}: {record['papers']} papers, newest day {record['newest_day']}")
        return 0
    current = json.loads(record_path.read_text(encoding="utf-8"))
    try:
        previous = load_previous(args.previous)
    except PreviousUnreadable as exc:
        print(f"REFUSED: {exc}", file=sys.stderr)
        return 2
    problem = regression(previous, current)
    if problem:
        print(f"REFUSED: {problem}. The live site stays as it is.", file=sys.stderr)
        return 1
    if previous is None:
        print(f"no live build record at {args.previous}: first deploy, {current['papers']} papers")
    else:
        print(f"deployable: {current['papers']} papers (live: {previous['papers']}), newest day {current['newest_day']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
