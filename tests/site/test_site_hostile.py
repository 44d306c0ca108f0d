"""A hostile day yields no executable markup anywhere in the built site, and feeds that parse.

Two ways in: entries replayed through the fetch script (the path real data takes, with its
cleaning), and a paper file written directly with everything the cleaning would have
removed (control characters, bidi overrides, non-http links), as if the store were edited
by hand.  The site is built with publish settings so the feeds are built too.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import html5lib
import pytest
from papers.render.mathtext import plain_text
from bs4 import BeautifulSoup
from papers.model import Paper
from papers.paperfile import dump_paper
from papers.render.mathtext import MATHML_ELEMENTS
from papers.store import ContentStore, atomic_write

from tests.helpers import build_site, hf_entries, page_bibtex, replay, script

broken_links = script("check_site").broken_links

SITEURL = "https://digest.example.org"
DIRECT_ID = "2608.99991"
SCRIPT_PAYLOAD = "<script>alert(1)</script>"
TITLE = (
    '<script>alert("t")</script> $\\text{<img src=x onerror=alert(1)>}$ $\\href{javascript:alert(2)}{x}$ ]]> & '
    "{filename}/evil.md |static|/x.png [md](javascript:alert(3)) <!-- c --> \x01\x0b\u202e end"
)
DIRECT = Paper(
    arxiv_id=DIRECT_ID,
    title=TITLE,
    authors=['<b onmouseover="alert(4)">Eve</b>', "Mallory \"Q\" O'Hare", "Trudy and, Jr", "\x00"],
    abstract=(
        "</p><script>alert(5)</script>\n\n<a href=\"javascript:alert(6)\">click</a> $$\\href{javascript:alert(7)}{y}$$ "
        "]]> &amp; & {static}/img.png |filename|x \x00\x1b $\\unclosed{ $60 GPUs \\$100\n\n"
        "\\input{/etc/passwd} $\\input{/etc/passwd}$ $\\immediate\\write18{rm -rf /}$"
    ),
    featured=["2026-08-21"],
    sources=["hf"],
    upvotes=5,
    ai_summary='<svg onload=alert(8)>" onfocus="alert(9)',
    ai_keywords=["<script>k</script>", '"><img src=x onerror=alert(10)>'],
    github_repo="javascript:alert(11)",
    github_stars=3,
    project_page="data:text/html,<script>alert(12)</script>",
    thumbnail=" javascript:alert(13)",
    organization="<iframe src=javascript:alert(14)>",
    # (a category that is not one, such as 'cs.LG"><script>', refuses the whole file when it
    # is read: tests/site/test_paper_file_types.py)
    categories=["cs.LG"],
    doi='10.1/x"><script>alert(16)</script>',
    journal_ref="<b>J</b>",
    arxiv_comment="</dd><script>alert(17)</script>",
)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "content", "data", "poster", "srcset", "xlink:href")
BAD_SCHEMES = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


def hostile_entries(tmp_path):
    """Real entries of 2026-08-21 with hostile fields that pass the fetch script's checks."""
    entries = hf_entries("2026-08-21")[:4]
    entries[0]["title"] = "<script>alert(1)</script><img src=x onerror=alert(2)> {filename}/x |static|/y"
    entries[0]["paper"]["summary"] = "[click](javascript:alert(3)) <a href='javascript:alert(4)'>x</a> ]]> & \x07 $\\text{<svg onload=alert(5)>}$"
    entries[1]["paper"]["authors"][0]["name"] = '"><script>alert(6)</script>'
    entries[1]["paper"]["projectPage"] = "javascript:alert(7)"
    entries[2]["paper"]["ai_summary"] = "</p><iframe src=javascript:alert(8)>"
    entries[3]["paper"]["ai_keywords"] = ["<script>alert(9)</script>"]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    content = tmp / "content"
    content.mkdir()
    replay(content, "2026-08-20")
    replay(content, "2026-08-21", input_path=hostile_entries(tmp))
    atomic_write(ContentStore(content).paper_path(DIRECT_ID, "2026-08-21"), dump_paper(DIRECT))
    return build_site(content, tmp / "output", "publishconf.py", SITEURL=SITEURL)


def elements(path):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parse(path.read_text(encoding="utf-8")).iter()


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def test_no_executable_markup_anywhere(hostile_site, built_site):
    # Any element the normal site never uses (iframe, img, svg, object, base, …) came from data.
    known = {local(e.tag) for p in built_site.rglob("*.html") for e in elements(p) if isinstance(e.tag, str)} | MATHML_ELEMENTS
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        for element in elements(page):
            tag = local(element.tag) if isinstance(element.tag, str) else None
            if tag is None:
                continue  # comments
            assert tag in known, (page, tag)
            for name, value in element.attrib.items():
                assert not local(name).lower().startswith("on"), (page, tag, name)
                if local(name) in URL_ATTRIBUTES:
                    assert not BAD_SCHEMES.match(value), (page, tag, name, value)
            if tag == "script":
                if element.get("src"):
                    src = element.get("src")  # the site's own scripts only
                    assert src.startswith(f"{SITEURL}/theme/js/") and not (element.text or "").strip()
                    assert (hostile_site / src[len(SITEURL) + 1 :]).is_file()
                else:
                    assert element.get("type") == "application/ld+json", page
                    json.loads(element.text)  # data only: it parses, so nothing closed the element early
            if tag == "meta":
                assert element.get("http-equiv") is None


def test_hostile_text_is_shown_as_the_text_it_is(hostile_site):
    soup = BeautifulSoup((hostile_site / f"papers/{DIRECT_ID}/index.html").read_text(encoding="utf-8"), "html.parser")
    h1 = soup.select_one("main h1").get_text().replace("\xa0", " ")  # MathML text keeps its spaces as nbsp
    # TeX's braces group and are not shown ({filename} reads "filename"): still text, inert.
    assert '<script>alert("t")</script>' in h1 and "filename/evil.md |static|/x.png [md](javascript:alert(3))" in h1
    assert "<img src=x onerror=alert(1)>" in h1  # \text{…} inside the formula, as text
    abstract = soup.select_one(".abstract").get_text()
    assert "</p><script>alert(5)</script>" in abstract and "static/img.png |filename|x" in abstract and "$60 GPUs $100" in abstract
    assert "<b onmouseover" in soup.select_one("main .authors").get_text()
    links = [a["href"] for a in soup.select("main a[href]")]
    assert not [h for h in links if not h.startswith(("https://", "http://"))]
    assert soup.select_one('meta[property="og:image"]') is None
    [ld] = soup.select('script[type="application/ld+json"]')
    assert "<" not in ld.string and json.loads(ld.string)["headline"] == plain_text(TITLE)  # as the page reads it
    assert soup.find("meta", attrs={"name": "citation_title"})["content"] == plain_text(TITLE)


def test_bibtex_of_hostile_paper_is_inert(hostile_site):
    bib = page_bibtex(hostile_site / f"papers/{DIRECT_ID}/index.html")
    assert "\\input{" not in bib and "\\write18" not in bib and "\\href{" not in bib and "\x00" not in bib
    assert bib.count("{") == bib.count("}")


def test_feeds_stay_well_formed(hostile_site):
    feeds = list((hostile_site / "feeds").rglob("*.xml"))
    assert len(feeds) > 5
    for path in feeds:
        ET.parse(path)  # well-formed XML
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
    feed = feedparser.parse((hostile_site / "feeds/all.atom.xml").read_bytes())
    [entry] = [e for e in feed.entries if DIRECT_ID in e.link]
    assert "]]> &" in entry.title and "\x01" not in entry.title
    assert "<script>" not in entry.summary  # escaped once: readers show it as text
    ET.parse(hostile_site / "feeds/feeds.opml")


def test_no_broken_links_and_nothing_written_outside_the_output(hostile_site):
    assert [p for p in broken_links(hostile_site, SITEURL) if "does not parse" not in p] == []
    assert not list(hostile_site.parent.rglob("evil*"))


def test_a_cards_new_fields_stay_text_and_links_stay_safe(hostile_site):
    """The card's organization, thumbnail, project page and comments, from the hostile
    record: text as text, no image or link but https ones from where they may come."""
    from papers.catalog.entries import thumbnail_url

    card = BeautifulSoup((hostile_site / "2026/08/21/index.html").read_text(encoding="utf-8"), "html.parser").select_one(
        f'li.paper:has(a[href="{SITEURL}/papers/{DIRECT_ID}/"])'
    )
    assert card.select_one(".org").get_text() == " · <iframe src=javascript:alert(14)>"
    assert card.find("iframe") is None and card.find("img") is None  # " javascript:…" is no thumbnail
    assert [a.get_text() for a in card.select(".meta a")] == ["arXiv", "PDF", "Hugging Face"]  # no code, no project link
    assert card["data-themes"] == " ".join(a["href"].rstrip("/").rsplit("/", 1)[1] for a in card.select("ul.chips a"))
    # A thumbnail is Hugging Face's image CDN or nothing: no tracking pixel from elsewhere.
    assert thumbnail_url("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/1.png")
    for other in ("https://tracker.example.org/p.png", "http://cdn-thumbnails.huggingface.co/x.png",
                  "https://cdn-thumbnails.huggingface.co.evil.org/x.png", "javascript:alert(1)", 42, None):
        assert thumbnail_url(other) is None, other
