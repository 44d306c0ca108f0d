#!/usr/bin/env python3
"""Tell the site's WebSub hub that its feeds changed: run by the daily workflow after
the deploy (``invoke websub-ping``), so that feed readers and RSS-to-email services that
subscribed through the hub fetch the new day within minutes instead of at their next poll.

    python scripts/websub_ping.py                                  # output/feeds/feeds.opml
    python scripts/websub_ping.py --opml https://me.github.io/paper-digest/feeds/feeds.opml

Every feed the OPML lists is named in one publish request (``hub.mode=publish`` and a
``hub.url`` per feed, as Google's public hub takes them).  The hub is ``WEBSUB_HUB`` of
``--settings`` (publishconf.py) unless ``--hub`` names one.

Exit status: 0 pinged (or no hub configured), 1 the hub refused or could not be reached,
2 the OPML could not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from defusedxml import ElementTree
from papers.cleaning import clean_url
from papers.errors import FetchError
from papers.sources.http import PoliteClient
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opml", default=str(ROOT / "output" / "feeds" / "feeds.opml"), help="the site's OPML, a path or URL (default output/feeds/feeds.opml)")
    parser.add_argument("--hub", help="the hub's URL (default WEBSUB_HUB of --settings)")
    parser.add_argument("--settings", default=str(ROOT / "publishconf.py"), help="Pelican settings (default publishconf.py)")
    return parser.parse_args(argv)


def feed_urls(opml_text: str | bytes) -> list[str]:
    """The http(s) feed addresses an OPML file lists, each once, in its order."""
    root = ElementTree.fromstring(opml_text)
    urls = [clean_url(outline.get("xmlUrl")) for outline in root.iter("outline")]
    return list(dict.fromkeys(url for url in urls if url))


def read_opml(where: str, client: PoliteClient) -> bytes:
    if clean_url(where):
        return client.get(where).content
    return Path(where).read_bytes()


def ping(hub: str, urls: list[str], client: PoliteClient) -> None:
    client.post(hub, data=[("hub.mode", "publish"), *(("hub.url", url) for url in urls)])


def main(argv=None, client: PoliteClient | None = None) -> int:
    args = parse_args(argv)
    hub = args.hub if args.hub is not None else read_settings(args.settings).get("WEBSUB_HUB")
    if not hub:
        print("websub-ping: no hub configured (WEBSUB_HUB): nothing to do")
        return 0
    if clean_url(hub) is None:
        print(f"websub-ping: {hub!r} is not an http(s) URL", file=sys.stderr)
        return 1
    client = client or PoliteClient(retries=2)
    try:
        urls = feed_urls(read_opml(args.opml, client))
    except (OSError, FetchError, ElementTree.ParseError, ValueError) as exc:  # defusedxml refusals are ValueErrors
        print(f"websub-ping: cannot read the feeds' list {args.opml}: {exc}", file=sys.stderr)
        return 2
    if not urls:
        print(f"websub-ping: {args.opml} lists no feed: nothing to ping", file=sys.stderr)
        return 2
    try:
        ping(hub, urls, client)
    except FetchError as exc:
        print(f"websub-ping: the hub refused or did not answer: {exc}", file=sys.stderr)
        return 1
    print(f"websub-ping: told {hub} of {len(urls)} feeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
