"""The digest pages' and the feeds' generators on their own: what pages each asks the
writer for, with which render arguments, and the listings' pure cutting into pages."""

from __future__ import annotations

import contextlib
from datetime import date

import feedparser
import pytest

from digest_pages.generator import DigestPagesGenerator
from digest_pages.listings import archive_months, theme_pages
from paper_feeds.generator import PaperFeedsGenerator
from tests.helpers import ROOT, replay, site_settings

DAYS = ("2026-08-19", "2026-08-20", "2026-08-21")


class RecordingWriter:
    """Stands in for the incremental writer: keeps each page asked for."""

    def __init__(self):
        self.pages: dict[str, tuple] = {}

    def write_page(self, name, template, context, *, url=None, **render_args):
        assert name not in self.pages, f"{name} written twice"
        self.pages[name] = (template, context, render_args)

    @contextlib.contextmanager
    def in_background(self, ms_per_page, *, then=None):
        yield
        if then is not None:
            then()

    def in_child(self, function):
        function()

    def render(self, name: str) -> str:
        template, context, render_args = self.pages[name]
        return template.render({**context, **render_args})


def generate(generator_class, content, tmp_path, **settings):
    settings = site_settings(content, tmp_path / "output", **settings)
    generator = generator_class(context=settings.copy(), settings=settings, path=settings["PATH"], theme=settings["THEME"], output_path=settings["OUTPUT_PATH"])
    generator.generate_context()
    writer = RecordingWriter()
    generator.generate_output(writer)
    return generator, writer


@pytest.fixture
def three_days(content):
    for day in DAYS:
        assert replay(content, day) == 0
    return content


def test_the_digest_pages_are_every_day_theme_page_and_site_page(three_days, tmp_path):
    generator, writer = generate(DigestPagesGenerator, three_days, tmp_path, DEFAULT_PAGINATION=5)
    catalog = generator.catalog
    days = {f"{d.replace('-', '/')}/index.html" for d in DAYS}
    assert days <= writer.pages.keys()
    assert {"index.html", "themes/index.html", "archives/index.html", "subscribe/index.html", "about/index.html", "404.html", "robots.txt", "sitemap.xml"} <= writer.pages.keys()
    # Each day's email is a page of its own, made from its day alone.
    assert writer.pages["2026/08/20/email.html"][2] == {"day": writer.pages["2026/08/20/index.html"][2]["day"]}
    assert writer.pages["subscribe/index.html"][2]["last_day"] is catalog.last_digest_day
    # The home page is the newest day; each day page gets its day, nothing else.
    assert writer.pages["index.html"][2] == {"day": catalog.last_digest_day}
    assert writer.pages["2026/08/20/index.html"][2]["day"].iso == "2026-08-20"
    for paper_theme in catalog.paper_themes:
        count = catalog.theme_counts[paper_theme.slug]
        if count == 0:  # a theme without papers has no page
            assert not any(name.startswith(f"themes/{paper_theme.slug}/") for name in writer.pages)
            continue
        first = writer.pages[f"themes/{paper_theme.slug}/index.html"][2]
        assert first["theme_paper_count"] == count and first["paper_theme"] is paper_theme
        numbered = [name for name in writer.pages if name.startswith(f"themes/{paper_theme.slug}/page/")]
        assert len(numbered) == max(count // 5 - 1, 0)
        for name in numbered:  # a numbered page does not show the count: a new paper leaves it as it is
            assert "theme_paper_count" not in writer.pages[name][2]
            assert len(writer.pages[name][2]["theme_page"].articles) == 5
    assert writer.pages["sitemap.xml"][2]["papers"] == catalog.entries


def test_a_theme_listing_is_cut_from_its_oldest_paper():
    newest = list(range(23, 0, -1))  # 23 papers, newest first
    pages = theme_pages("t", newest, per_page=5)
    assert [p.number for p in pages] == [None, 3, 2, 1]
    assert pages[0].articles == list(range(23, 15, -1))  # the 3 that fill no page, and page 4's 5
    assert pages[-1].articles == [5, 4, 3, 2, 1] and pages[1].articles == [15, 14, 13, 12, 11]
    assert pages[0].older is pages[1] and pages[1].newer is pages[0] and pages[-1].older is None
    # One paper more moves only the first page (and the one it fills).
    more = theme_pages("t", [24, *newest], per_page=5)
    assert [p.articles for p in more[1:]] == [p.articles for p in pages[1:]]


def test_the_archive_shows_every_day_of_a_month_with_gaps_for_days_without_digest():
    class Day:
        def __init__(self, d):
            self.date = d

    [(first, weeks)] = archive_months([Day(date(2026, 8, 3)), Day(date(2026, 8, 5))])
    assert first == date(2026, 8, 1)
    cells = {d: day for week in weeks for d, day in week}
    assert cells[date(2026, 8, 3)] is not None and cells[date(2026, 8, 4)] is None
    assert all(len(week) == 7 and week[0][0].weekday() == 0 for week in weeks)


def test_the_feeds_are_every_theme_all_papers_the_daily_digest_and_the_opml(three_days, tmp_path):
    # The default themes and one no paper matches: a theme without papers has no feed.
    themes_file = tmp_path / "themes.yml"
    themes_file.write_text(
        (ROOT / "themes.yml").read_text(encoding="utf-8")
        + "  - {name: Nothing yet, slug: nothing-yet, description: d, phrases: [zyxwvut qponm]}\n",
        encoding="utf-8",
    )
    generator, writer = generate(PaperFeedsGenerator, three_days, tmp_path, PAPER_FEED_MAX_ITEMS=10, PAPER_THEMES_FILE=str(themes_file))
    catalog = generator.catalog
    assert catalog.theme_counts["nothing-yet"] == 0
    names = {f"feeds/all.{ext}" for ext in ("atom.xml", "rss.xml")} | {"feeds/daily.atom.xml", "feeds/weeks.atom.xml", "feeds/months.atom.xml", "feeds/feeds.opml"}
    names |= {f"feeds/themes/{t.slug}.{ext}" for t in catalog.paper_themes if catalog.theme_counts[t.slug] for ext in ("atom.xml", "rss.xml")}
    assert "feeds/themes/nothing-yet.atom.xml" not in names
    assert writer.pages.keys() == names

    all_papers = feedparser.parse(writer.render("feeds/all.atom.xml"))
    assert not all_papers.bozo
    assert [e.link.rstrip("/").rsplit("/", 1)[-1] for e in all_papers.entries] == [e.arxiv_id for e in catalog.newest_first[:10]]
    daily = feedparser.parse(writer.render("feeds/daily.atom.xml"))
    assert [e.title for e in daily.entries] == [f"Papers of {d}" for d in reversed(DAYS)]
    # Only an empty feed is dated by the newest day (every other feed by its newest paper,
    # so that a new day does not rewrite a feed it adds nothing to).
    for name, (_, _, render_args) in writer.pages.items():
        if name.startswith("feeds/themes/"):
            assert ("newest_day" in render_args) == (not render_args["articles"]), name
    opml = writer.render("feeds/feeds.opml")
    assert opml.count("<outline") == len([n for n in names if n.endswith(".atom.xml")])  # each feed once
