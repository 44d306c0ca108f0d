"""Feeds of the published site (publishconf.py, an absolute SITEURL): they parse and carry
the abstract, the authors, the paper themes, a stable id, absolute links and the day."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import feedparser
import pytest
from bs4 import BeautifulSoup
from papers.paperfile import parse_paper

from tests.helpers import build_site, script

broken_links = script("check_site").broken_links

SITEURL = "https://digest.example.org/sub"
KNOWN = "2608.19880"


@pytest.fixture(scope="module")
def published(replayed_content, tmp_path_factory):
    return build_site(replayed_content, tmp_path_factory.mktemp("published") / "output", "publishconf.py", SITEURL=SITEURL)


@pytest.fixture(scope="module")
def papers(replayed_content):
    return {p.stem: parse_paper(p.read_text(encoding="utf-8")) for p in replayed_content.rglob("*.md")}


def parse(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return feed


def text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def test_the_published_site_has_no_broken_links(published):
    assert broken_links(published, SITEURL) == []


@pytest.mark.parametrize("name", ["all.atom.xml", "all.rss.xml"])
def test_all_papers_feed(published, papers, name):
    feed = parse(published / "feeds" / name)
    assert len(feed.entries) == min(100, len(papers))
    days = [e.published_parsed[:3] for e in feed.entries]
    assert days == sorted(days, reverse=True)
    newest = max(p.first_featured for p in papers.values())
    assert date(*days[0]).isoformat() == newest
    [entry] = [e for e in feed.entries if e.link == f"{SITEURL}/papers/{KNOWN}/"]
    paper = papers[KNOWN]
    assert entry.title == paper.title
    assert text(entry.summary) == " ".join(paper.abstract.split())
    assert [a["name"] for a in entry.authors] == paper.authors
    assert entry.id.startswith("tag:digest.example.org,2026-08-21:") and KNOWN in entry.id
    assert date(*entry.published_parsed[:3]).isoformat() == "2026-08-21"
    assert entry.tags and all(t.term for t in entry.tags)
    page = BeautifulSoup((published / f"papers/{KNOWN}/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [t.term for t in entry.tags] == [a.get_text() for a in page.select("ul.reasons > li > a")]
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_a_feed_per_paper_theme(published):
    themes = BeautifulSoup((published / "themes/index.html").read_text(encoding="utf-8"), "html.parser")
    entries = themes.select("ul.theme-list > li")
    # Only themes with papers are listed, and only they have a page and feeds.
    assert len(entries) > 10 and all(int(e.select_one(".count").get_text().split()[0]) > 0 for e in entries)
    listed = {e.h2.a["href"].rstrip("/").rsplit("/", 1)[1] for e in entries}
    assert {p.name for p in (published / "themes").iterdir() if p.is_dir()} == listed
    assert {p.name.split(".")[0] for p in (published / "feeds/themes").iterdir()} == listed
    for entry in entries:
        name = entry.h2.a.get_text()
        slug = entry.h2.a["href"].rstrip("/").rsplit("/", 1)[1]
        for extension in ("atom.xml", "rss.xml"):
            feed = parse(published / "feeds/themes" / f"{slug}.{extension}")
            assert all(name in [t.term for t in e.tags] for e in feed.entries)
            assert len(feed.entries) == min(100, int(entry.select_one(".count").get_text().split()[0]))
        page = BeautifulSoup((published / f"themes/{slug}/index.html").read_text(encoding="utf-8"), "html.parser")
        alternates = [link["href"] for link in page.select('link[rel="alternate"]')]
        assert f"{SITEURL}/feeds/themes/{slug}.atom.xml" in alternates and f"{SITEURL}/feeds/themes/{slug}.rss.xml" in alternates


def test_daily_feed_has_one_entry_per_day_with_the_digest(published, papers):
    feed = parse(published / "feeds/daily.atom.xml")
    days = sorted({d for p in papers.values() for d in p.featured}, reverse=True)
    assert [e.link for e in feed.entries] == [f"{SITEURL}/{d.replace('-', '/')}/" for d in days]
    [entry] = [e for e in feed.entries if e.link.endswith("/2026/08/21/")]
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    todays = {i for i, p in papers.items() if "2026-08-21" in p.featured}
    assert {a["href"] for a in content.select("a[href*='/papers/']")} == {f"{SITEURL}/papers/{i}/" for i in todays}
    assert [h.get_text() for h in content.find_all("h2")][0] == "Top papers" and len(content.find_all("h2")) > 2  # then by theme
    # The entry is the day's email, as the site publishes it: an RSS-to-email service sends the same.
    # (Read from the XML itself: feedparser sanitizes what it hands on.)
    atom = "{http://www.w3.org/2005/Atom}"
    [raw] = [e.find(f"{atom}content").text for e in ET.parse(published / "feeds/daily.atom.xml").getroot().iter(f"{atom}entry")
             if e.find(f"{atom}link").get("href").endswith("/2026/08/21/")]
    email_page = BeautifulSoup((published / "2026/08/21/email.html").read_text(encoding="utf-8"), "html.parser")
    assert BeautifulSoup(raw, "html.parser").find("table").prettify() == email_page.body.find("table").prettify()


def test_opml_lists_every_feed_and_pages_announce_theirs(published):
    opml = ET.parse(published / "feeds/feeds.opml").getroot()
    urls = [o.get("xmlUrl") for o in opml.iter("outline")]
    files = sorted(f"{SITEURL}/{p.relative_to(published).as_posix()}" for p in (published / "feeds").rglob("*.xml"))
    # Each feed once: its Atom form (an RSS twin would subscribe a reader twice).
    assert sorted(urls) == [f for f in files if f.endswith(".atom.xml")]
    pages = {o.get("xmlUrl"): o.get("htmlUrl") for o in opml.iter("outline")}
    assert pages[f"{SITEURL}/feeds/themes/agents.atom.xml"] == f"{SITEURL}/themes/agents/"
    home = BeautifulSoup((published / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert {link["href"] for link in home.select('link[rel="alternate"]')} == {
        f"{SITEURL}/feeds/all.atom.xml", f"{SITEURL}/feeds/all.rss.xml", f"{SITEURL}/feeds/daily.atom.xml",
    }
    # The Subscribe page lists every feed (a paper theme without papers has none).
    subscribe = BeautifulSoup((published / "subscribe/index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {a["href"] for a in subscribe.select("main a") if "/feeds/" in a["href"]}
    assert listed == set(files) | {f"{SITEURL}/feeds/feeds.opml"}


def test_every_feed_has_its_own_id_and_links(published):
    ids = {}
    for path in (published / "feeds").rglob("*.atom.xml"):
        feed = parse(path)
        url = f"{SITEURL}/{path.relative_to(published).as_posix()}"
        ids[feed.feed.id] = url
        assert feed.feed.id == url
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["self"] == url
        if "/themes/" in url:
            assert links["alternate"] == f"{SITEURL}/themes/{path.name.split('.')[0]}/"
    assert len(ids) == len(list((published / "feeds").rglob("*.atom.xml")))
    assert parse(published / "feeds/weeks.atom.xml").feed.link == f"{SITEURL}/weeks/"


def test_the_checker_knows_root_relative_links_must_stay_under_the_site_path(tmp_path):
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<a href="/sub/index.html">in</a> <a href="/elsewhere/">out</a></body></html>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path, SITEURL) == ["index.html: href='/elsewhere/' leaves the site"]


def test_feed_text_drops_exactly_the_characters_xml_cannot_hold():
    """XML 1.0's Char production, checked on every code point."""
    import sys

    from paper_feeds.feeds import xml_text

    def xml_char(code: int) -> bool:
        return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert xml_text(every) == "".join(c for c in every if xml_char(ord(c)))
