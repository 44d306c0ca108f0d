"""What the build makes of a paper with very many authors and keywords is bounded.

A paper file may hold 5,000 authors and 100 keywords of any length (``papers.model``); each
place that shows them shows at most what ``papers.render.display`` allows (a count and a
character budget) and ends "and K more".  Built here: a paper of 5,000 authors of 200
characters and 100 keywords of 200 characters (the character budgets cut it), one of 2,000
short names (the counts cut it), one of exactly 1,000 short names (shown whole) and a real
paper of 35 authors (shown as before).  Each is featured in its own half month, so it has
a search shard to itself.
"""

from __future__ import annotations

import dataclasses

import json
import random
import shutil

import feedparser
import pytest
from lunr.index import Index
from papers.browser import serve
from papers.layout import paper_relpath
from papers.model import Paper
from papers.paperfile import dump_paper, parse_paper
from papers.render.bibtex import bibtex_entry
from papers.render.display import CARD_AUTHORS, FEED_AUTHORS, KEYWORDS, PAGE_AUTHORS, SEARCH_AUTHORS, shown_names

from tests.helpers import ROOT, build_site, page_bibtex, soup_of

BIG, OVER, AT_LIMIT, SPACELESS = "2607.00001", "2606.00001", "2605.00001", "2604.00001"
REAL = "2608.14391"  # in the bundled content: 35 authors, 2026-08-17
NAME_CHARS = 200

# Bounds derived from the limits.  A name shown costs its characters in each place it is
# shown, and markup: 83 bytes on a paper page, where it is shown four times (", " in the
# visible list, <meta name="citation_author" content="…">, {"@type": "Person", "name": …} in
# JSON-LD, " and " in BibTeX), 30 in a feed (<author><name>…</name></author>).
MARKUP = 100
# The page: four author lists and two keyword lists; its other parts are small here.
PAGE_BOUND = 4 * PAGE_AUTHORS.chars + MARKUP * PAGE_AUTHORS.count + 2 * KEYWORDS.chars + 50_000
BIB_BOUND = PAGE_AUTHORS.chars + 10 * PAGE_AUTHORS.count + 5_000
# A feed holds every paper of this site, three of them with long lists.
FEED_BOUND = 3 * (FEED_AUTHORS.chars + MARKUP * FEED_AUTHORS.count) + 50_000
# A meta shard: each indexed word (four or more letters here) costs at most ~60 bytes of
# postings and vectors, so at most 15 bytes a character indexed, plus the record.
SHARD_BOUND = 15 * (SEARCH_AUTHORS.chars + KEYWORDS.chars) + 50_000


def long_names(prefix: str, count: int, chars: int, seed: int) -> list[str]:
    """``count`` names of ``chars`` characters, each a unique first word and made-up words:
    the worst case for the search index, whose every word is a new term."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 5)))

    names = []
    for i in range(1, count + 1):
        name = f"{prefix}{i:05d}"
        while len(name) < chars:
            name += " " + word()
        names.append(name[: chars - 1] + "x")  # exactly ``chars`` long, never ending in a space
    return names


def short_names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:05d} Lee" for i in range(1, count + 1)]


def make_paper(arxiv_id: str, day: str, authors: list[str], keywords: list[str]) -> Paper:
    return Paper(
        arxiv_id=arxiv_id, title=f"A collaboration paper {arxiv_id}", authors=authors,
        abstract="We study what a collaboration of very many authors writes.", featured=[day],
        sources=["hf"], published=day, ai_keywords=keywords,
    )


PAPERS = {
    BIG: make_paper(BIG, "2026-07-01", long_names("Bigauthor", 5_000, NAME_CHARS, 1), long_names("Bigkeyword", 100, NAME_CHARS, 2)),
    OVER: make_paper(OVER, "2026-06-01", short_names("Overauthor", 2_000), ["collaboration"]),
    AT_LIMIT: make_paper(AT_LIMIT, "2026-05-01", short_names("Limitauthor", PAGE_AUTHORS.count), ["collaboration"]),
    # Words no line can hold: a title, a name, a keyword and an organization without a space.
    SPACELESS: dataclasses.replace(
        make_paper(SPACELESS, "2026-04-01", ["Ada" + "y" * 400, "Bob Smith"], ["k" * 400]),
        title="Title" + "x" * 400, organization="O" * 300, abstract="Abstract " + "z" * 600,
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = tmp_path_factory.mktemp("bounds") / "content"
    for paper in PAPERS.values():
        path = content / paper_relpath(paper.arxiv_id, paper.first_featured)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_paper(paper), encoding="utf-8")
    real = ROOT / "content" / paper_relpath(REAL, "2026-08-17")
    (content / paper_relpath(REAL, "2026-08-17")).parent.mkdir(parents=True)
    shutil.copy(real, content / paper_relpath(REAL, "2026-08-17"))
    return build_site(content, content.parent / "output")


@pytest.fixture(scope="module")
def real_paper():
    return parse_paper((ROOT / "content" / paper_relpath(REAL, "2026-08-17")).read_text(encoding="utf-8"))


def page_of(site, arxiv_id):
    return soup_of(site, f"papers/{arxiv_id}/index.html")


def shown_on_page(soup) -> dict:
    """The author lists of a paper page: visible, citation metadata, JSON-LD, BibTeX."""
    ld = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    return {
        "visible": soup.select_one("main .authors").get_text(),
        "citation": [m["content"] for m in soup.select('meta[name="citation_author"]')],
        "json_ld": [a["name"] for a in ld["author"]],
        "keywords_ld": ld["keywords"],
        "bibtex": soup.select_one("#bibtex").get_text(),
    }


def feeds(site):
    return sorted((site / "feeds").rglob("*.xml"))


def meta_shard(site, arxiv_id) -> dict:
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["shards"]:
        shard = json.loads((site / "search" / entry["meta"]).read_text(encoding="utf-8"))
        if any(record[0] == arxiv_id for record in shard["records"]):
            return shard
    raise AssertionError(f"{arxiv_id} is in no shard")


def found(shard: dict, query: str) -> bool:
    return bool(Index.load(shard["index"]).search(query))


def test_every_page_feed_and_shard_stays_within_its_bound(site):
    assert (site / f"papers/{BIG}/index.html").stat().st_size < PAGE_BOUND < 400_000
    assert len(page_bibtex(site / f"papers/{BIG}/index.html")) < BIB_BOUND
    for feed in feeds(site):
        assert feed.stat().st_size < FEED_BOUND < 300_000, feed.name
    for shard in (site / "search" / "shards").glob("*.json"):
        assert shard.stat().st_size < SHARD_BOUND < 500_000, shard.name
    # Listings show a card: at most CARD_AUTHORS of the authors.
    assert (site / "2026/07/01/index.html").stat().st_size < 20_000


def test_long_names_are_cut_by_the_character_budget_and_end_and_k_more(site):
    authors = PAPERS[BIG].authors
    shown = PAGE_AUTHORS.chars // NAME_CHARS  # the names are NAME_CHARS long: 250 fit
    lists = shown_on_page(page_of(site, BIG))
    assert lists["visible"].startswith(authors[0])
    assert lists["visible"].endswith(f"{authors[shown - 1]} and {5_000 - shown} more")
    assert authors[shown] not in lists["visible"]
    assert lists["citation"] == lists["json_ld"] == authors[:shown]
    assert authors[shown - 1] in lists["bibtex"] and authors[shown] not in lists["bibtex"]
    assert lists["bibtex"].count(" and others") == 1
    keywords = PAPERS[BIG].ai_keywords[: KEYWORDS.chars // NAME_CHARS]
    assert lists["keywords_ld"] == keywords
    assert page_of(site, BIG).select_one("dl.facts").get_text().count(f"and {100 - len(keywords)} more") == 1


def test_many_short_names_are_cut_by_the_count_and_end_and_k_more(site):
    authors = PAPERS[OVER].authors
    soup = page_of(site, OVER)
    lists = shown_on_page(soup)
    assert lists["visible"].endswith(f"{authors[999]} and 1000 more")
    assert authors[1000] not in soup.decode()  # the 1,001st is nowhere on the page
    assert lists["citation"] == lists["json_ld"] == authors[:1000]
    more = soup.select_one("main .authors a")
    assert more.get_text() == "and 1000 more" and more["href"] == f"https://arxiv.org/abs/{OVER}"


def test_a_paper_with_exactly_the_limit_shows_every_author(site):
    authors = PAPERS[AT_LIMIT].authors
    lists = shown_on_page(page_of(site, AT_LIMIT))
    assert lists["visible"] == ", ".join(authors)
    assert lists["citation"] == lists["json_ld"] == authors
    assert "others" not in lists["bibtex"] and authors[-1] in lists["bibtex"]


def test_one_name_over_a_count_is_shown_rather_than_and_1_more():
    names = short_names("x", PAGE_AUTHORS.count + 1)
    assert shown_names(names, PAGE_AUTHORS) == (names, 0)
    assert shown_names(names + ["y"], PAGE_AUTHORS) == (names[:-1], 2)


def test_feeds_show_the_first_authors_and_how_many_more(site):
    feed = feedparser.parse((site / "feeds/all.atom.xml").read_bytes())
    authors = {e.link.rstrip("/").rsplit("/", 1)[1]: [a["name"] for a in e.authors] for e in feed.entries}
    fit = FEED_AUTHORS.chars // NAME_CHARS  # the names of NAME_CHARS that fit the budget
    assert authors[BIG] == [*PAPERS[BIG].authors[:fit], f"and {5_000 - fit} more"]
    assert authors[OVER] == [*PAPERS[OVER].authors[:FEED_AUTHORS.count], f"and {2_000 - FEED_AUTHORS.count} more"]
    assert authors[AT_LIMIT][-1] == f"and {PAGE_AUTHORS.count - FEED_AUTHORS.count} more"
    # RSS: feedparser keeps only the first dc:creator, so the XML itself.
    rss = (site / "feeds/all.rss.xml").read_text(encoding="utf-8")
    assert f"<dc:creator>and {2_000 - FEED_AUTHORS.count} more</dc:creator>" in rss and PAPERS[OVER].authors[FEED_AUTHORS.count] not in rss


def test_search_indexes_the_first_authors_and_finds_the_paper_by_its_first_author(site):
    shard = meta_shard(site, OVER)
    authors = PAPERS[OVER].authors
    assert found(shard, authors[0].split()[0]) and found(shard, authors[999].split()[0])
    assert not found(shard, authors[1000].split()[0])
    big = meta_shard(site, BIG)
    assert found(big, PAPERS[BIG].authors[0].split()[0])
    assert not found(big, PAPERS[BIG].authors[-1].split()[0])
    [record] = big["records"]
    assert record[3] == PAPERS[BIG].authors[:CARD_AUTHORS.count] and record[4] == 5_000 - CARD_AUTHORS.count


def test_a_real_paper_is_shown_whole_everywhere(site, real_paper):
    authors = real_paper.authors
    assert len(authors) == 35
    lists = shown_on_page(page_of(site, REAL))
    assert lists["visible"] == ", ".join(authors)
    assert lists["citation"] == lists["json_ld"] == authors
    assert lists["keywords_ld"] == real_paper.ai_keywords
    assert lists["bibtex"] == bibtex_entry(real_paper) and "others" not in lists["bibtex"]
    card = soup_of(site, "2026/08/17/index.html").select_one("li.paper .authors").get_text()
    assert card == f"{', '.join(authors[:5])} and 30 more"
    feed = feedparser.parse((site / "feeds/all.atom.xml").read_bytes())
    [entry] = [e for e in feed.entries if REAL in e.link]
    assert [a["name"] for a in entry.authors] == authors
    record = next(r for r in meta_shard(site, REAL)["records"] if r[0] == REAL)
    assert record[3:5] == [authors[:5], 30]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_long_list_reads_in_a_browser(site, chromium_browser, width):
    with serve(site) as url:
        page = chromium_browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{url}/papers/{BIG}/")
        more = page.locator("main .authors a")
        assert more.inner_text() == f"and {5_000 - PAGE_AUTHORS.chars // NAME_CHARS} more"
        more.scroll_into_view_if_needed()
        assert more.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_words_longer_than_a_line_break_rather_than_widen_the_page(site, chromium_browser, width):
    with serve(site) as url:
        page = chromium_browser.new_page(viewport={"width": width, "height": 900})
        for path in (f"papers/{SPACELESS}/", "2026/04/01/", "search/?q=Title"):
            page.goto(f"{url}/{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        page.close()
