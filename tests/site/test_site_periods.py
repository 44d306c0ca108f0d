"""Weekly and monthly tops (``/weeks/YYYY-Www/``, ``/months/YYYY-MM/``) and their feeds, on
the site built from every recorded day, and a new day leaving finished periods as they are."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
from bs4 import BeautifulSoup

from papers.catalog.periods import month_of, week_of
from tests.helpers import build_site, replay, soup_of

ATOM = "{http://www.w3.org/2005/Atom}"


def upvotes_of(soup) -> list[int]:
    return [int(p.select_one(".upvotes").get_text().split()[-1]) if p.select_one(".upvotes") else 0 for p in soup.select("main li.paper")]


def featured_days(site) -> list[dt.date]:
    return sorted(dt.date.fromisoformat("-".join(p.parent.relative_to(site).parts)) for p in site.glob("[0-9]*/[0-9]*/[0-9]*/index.html"))


def test_every_week_and_month_ranks_its_papers_by_upvotes(built_site):
    days = featured_days(built_site)
    weeks = {week_of(d)[0] for d in days}
    months = {month_of(d)[0] for d in days}
    assert len(weeks) >= 8 and len(months) >= 5
    for folder, keys in (("weeks", weeks), ("months", months)):
        assert {p.name for p in (built_site / folder).iterdir() if p.is_dir()} == keys
        for key in keys:
            soup = soup_of(built_site, f"{folder}/{key}/index.html")
            votes = upvotes_of(soup)
            assert votes and votes == sorted(votes, reverse=True), key
            # Each paper once: exactly the papers of the period's day pages.
            links = [a["href"] for a in soup.select("main .paper-title a")]
            of = week_of if folder == "weeks" else month_of
            on_days = {a["href"] for d in days if of(d)[0] == key
                       for a in soup_of(built_site, f"{d:%Y/%m/%d}/index.html").select("main .paper-title a")}
            assert len(links) == len(set(links)) == min(len(on_days), 50) and set(links) <= on_days, key  # PERIOD_MAX_PAPERS
            if len(on_days) > 50:
                assert soup.select_one("main p.more").get_text().startswith(f"{len(on_days) - 50} more papers")


def test_the_period_pages_link_their_neighbours_and_this_week_is_the_newest(built_site):
    weeks = sorted(p.name for p in (built_site / "weeks").iterdir() if p.is_dir())
    middle = soup_of(built_site, f"weeks/{weeks[1]}/index.html")
    assert middle.select_one('a[rel="prev"]')["href"] == f"/weeks/{weeks[0]}/"
    assert middle.select_one('a[rel="next"]')["href"] == f"/weeks/{weeks[2]}/"
    latest = soup_of(built_site, "weeks/index.html")
    assert latest.select_one('link[rel="canonical"]')["href"] == f"/weeks/{weeks[-1]}/"
    assert latest.select_one('header nav a[aria-current="page"]').get_text() == "This week"
    assert latest.select_one("h1").get_text() == soup_of(built_site, f"weeks/{weeks[-1]}/index.html").select_one("h1").get_text()
    assert "not over yet" in latest.select_one("main .meta").get_text()
    # The archive links each month's and each week's page.
    archives = soup_of(built_site, "archives/index.html")
    hrefs = {a["href"] for a in archives.select("main a")}
    assert {f"/weeks/{w}/" for w in weeks} <= hrefs and "/months/2026-08/" in hrefs


def test_the_period_feeds_hold_finished_periods_with_stable_ids(built_site):
    weeks = sorted(p.name for p in (built_site / "weeks").iterdir() if p.is_dir())
    feed = feedparser.parse((built_site / "feeds/weeks.atom.xml").read_bytes())
    assert not feed.bozo
    # Every week but the newest is finished; newest first.
    assert [e.link.rstrip("/").rsplit("/", 1)[1] for e in feed.entries] == weeks[:-1][::-1]
    first = feed.entries[0]
    assert first.title.startswith("Top papers of week ") and "None" not in first.id
    content = BeautifulSoup(first.content[0].value, "html.parser")
    assert len(content.select("ol > li")) == min(20, len(soup_of(built_site, f"weeks/{weeks[-2]}/index.html").select("main li.paper")))
    months = feedparser.parse((built_site / "feeds/months.atom.xml").read_bytes())
    assert [e.link for e in months.entries][-1].endswith("/months/2024-03/")
    opml = ET.parse(built_site / "feeds/feeds.opml").getroot()
    assert {"/feeds/weeks.atom.xml", "/feeds/months.atom.xml"} <= {o.get("xmlUrl") for o in opml.iter("outline")}


def test_a_new_day_leaves_finished_weeks_as_they_were(content, tmp_path):
    for day in ("2026-08-10", "2026-08-14", "2026-08-17"):
        assert replay(content, day) == 0
    out = build_site(content, tmp_path / "output")
    before = {p: (out / p).read_bytes() for p in ("weeks/2026-W33/index.html", "feeds/weeks.atom.xml")}
    w34 = (out / "weeks/2026-W34/index.html").read_bytes()
    assert replay(content, "2026-08-18") == 0
    build_site(content, tmp_path / "output")
    assert {p: (out / p).read_bytes() for p in before} == before  # the finished week, and its entry
    assert (out / "weeks/2026-W34/index.html").read_bytes() != w34
    atom = ET.parse(out / "feeds/weeks.atom.xml").getroot()
    assert [e.find(f"{ATOM}published").text for e in atom.iter(f"{ATOM}entry")] == ["2026-08-16T00:00:00+00:00"]
