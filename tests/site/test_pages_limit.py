"""GitHub Pages' 1 GB, for real (issue 14): ``scripts/site_size.py`` warns past 80% and fails
over the limit, naming the setting; ``ARXIV_ONLY_PAGE_MONTHS`` takes their pages from old
arXiv-only papers, which shrinks the site and breaks no internal link."""

from __future__ import annotations

import json

import feedparser
import pytest
from papers.catalog import page_months
from papers.errors import ConfigError

from tests.helpers import FIXTURES, build_site, replay, script, soup_of

broken_links = script("check_site").broken_links
site_size = script("site_size")
ARXIV_DAY, HF_DAY = "2026-04-27", "2026-08-21"  # four months apart


def test_the_size_check_passes_warns_and_fails_naming_the_setting(tmp_path, capsys):
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "a.html").write_bytes(b"x" * 700)
    (tmp_path / "index.html").write_bytes(b"x" * 100)
    assert site_size.main([str(tmp_path), "--limit-bytes", "1000"]) == 0  # 80%: a warning
    warned = capsys.readouterr().err
    assert warned.startswith("WARNING:") and "80%" in warned and "ARXIV_ONLY_PAGE_MONTHS" in warned and "papers 0.0 MB" in warned
    assert site_size.main([str(tmp_path), "--limit-bytes", "10000"]) == 0
    assert "ARXIV_ONLY_PAGE_MONTHS" not in capsys.readouterr().out
    assert site_size.main([str(tmp_path), "--limit-bytes", "799"]) == 1
    refused = capsys.readouterr().err
    assert refused.startswith("ERROR:") and "refuse" in refused and "ARXIV_ONLY_PAGE_MONTHS" in refused
    assert site_size.main([str(tmp_path / "missing")]) == 2


def test_the_setting_is_a_number_of_months_or_none():
    assert page_months({}) is None and page_months({"ARXIV_ONLY_PAGE_MONTHS": 12}) == 12
    for wrong in ("12", -1, 1.5, True):
        with pytest.raises(ConfigError, match="ARXIV_ONLY_PAGE_MONTHS"):
            page_months({"ARXIV_ONLY_PAGE_MONTHS": wrong})


def site_bytes(site):
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def arxiv_ids(content, day):
    return sorted(p.stem for p in (content / "papers" / day.replace("-", "/")).glob("*.md"))


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """An arXiv day and a Hugging Face day four months later, built with every page, then
    again into the same output with ARXIV_ONLY_PAGE_MONTHS = 3."""
    content = tmp_path_factory.mktemp("content")
    for feed in sorted((FIXTURES / "arxiv_rss").glob(f"{ARXIV_DAY}_*.xml")):
        assert replay(content, ARXIV_DAY, input_path=feed, source="arxiv") == 0
    assert replay(content, HF_DAY) == 0
    site = tmp_path_factory.mktemp("site") / "output"
    build_site(content, site)
    pages = sum(site_bytes(site / "papers" / arxiv_id) for arxiv_id in arxiv_ids(content, ARXIV_DAY))
    before = site_bytes(site), pages, feedparser.parse(str(site / "feeds" / "all.atom.xml"))["entries"]
    build_site(content, site, ARXIV_ONLY_PAGE_MONTHS=3)
    return content, site, before


def test_old_arxiv_only_papers_lose_their_pages_and_the_site_shrinks(two_builds):
    content, site, (bytes_before, old_pages_bytes, _) = two_builds
    old, recent = arxiv_ids(content, ARXIV_DAY), arxiv_ids(content, HF_DAY)
    assert len(old) >= 5 and recent
    assert not any((site / "papers" / arxiv_id).exists() for arxiv_id in old)  # deleted by the rebuild
    assert all((site / "papers" / arxiv_id / "index.html").is_file() for arxiv_id in recent)
    assert bytes_before - site_bytes(site) > 0.9 * old_pages_bytes > 0
    assert broken_links(site) == []
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/papers/{recent[0]}/" in sitemap and not any(f"/papers/{arxiv_id}/" in sitemap for arxiv_id in old)


def test_their_listings_search_and_feeds_link_to_arxiv(two_builds):
    content, site, (_, _, entries_before) = two_builds
    old = arxiv_ids(content, ARXIV_DAY)
    day = soup_of(site, f"{ARXIV_DAY.replace('-', '/')}/index.html")
    links = {a["href"] for a in day.select("main section.announced ul.compact a")}
    assert links and links <= {f"https://arxiv.org/abs/{arxiv_id}" for arxiv_id in old}
    records = []
    for shard in (site / "search" / "shards").glob("*.meta.json"):
        data = json.loads(shard.read_text(encoding="utf-8"))
        records += [dict(zip(["id", "url"], record[:2])) for record in data["records"]]
    assert {r["id"] for r in records if r["url"] == ""} == set(old)
    entries = feedparser.parse(str(site / "feeds" / "all.atom.xml"))["entries"]
    by_id = {entry["id"]: entry for entry in entries}
    moved = [e for e in entries if e["link"].startswith("https://arxiv.org/abs/")]
    assert moved and all(e["link"].rsplit("/", 1)[-1] in old for e in moved)
    # A feed entry keeps its id and date: readers do not see it again as a new one.
    assert {e["id"]: e["published"] for e in entries_before} == {i: e["published"] for i, e in by_id.items()}
