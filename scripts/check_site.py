"""Check a built site: every internal link and asset resolves, every page parses as HTML5.

Run after a build (CI runs it before deploying; ``make site`` leaves the site in output/):

    python scripts/check_site.py [OUTPUT_DIR] [--siteurl URL]

Every ``href`` and ``src`` of every HTML file is checked when it points into the site: a
root-relative path (``/papers/x/``), a path relative to the page, or an absolute URL under
``--siteurl`` (default: the SITEURL environment variable, as publishconf.py reads it).
``/x/`` means ``/x/index.html``; queries are ignored; a same-page ``#fragment`` must name an
id on the page.  Pages are parsed with html5lib in strict mode, so any HTML5 parse error
(a stray end tag, a duplicate attribute, an invalid character, …) is reported.

Prints one line per problem and exits 1 when there is any, 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
from html5lib.html5parser import ParseError

LINK_ATTRIBUTES = ("href", "src")


def _parse(text: str):
    """The page's tree and its first parse error (None when it parses cleanly)."""
    try:
        return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text), None
    except ParseError as exc:
        return html5lib.HTMLParser(namespaceHTMLElements=False).parse(text), str(exc) or "parse error"


def _target(output_dir: Path, page: Path, url: str, siteurl: str) -> Path | None:
    """The file an internal URL points at (may not exist); None for an external URL.

    A root-relative path must start with SITEURL's own path (``/paper-digest/…`` when the site
    lives there): the server's root is above the site, so any other path leaves the site.
    """
    if siteurl and (url == siteurl or url.startswith(siteurl + "/")):
        url = url[len(siteurl) :] or "/"
    elif url.startswith("/") and not url.startswith("//"):
        site_path = urlsplit(siteurl).path.rstrip("/")
        if site_path and not (url == site_path or url.startswith(site_path + "/")):
            return output_dir.parent / unquote(urlsplit(url).path).lstrip("/")
        url = url[len(site_path) :] or "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        target = output_dir / path.lstrip("/")
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(output_dir, siteurl: str = "") -> list[str]:
    """Every problem in the built site under ``output_dir``, one readable line each."""
    output_dir = Path(output_dir).resolve()
    siteurl = siteurl.rstrip("/")
    problems = []
    for page in sorted(output_dir.rglob("*.html")):
        name = page.relative_to(output_dir).as_posix()
        tree, error = _parse(page.read_text(encoding="utf-8"))
        if error:
            problems.append(f"{name}: does not parse as HTML5: {error}")
        ids = {el.get("id") for el in tree.iter() if el.get("id")}
        found = set()
        for element in tree.iter():
            for attribute in LINK_ATTRIBUTES:
                url = (element.get(attribute) or "").strip()
                if not url or url.startswith(("mailto:", "data:")):
                    continue
                if url.startswith("#"):
                    if unquote(url[1:]) and unquote(url[1:]) not in ids:
                        found.add(f"{name}: {attribute}={url!r}: no element has that id")
                    continue
                target = _target(output_dir, page, url, siteurl)
                if target is None:
                    continue
                resolved = Path(os.path.normpath(target))
                if output_dir != resolved and output_dir not in resolved.parents:
                    found.add(f"{name}: {attribute}={url!r} leaves the site")
                elif not resolved.is_file():
                    found.add(f"{name}: {attribute}={url!r} -> {resolved.relative_to(output_dir).as_posix()} does not exist")
        problems += sorted(found)
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output_dir", nargs="?", default="output", help="the built site (default: output)")
    parser.add_argument(
        "--siteurl",
        default=os.environ.get("SITEURL", ""),
        help="absolute URLs under this prefix are internal (default: $SITEURL, else none)",
    )
    args = parser.parse_args(argv)
    if not Path(args.output_dir).is_dir():
        parser.error(f"{args.output_dir} is not a directory")
    problems = broken_links(args.output_dir, args.siteurl)
    for problem in problems:
        print(problem)
    pages = sum(1 for _ in Path(args.output_dir).rglob("*.html"))
    print(f"{len(problems)} problem(s) in {pages} HTML files", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
