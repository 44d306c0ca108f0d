"""fetch.py with arXiv: merged records, isolated failures, pacing, weekends, replays."""

from __future__ import annotations

import functools
import re

import pytest
import requests
import responses
from papers.sources import arxiv, hf
from papers.sources.config import load_sources_config
from papers import fetching
from papers.sources.http import PoliteClient
from papers.store import ContentStore

from tests.helpers import FIXTURES, FakeClock, hf_entries, hf_fixture, replay, script, tree

fetch = script("fetch")


def papers_tree(content):
    """The paper files (not the fetch state, which records every processed day)."""
    return tree(content / "papers") if (content / "papers").exists() else {}

API = FIXTURES / "arxiv_api"
RSS = FIXTURES / "arxiv_rss"
API_0802 = API / "2026-08-02_cat-cs.AI-OR-cs.LG-OR-cs.CL_max25.xml"
RSS_FILES = {c: RSS / f"2026-04-27_{c}_trimmed.xml" for c in ("cs.AI", "cs.CL", "cs.LG")}
CONFIG = """sources: [hf, arxiv]
arxiv:
  categories: [cs.AI, cs.CL, cs.LG]
  complete: {complete}
"""


@pytest.fixture
def config_path(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(CONFIG.format(complete="false"), encoding="utf-8")
    return path


def run(content, config_path, *args) -> int:
    return fetch.main([*args, "--content", str(content), "--config", str(config_path)])


def replay_arxiv(content, config_path, day, path, source="arxiv") -> int:
    return run(content, config_path, "--source", source, "--date", day, "--input", str(path))


@pytest.fixture
def no_real_sleep(monkeypatch):
    """Both sources' clients retry at once (the pacing itself is tested with a fake clock)."""
    monkeypatch.setattr(fetch, "PoliteClient", functools.partial(PoliteClient, sleep=lambda s: None))
    monkeypatch.setattr(fetch.arxiv, "make_client", functools.partial(arxiv.make_client, sleep=lambda s: None))


# --- One record per paper ------------------------------------------------------------------


def test_a_paper_on_both_sources_is_one_merged_file_whichever_comes_first(content, tmp_path, config_path):
    # 2607.28582 was featured by Hugging Face on 2026-07-31 and is in the API response of
    # 2026-08-02; submitted Thursday 13:41 US Eastern, arXiv announced it for Friday 07-31.
    assert replay(content, "2026-07-31") == 0
    assert replay_arxiv(content, config_path, "2026-07-31", API_0802) == 0
    files = sorted(p.relative_to(content).as_posix() for p in content.rglob("2607.28582*"))
    assert files == ["papers/2026/07/31/2607.28582.md"]
    paper = ContentStore(content).load("2607.28582")
    assert paper.sources == ["arxiv", "hf"] and paper.featured == ["2026-07-31"]
    # arXiv's bibliographic fields win (its title keeps the LaTeX of β) ...
    assert paper.title == "$β$-OPSD: Deriving with Policy Optimization, Training with Self-Distillation"
    assert paper.categories == ["cs.LG"] and paper.published == "2026-07-30"
    # ... Hugging Face's reception fields stay, and each field says where it came from.
    assert paper.upvotes == 19 and paper.num_comments == 2
    assert paper.project_page == "https://umd-huang-lab.github.io/beta-opsd/"
    assert paper.provenance["title"] == "arxiv" and paper.provenance["abstract"] == "arxiv"
    assert paper.provenance["upvotes"] == "hf" and paper.provenance["thumbnail"] == "hf"
    text = (content / files[0]).read_text(encoding="utf-8")
    assert "\nprovenance: {title: arxiv, authors: arxiv, abstract: arxiv, published: arxiv, categories: arxiv, upvotes: hf," in text

    other = tmp_path / "other"
    other.mkdir()
    assert replay_arxiv(other, config_path, "2026-07-31", API_0802) == 0
    assert replay(other, "2026-07-31") == 0
    assert (other / files[0]).read_text(encoding="utf-8") == text


def test_a_new_version_on_a_later_day_stays_one_file(content, config_path):
    assert replay_arxiv(content, config_path, "2026-07-31", API_0802) == 0
    v2 = content.parent / "v2.xml"
    v2.write_text(API_0802.read_text(encoding="utf-8").replace("2607.28582v1", "2607.28582v2"), encoding="utf-8")
    assert replay_arxiv(content, config_path, "2026-08-04", v2) == 0
    assert [p.name for p in content.rglob("2607.28582*")] == ["2607.28582.md"]
    assert ContentStore(content).load("2607.28582").featured == ["2026-07-31", "2026-08-04"]


def test_replaying_the_same_arxiv_response_twice_changes_nothing(content, config_path, capsys):
    assert replay_arxiv(content, config_path, "2026-07-31", API_0802) == 0
    first = tree(content)
    assert replay_arxiv(content, config_path, "2026-07-31", API_0802) == 0
    assert tree(content) == first
    assert "2026-07-31 arxiv: 0 new, 0 updated, 25 unchanged, 0 rejected" in capsys.readouterr().out


def test_input_kind_is_recognised_for_source_all(content, config_path, capsys):
    assert replay_arxiv(content, config_path, "2026-04-27", RSS_FILES["cs.AI"], source="all") == 0
    assert replay_arxiv(content, config_path, "2026-07-31", hf_fixture("2026-07-31"), source="all") == 0
    out = capsys.readouterr().out
    assert "2026-04-27 arxiv: 3 new, 0 updated" in out and "2026-07-31 hf: 30 new" in out


def test_a_feed_replayed_for_another_day_writes_nothing_and_says_why(content, config_path, capsys):
    assert replay_arxiv(content, config_path, "2026-04-28", RSS_FILES["cs.AI"]) == 0
    assert "2026-04-28 arxiv: no announcement for 2026-04-28 (the feed is for 2026-04-27; replay it with --date)" in capsys.readouterr().out
    assert tree(content) == {}


# --- sources.yml decides what is kept ----------------------------------------------------------


def test_announce_types_and_keywords_from_sources_yml(content, tmp_path, capsys):
    text = RSS_FILES["cs.AI"].read_text(encoding="utf-8")
    items = text.split("<arxiv:announce_type>new</arxiv:announce_type>")
    assert len(items) == 4
    mixed = tmp_path / "mixed.xml"
    mixed.write_text(
        (items[0] + "<arxiv:announce_type>cross</arxiv:announce_type>" + items[1]
         + "<arxiv:announce_type>replace</arxiv:announce_type>" + items[2]
         + "<arxiv:announce_type>new</arxiv:announce_type>" + items[3])
        # A replacement of an old paper can carry an old-style id, which cannot be stored.
        .replace("https://arxiv.org/abs/2604.21936", "https://arxiv.org/abs/math/0601001"),
        encoding="utf-8",
    )
    config = tmp_path / "sources.yml"
    config.write_text("sources: [arxiv]\narxiv:\n  categories: [cs.AI]\n", encoding="utf-8")
    assert replay_arxiv(content, config, "2026-04-27", mixed) == 0  # the replacement is not even parsed
    assert "2026-04-27 arxiv: 2 new, 0 updated, 0 unchanged, 0 rejected, 1 left out by sources.yml" in capsys.readouterr().out
    assert ContentStore(content).ids() == ["2604.21935", "2604.21937"]  # cross and new; not replace

    config.write_text("sources: [arxiv]\narxiv:\n  categories: [cs.AI]\n  announce_types: [new, cross, replace]\n  include: [drug]\n  exclude: [screening]\n", encoding="utf-8")
    assert replay_arxiv(content, config, "2026-04-27", mixed) == 1
    # Only 2604.21937 says "drug", and it says "screening" too: nothing is kept; the
    # replacement is wanted now, and its id is rejected by name.
    assert "0 new, 0 updated, 0 unchanged, 1 rejected, 2 left out by sources.yml" in capsys.readouterr().out


def test_a_config_error_stops_before_anything_is_fetched(content, tmp_path, capsys):
    config = tmp_path / "sources.yml"
    config.write_text("sources: [hf, arxiv]\narxiv:\n  categories: [cs.AI]\n  announce: [new]\n", encoding="utf-8")
    assert replay_arxiv(content, config, "2026-07-31", API_0802) == 2
    assert f"{config}:4: arxiv.announce: unknown key" in capsys.readouterr().err
    assert tree(content) == {}


# --- Live fetches (mocked), isolation, weekends --------------------------------------------------

API_MATCH = re.compile(re.escape(arxiv.API_URL) + r"\?.*")


def hf_ok(day):
    responses.get(hf.DAILY_URL, json=hf_entries(day))


@responses.activate
@pytest.mark.parametrize(
    "failure",
    [
        dict(body=requests.ConnectTimeout("timed out")),
        dict(status=500, body="Internal Server Error"),
        dict(status=200, body="<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>", content_type="text/html"),
        dict(status=200, body=API_0802.read_text(encoding="utf-8")[:30000]),
        dict(status=200, body="\x00\x1f garbage \xff"),
        dict(status=200, body="<?xml version='1.0'?><!DOCTYPE f [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]><feed xmlns='http://www.w3.org/2005/Atom'><title>&b;</title></feed>"),
    ],
    ids=["timeout", "500", "html-error-page", "truncated-xml", "garbage", "xml-bomb"],
)
def test_a_failing_arxiv_leaves_hugging_face_papers_written(content, config_path, capsys, no_real_sleep, failure):
    hf_ok("2026-07-31")
    responses.get(API_MATCH, **failure)
    assert run(content, config_path, "--date", "2026-07-31") == 1
    out = capsys.readouterr().out
    assert "2026-07-31 hf: 30 new, 0 updated, 0 unchanged, 0 rejected" in out
    assert "2026-07-31 arxiv: FAILED, nothing written" in out
    assert len(ContentStore(content).ids()) == 30
    assert all(ContentStore(content).load(i).sources == ["hf"] for i in ContentStore(content).ids())


@responses.activate
def test_a_failing_hugging_face_leaves_arxiv_papers_written_and_stored_content_untouched(content, config_path, capsys, no_real_sleep):
    assert replay(content, "2026-07-21") == 0
    before = papers_tree(content)
    responses.get(hf.DAILY_URL, status=503)
    responses.get(API_MATCH, body=API_0802.read_text(encoding="utf-8"))
    assert run(content, config_path, "--date", "2026-07-31") == 1
    out = capsys.readouterr().out
    assert "2026-07-31 hf: FAILED, nothing written: https://huggingface.co/api/daily_papers: HTTP 503 after 5 attempts" in out
    assert "2026-07-31 arxiv: 25 new, 0 updated, 0 unchanged, 0 rejected" in out
    after = papers_tree(content)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing stored before is touched
    assert len(after) == len(before) + 25


@responses.activate
def test_when_every_source_fails_nothing_is_written_and_the_status_is_2(content, config_path, capsys, no_real_sleep):
    assert replay(content, "2026-07-21") == 0
    before = tree(content)
    responses.get(hf.DAILY_URL, body="<html>oops</html>")
    responses.get(API_MATCH, status=500)
    assert run(content, config_path, "--date", "2026-07-31") == 2
    assert tree(content) == before


@responses.activate
def test_weekends_have_no_announcement_and_ask_nothing(content, config_path, capsys, no_real_sleep):
    assert run(content, config_path, "--source", "arxiv", "--date", "2026-08-01") == 0
    assert "2026-08-01 arxiv: no announcement for 2026-08-01" in capsys.readouterr().out
    assert len(responses.calls) == 0 and papers_tree(content) == {}


@responses.activate
def test_a_holiday_with_an_empty_answer_has_no_announcement(content, config_path, capsys, no_real_sleep):
    empty = API_0802.read_text(encoding="utf-8")
    empty = empty[: empty.index("<entry>")] + "</feed>\n"
    responses.get(API_MATCH, body=empty)
    assert run(content, config_path, "--source", "arxiv", "--date", "2026-12-25") == 0
    assert "2026-12-25 arxiv: no announcement for 2026-12-25" in capsys.readouterr().out


@responses.activate
def test_a_backfilled_day_asks_the_api_for_its_announcement_window(content, config_path, no_real_sleep):
    responses.get(API_MATCH, body=API_0802.read_text(encoding="utf-8"))
    assert run(content, config_path, "--source", "arxiv", "--date", "2026-07-31") == 0
    (call,) = responses.calls
    query = requests.utils.unquote(call.request.url).replace("+", " ")
    assert "search_query=(cat:cs.AI OR cat:cs.CL OR cat:cs.LG) AND submittedDate:[202607291800 TO 202607301800]" in query
    assert "sortBy=submittedDate" in query


# --- Today's RSS, completion from the API, pacing ---------------------------------------------------


@responses.activate
def test_todays_feeds_are_merged_completed_and_paced_three_seconds_apart(content, tmp_path):
    for category, path in RSS_FILES.items():
        responses.get(arxiv.RSS_URL.format(category=category), body=path.read_text(encoding="utf-8"))
    # The completion answer: one paper's full record, as the API would give it.
    record = API_0802.read_text(encoding="utf-8")
    entry = record[record.index("<entry>") : record.index("</entry>") + len("</entry>")]
    record = record.replace(entry, entry.replace("2607.28628", "2604.21935"), 1)
    responses.get(API_MATCH, status=503, headers={"Retry-After": "10"})
    responses.get(API_MATCH, body=record)
    fake = FakeClock()
    client = arxiv.make_client(clock=fake.clock, sleep=fake.sleep)
    config_path = tmp_path / "sources.yml"
    config_path.write_text(CONFIG.format(complete="true"), encoding="utf-8")
    config = load_sources_config(config_path)
    store = ContentStore(content)
    result = fetching.fetch_day(store, "arxiv", "2026-04-27", config=config, client=client, today="2026-04-27")
    assert result.summary() == "2026-04-27 arxiv: 9 new, 0 updated, 0 unchanged, 0 rejected"
    # Three feeds, then the API (503 with Retry-After: 10, then success): never two
    # requests less than 3 s apart, and the server's 10 s honoured.
    assert fake.sleeps == [3.0, 3.0, 3.0, 10.0]
    assert [c.request.url.split("?")[0] for c in responses.calls] == [
        *(arxiv.RSS_URL.format(category=c) for c in RSS_FILES), arxiv.API_URL, arxiv.API_URL]
    assert "id_list=2604.21935%2C2604.21936" in responses.calls[-1].request.url
    completed = store.load("2604.21935")
    assert completed.categories == ["hep-th", "cs.AI", "cs.LG", "hep-ph"]  # the API's, primary first
    assert completed.arxiv_comment.startswith("59 pages + appendices")
    assert completed.featured == ["2026-04-27"]
    assert store.load("2604.21936").categories == ["cs.AI", "cs.CV", "cs.MA"]  # RSS only


@responses.activate
def test_a_failed_completion_keeps_the_feeds_papers_and_says_so(content, tmp_path):
    responses.get(arxiv.RSS_URL.format(category="cs.AI"), body=RSS_FILES["cs.AI"].read_text(encoding="utf-8"))
    responses.get(API_MATCH, body="<html>Rate exceeded.</html>")
    config_path = tmp_path / "sources.yml"
    config_path.write_text("sources: [arxiv]\narxiv:\n  categories: [cs.AI]\n", encoding="utf-8")
    fake = FakeClock()
    result = fetching.fetch_day(ContentStore(content), "arxiv", "2026-04-27", config=load_sources_config(config_path),
                             client=arxiv.make_client(clock=fake.clock, sleep=fake.sleep), today="2026-04-27")
    assert result.status == 1 and result.counts["new"] == 3
    assert "(not completed from the arXiv API: response is a <html> document" in result.summary()


def test_the_arxiv_client_is_paced_by_arxivs_terms():
    fake = FakeClock()
    client = arxiv.make_client(clock=fake.clock, sleep=fake.sleep)
    client._pace()
    fake.now += 1.0
    client._pace()
    fake.now += 5.0
    client._pace()
    assert client.min_interval == 3.0 and fake.sleeps == [2.0]


@responses.activate
def test_the_daily_run_completes_the_hugging_face_papers_from_the_api(content, tmp_path, no_real_sleep, capsys):
    hf_ok("2026-07-31")

    def api(request):
        # The day's announcement: 20 papers, none of them on Hugging Face; the completion
        # request (id_list) gets records that include three of Hugging Face's papers.
        fixture = API_0802 if "id_list" in request.url else API / "2026-04-30_cat-cs.LG-OR-cs.AI_max20.xml"
        return 200, {}, fixture.read_text(encoding="utf-8")

    responses.add_callback(responses.GET, API_MATCH, callback=api)
    config_path = tmp_path / "sources.yml"
    config_path.write_text(CONFIG.format(complete="true"), encoding="utf-8")
    assert run(content, config_path, "--date", "2026-07-31") == 0
    out = capsys.readouterr().out
    assert "2026-07-31 hf: 30 new" in out and "2026-07-31 arxiv: 20 new, 3 updated, 0 unchanged, 0 rejected" in out
    id_list = requests.utils.unquote(responses.calls[-1].request.url)
    assert "2607.28582" in id_list and "2604.26888" in id_list  # Hugging Face's and arXiv's papers
    store = ContentStore(content)
    paper = store.load("2607.28582")
    assert paper.featured == ["2026-07-31"] and paper.sources == ["arxiv", "hf"]
    assert paper.categories == ["cs.LG"] and paper.provenance["title"] == "arxiv" and paper.upvotes == 19
    assert len(store.ids()) == 50  # the API's other records were for papers never featured here


@responses.activate
def test_source_all_runs_only_the_sources_listed(content, tmp_path, no_real_sleep, capsys):
    hf_ok("2026-07-31")
    config_path = tmp_path / "sources.yml"
    config_path.write_text("sources: [hf]\n", encoding="utf-8")
    assert run(content, config_path, "--date", "2026-07-31", "--no-paper-links") == 0
    assert "arxiv" not in capsys.readouterr().out
    assert [c.request.url.split("?")[0] for c in responses.calls] == [hf.DAILY_URL]


@responses.activate
def test_a_backfill_pages_on_while_pages_come_back_full(monkeypatch):
    monkeypatch.setattr(arxiv, "API_PAGE_SIZE", 20)
    full = API / "2026-04-30_cat-cs.LG-OR-cs.AI_max20.xml"  # 20 entries of 364218
    short = API / "2025-10-17_cat-cs.RO-AND-neural_max2_legacy.xml"  # 2 entries
    for start, path in ((0, full), (20, short)):
        responses.get(API_MATCH, body=path.read_text(encoding="utf-8"),
                      match=[responses.matchers.query_param_matcher({"start": str(start)}, strict_match=False)])
    fake = FakeClock()
    feed = arxiv.fetch_announced(arxiv.make_client(clock=fake.clock, sleep=fake.sleep), "2026-04-30", ["cs.LG", "cs.RO"])
    assert len(feed.entries) == 22 and len(responses.calls) == 2 and fake.sleeps == [3.0]
    types = {e.paper.arxiv_id: e.announce_type for e in feed.entries}
    assert types["2604.26888"] == "new" and types["2604.26951"] == "cross"  # primary cs.LG vs cs.CL
