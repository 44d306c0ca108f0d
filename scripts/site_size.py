"""Check that the built site fits GitHub Pages, which refuses to publish a site over 1 GB.

Run after a build (``invoke check`` runs it, so the daily workflow does before it deploys):

    python scripts/site_size.py [OUTPUT_DIR] [--limit-bytes N]

Prints the site's size and what takes most of it.  Past ``WARN_SHARE`` (80%) of the limit it
warns, and over the limit it fails, before a deploy that Pages would refuse; both messages
name the setting that brings the site back under it, ``ARXIV_ONLY_PAGE_MONTHS``.

Exit status: 0 the site fits (perhaps with a warning), 1 it is over the limit, 2 the
folder cannot be read.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# GitHub's documented limit for a published Pages site ("no larger than 1 GB"), read as
# decimal gigabytes: the smaller reading, so a site this check passes is never refused.
PAGES_LIMIT_BYTES = 1_000_000_000
WARN_SHARE = 0.8
SETTING_HELP = (
    "set ARXIV_ONLY_PAGE_MONTHS in pelicanconf.py (for example 12): arXiv-only papers last listed "
    "longer ago than that keep their day, theme and search listings but link to arXiv instead of "
    "a page of their own (README: GitHub Pages' size limit)"
)


def folder_sizes(output: Path) -> dict[str, int]:
    """Bytes under each top-level name of ``output`` (files counted by size, links not followed)."""
    sizes: dict[str, int] = {}
    for folder, _, files in os.walk(output):
        top = Path(folder).relative_to(output).parts
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                key = top[0] if top else name
                sizes[key] = sizes.get(key, 0) + os.path.getsize(path)
    return sizes


def verdict(total: int, limit: int) -> tuple[str, str]:
    """(level, message): "ok", "warning" or "error", and what to print."""
    share = total / limit
    size = f"the site is {total / 1e6:,.1f} MB, {share:.0%} of GitHub Pages' limit of {limit / 1e6:,.0f} MB"
    if total > limit:
        return "error", f"{size}: Pages would refuse to publish it; {SETTING_HELP}"
    if share >= WARN_SHARE:
        return "warning", f"{size}: it will soon be refused; {SETTING_HELP}"
    return "ok", size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output_dir", nargs="?", default="output", help="the built site (default: output)")
    parser.add_argument("--limit-bytes", type=int, default=PAGES_LIMIT_BYTES, help=f"the limit (default: {PAGES_LIMIT_BYTES:,}, GitHub Pages')")
    args = parser.parse_args(argv)
    output = Path(args.output_dir)
    if not output.is_dir():
        print(f"site_size: {output} is not a folder", file=sys.stderr)
        return 2
    sizes = folder_sizes(output)
    total = sum(sizes.values())
    level, message = verdict(total, args.limit_bytes)
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:4]
    parts = ", ".join(f"{name} {size / 1e6:,.1f} MB" for name, size in largest)
    print(f"{'' if level == 'ok' else level.upper() + ': '}{message} (largest: {parts})", file=sys.stdout if level == "ok" else sys.stderr)
    return 1 if level == "error" else 0


if __name__ == "__main__":
    sys.exit(main())
