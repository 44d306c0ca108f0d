"""Checks of the built site (pages, feeds, search index, BibTeX) against a clean build's
baseline: each returns the problems it found (an empty list: all is well)."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import html5lib
from papers.render.mathtext import MATHML_ATTRIBUTES, MATHML_ELEMENTS

from tests.helpers import page_bibtex
from tests.site.fuzz.check_bib import check_bib
from tests.site.fuzz.check_fetch import ID_RE, check_text_chars
from tests.site.fuzz.values import SITEURL

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "srcset",
    "xlink:href",
    "background",
    "cite",
    "longdesc",
    "manifest",
    "ping",
    "codebase",
    "icon",
}
# Attributes the templates fill with a site path resolved against the page (search.js).
SITE_PATH_ATTRIBUTES = {"data-manifest", "data-siteurl"}
HTTP_URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
FRAGMENT_RE = re.compile(r"^#[A-Za-z0-9_-]+$")
URL_META = re.compile(r"(url|image|video|audio)$", re.IGNORECASE)
FORBIDDEN_ELEMENTS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "img",
    "base",
    "style",
    "frame",
    "frameset",
    "applet",
    "video",
    "audio",
    "source",
    "track",
    "link",
    "meta",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "template",
    "portal",
}


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def parse_html(text: str, fragment: bool = False):
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    return parser.parseFragment(text) if fragment else parser.parse(text)


@dataclasses.dataclass(repr=False)
class Baseline:
    """What a clean build holds: every element, (element, attribute) pair, script, link rel
    and meta name its pages have, every element of its feeds' HTML, and every inline style
    (the email digest's, inlined from the theme's email.css) with the element it is on."""

    elements: set
    attributes: set
    script_srcs: set
    link_rels: set
    meta_names: set
    feed_elements: set
    styles: set

    def __repr__(self):
        return f"Baseline({len(self.elements)} elements, {len(self.attributes)} attributes, scripts {sorted(self.script_srcs)})"

    def _repr_pretty_(self, printer, cycle):  # hypothesis shows this in a failing example
        printer.text(repr(self))


def is_url_ok(value: str) -> bool:
    return bool(HTTP_URL_RE.match(value) or FRAGMENT_RE.match(value))


def check_html_tree(tree, where: str, baseline: Baseline, *, feed: bool = False) -> list[str]:
    problems = []
    elements = baseline.feed_elements if feed else baseline.elements
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue  # comments, a fragment's root
        tag = local(element.tag)
        mathml = element.tag.startswith("{http://www.w3.org/1998/Math/MathML}") and tag in MATHML_ELEMENTS
        if not mathml and (tag not in elements or (feed and tag in FORBIDDEN_ELEMENTS)):
            problems.append(f"{where}: element <{tag}> that a clean build does not have")
        for name, value in element.attrib.items():
            attr = local(name)
            if attr.lower().startswith("on"):
                problems.append(f"{where}: event handler {attr}={value!r} on <{tag}>")
            if mathml:
                if attr not in MATHML_ATTRIBUTES and attr != "xmlns":
                    problems.append(f"{where}: MathML attribute {attr}={value!r} on <{tag}>")
            elif (tag, attr) not in baseline.attributes:
                problems.append(f"{where}: attribute {attr}={value!r} on <{tag}> that a clean build does not have")
            if attr in URL_ATTRIBUTES and not is_url_ok(value):
                problems.append(f"{where}: <{tag} {attr}={value!r}>: not an http(s) URL")
            if attr in SITE_PATH_ATTRIBUTES and not (value.startswith(SITEURL) or re.fullmatch(r"[A-Za-z0-9/._-]*", value)):
                problems.append(f"{where}: <{tag} {attr}={value!r}>: not the site's path")
            if attr == "style" and (tag, value) not in baseline.styles:
                problems.append(f"{where}: style {value!r} on <{tag}> that a clean build does not have")
        if tag == "script":
            src = element.get("src")
            if src is not None:
                if src not in baseline.script_srcs or (element.text or "").strip():
                    problems.append(f"{where}: script {src!r} that is not the site's own")
            elif element.get("type") == "application/ld+json":
                text = element.text or ""
                try:
                    json.loads(text)
                except ValueError as exc:
                    problems.append(f"{where}: JSON-LD that does not parse ({exc}): {text[:200]!r}")
                if "<" in text:
                    problems.append(f"{where}: JSON-LD holding '<': {text[:200]!r}")
            else:
                problems.append(f"{where}: inline script {(element.text or '')[:200]!r}")
        if tag == "meta":
            if element.get("http-equiv") is not None:
                problems.append(f"{where}: <meta http-equiv={element.get('http-equiv')!r}>")
            name = element.get("name") or element.get("property")
            if name is not None and name not in baseline.meta_names:
                problems.append(f"{where}: <meta> {name!r} that a clean build does not have")
            if name and URL_META.search(name) and not HTTP_URL_RE.match(element.get("content", "")):
                problems.append(f"{where}: <meta {name}> is {element.get('content')!r}: not an http(s) URL")
        if tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            if not rels <= baseline.link_rels:
                problems.append(f"{where}: <link rel={element.get('rel')!r}> that a clean build does not have")
    return problems


def check_page(path: Path, where: str, baseline: Baseline) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return check_text_chars(text, where) + check_html_tree(parse_html(text), where, baseline)


ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL_ELEMENTS = {"link", "loc", "comments", "docs"}  # element text that is a URL (RSS, sitemap)
FEED_URL_ATTRIBUTES = {"href", "url", "xmlUrl", "htmlUrl", "src", "uri"}


def check_feed(path: Path, where: str, baseline: Baseline) -> list[str]:
    """A feed (Atom, RSS), the OPML list or the sitemap: XML, links http(s), HTML content
    held to the pages' rules, and (feeds) read by feedparser without error."""
    problems = []
    data = path.read_bytes()
    problems += check_text_chars(data.decode("utf-8"), where)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return problems + [f"{where}: not well-formed XML: {exc}"]
    for element in root.iter():
        tag = local(element.tag)
        for name, value in element.attrib.items():
            if local(name) in FEED_URL_ATTRIBUTES and not HTTP_URL_RE.match(value):
                problems.append(f"{where}: <{tag} {local(name)}={value!r}>: not an http(s) URL")
        if tag in FEED_URL_ELEMENTS and (element.text or "").strip() and not HTTP_URL_RE.match(element.text.strip()):
            problems.append(f"{where}: <{tag}>{element.text!r}: not an http(s) URL")
        if tag in ("id", "guid") and not re.match(r"^(https?://|tag:)[^\s<>\"]+$", element.text or ""):
            problems.append(f"{where}: <{tag}>{element.text!r}: not a tag: or http(s) URI")
        html_content = tag == "description" or (
            element.tag.startswith(ATOM) and tag in ("summary", "content", "title", "subtitle") and element.get("type") == "html"
        )
        if html_content or element.get("type") == "xhtml":
            fragment = element.text or ""
            problems += check_html_tree(parse_html(fragment, fragment=True), f"{where} <{tag}>", baseline, feed=True)
    if root.tag in (f"{ATOM}feed", "rss"):
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        if parsed.bozo:
            problems.append(f"{where}: feedparser: {parsed.bozo_exception}")
        for entry in parsed.entries:
            for link in entry.get("links", []):
                if not HTTP_URL_RE.match(link.get("href", "")):
                    problems.append(f"{where}: entry link {link.get('href')!r}: not an http(s) URL")
    return problems


PAPER_URL_RE = re.compile(r"^(papers/[0-9]{4}\.[0-9]{4,5}/)?$")  # "": no page (search.js links arXiv)


def is_text(value) -> bool:
    return isinstance(value, str)


def is_texts(value) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# Each search record field's type (papers.search_index.RECORD_FIELDS); any other: text.
RECORD_TYPES = {"authors": is_texts, "themes": is_texts, "more_authors": is_count, "upvotes": lambda v: v is None or is_count(v)}
RECORD_TYPES_SHOWN = "texts; authors, themes: lists of texts; more_authors: a count; upvotes: a count or null"


def check_search_index(output: Path) -> list[str]:
    """The index is JSON; every record links to a paper page (search.js makes the link)."""
    problems = []
    try:
        manifest = json.loads((output / "search/manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"search/manifest.json: {exc}"]
    fields = manifest.get("record_fields", [])
    for shard in manifest.get("shards", []):
        for key in ("meta", "text"):
            name = shard[key]
            if not re.fullmatch(r"shards/[A-Za-z0-9_.-]+\.json", name):
                problems.append(f"search/manifest.json: shard path {name!r}")
                continue
            try:
                data = json.loads((output / "search" / name).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                problems.append(f"search/{name}: {exc}")
                continue
            if key == "meta":
                for record in data.get("records", []):
                    values = dict(zip(fields, record))
                    if len(record) != len(fields) or not all(RECORD_TYPES.get(field, is_text)(v) for field, v in values.items()):
                        problems.append(f"search/{name}: a record whose fields are not of their types ({RECORD_TYPES_SHOWN}): {record!r:.300}")
                    if not PAPER_URL_RE.match(str(values.get("url"))) or not ID_RE.match(str(values.get("id"))):
                        problems.append(f"search/{name}: record with id {values.get('id')!r} and url {values.get('url')!r}")
                    problems += check_text_chars(json.dumps(record, ensure_ascii=False), f"search/{name}")
    return problems


def check_site(output: Path, content: Path, baseline: Baseline) -> list[str]:
    problems = []
    pages = sorted(output.rglob("*.html"))
    if not (output / "index.html").is_file():
        problems.append("no home page")
    for page in pages:
        problems += check_page(page, page.relative_to(output).as_posix(), baseline)
    xml_files = sorted([*output.rglob("*.xml"), *output.rglob("*.opml")])
    if not list((output / "feeds").glob("*.atom.xml")):
        problems.append("no feeds")
    for path in xml_files:
        problems += check_feed(path, path.relative_to(output).as_posix(), baseline)
    problems += check_search_index(output)
    # Every stored paper has its page, with its BibTeX entry: none was dropped by the build.
    for path in sorted((content / "papers").glob("*/*/*/*.md")):
        page = output / "papers" / path.stem / "index.html"
        entry = page_bibtex(page) if page.is_file() else None
        if entry is None:
            problems.append(f"{path.name} is stored, but the build made no page with its BibTeX for it")
        else:
            problems += check_bib(entry, f"papers/{path.stem}/index.html #bibtex")
    # Nothing but the site's kinds of files.
    for path in output.rglob("*"):
        if path.is_symlink() or (path.is_file() and path.suffix not in (".html", ".xml", ".opml", ".json", ".txt", ".css", ".js", ".svg", ".LICENSE")):
            problems.append(f"output/{path.relative_to(output)}: not a file the site has")
    return problems


def collect_baseline(output: Path) -> Baseline:
    b = Baseline(set(), set(), set(), set(), set(), set(), set())
    for page in output.rglob("*.html"):
        for element in parse_html(page.read_text(encoding="utf-8")).iter():
            if not isinstance(element.tag, str) or element.tag.startswith("{http://www.w3.org/1998/Math/MathML}"):
                continue
            tag = local(element.tag)
            b.elements.add(tag)
            b.attributes |= {(tag, local(a)) for a in element.attrib}
            if "style" in element.attrib:
                b.styles.add((tag, element.get("style")))
            if tag == "script" and element.get("src"):
                b.script_srcs.add(element.get("src"))
            if tag == "link":
                b.link_rels |= set((element.get("rel") or "").lower().split())
            if tag == "meta" and (element.get("name") or element.get("property")):
                b.meta_names.add(element.get("name") or element.get("property"))
    for feed in (output / "feeds").rglob("*.xml"):
        for element in ET.parse(feed).iter():
            if local(element.tag) == "description" or element.get("type") == "html":
                for e in parse_html(element.text or "", fragment=True).iter():
                    if isinstance(e.tag, str) and not e.tag.startswith("{http://www.w3.org/1998/Math/MathML}"):
                        b.feed_elements.add(local(e.tag))
                        if "style" in e.attrib:
                            b.styles.add((local(e.tag), e.get("style")))
    b.feed_elements.discard("DOCUMENT_FRAGMENT")
    return b
