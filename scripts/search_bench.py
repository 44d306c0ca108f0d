#!/usr/bin/env python3
"""Measure the search of a built site in headless Chromium: what a reader waits for.

Run by ``invoke bench`` at every scale, or by hand on any built site::

    python scripts/search_bench.py output/

It prints JSON: bytes before the first results, milliseconds from the last keystroke to
the first and to the complete results, per query, with medians and worst cases
(``papers.search_measure`` says how each is measured).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from papers.search_measure import measure_search


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", default="output", type=Path, help="a built site (default: output)")
    parser.add_argument("--query", action="append", dest="queries", help="a query to measure (repeatable; default: a built-in set)")
    args = parser.parse_args(argv)
    print(json.dumps(measure_search(args.output, args.queries), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
