"""The fetch path under hostile and malformed input (classes 2, 3, 4, 7 and 9 of the hardening
issue): no body or value crashes a day, the live and replay paths treat a body alike, ids
dates and counts are ASCII and valid, lists are cut to their limits, and an older response
never rolls back newer data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from papers import fetching
from papers.cleaning import MAX_AUTHORS, MAX_KEYWORDS, MAX_TITLE, utc_timestamp
from papers.sources import arxiv, hf
from papers.sources.config import load_sources_config
from papers.sources.http import PoliteClient
from papers.store import ContentStore

from tests.helpers import FIXTURES, hf_entries, script

fetch = script("fetch")
DAY = "2026-08-21"
RSS_CS_AI = FIXTURES / "arxiv_rss" / "2026-04-27_cs.AI_trimmed.xml"
RSS_DAY = "2026-04-27"


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text("sources: [hf, arxiv]\narxiv:\n  categories: [cs.AI]\n  complete: false\n", encoding="utf-8")
    return load_sources_config(path)


def stored(content) -> dict:
    """Every stored paper by id, its ``fetched`` times left out (a live fetch is dated now,
    a replay by its day: the data must be the same)."""
    store = ContentStore(content)
    return {i: dataclasses.replace(store.load(i), fetched={}) for i in store.ids()}


def live_and_replayed(tmp_path, config, source: str, day: str, body: str, url: str):
    """(summary, stored papers) of ``body`` fetched live from ``url`` and replayed."""
    outcomes = []
    for way in ("live", "replay"):
        content = tmp_path / way
        store = ContentStore(content)
        if way == "live":
            with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
                mocked.get(url, body=body)
                client = PoliteClient(sleep=lambda s: None, retries=0)
                result = fetching.fetch_day(store, source, day, config=config, client=client, today=day)
        else:
            result = fetching.replay_day(store, source, day, body, config=config, today=day)
        outcomes.append((result.summary(), result.status, stored(content) if content.exists() else {}))
    return outcomes


GOOD_ENTRY = hf_entries(DAY)[0]
HF_BODIES = {
    "nested 1000": "[" * 1000 + "]" * 1000,
    "nested 100000": "[" * 100_000 + "]" * 100_000,
    "nested objects": '{"a":' * 5000 + "1" + "}" * 5000,
    "null": "null",
    "number": "42",
    "string": '"papers"',
    "true": "true",
    "object": '{"error": "rate limited"}',
    "empty": "",
    "html": "<html><body>502 Bad Gateway</body></html>",
    "truncated": json.dumps([GOOD_ENTRY])[:-20],
    "empty list": "[]",
    "ids of every type": json.dumps([
        {"paper": {**GOOD_ENTRY["paper"], "id": ["2608.00001"]}},
        {"paper": {**GOOD_ENTRY["paper"], "id": {"x": 1}}},
        {"paper": {**GOOD_ENTRY["paper"], "id": 2608.00001}},
        {"paper": {**GOOD_ENTRY["paper"], "id": None}},
        GOOD_ENTRY,
    ]),
    "entries of every kind": json.dumps([1, "x", None, [], {}, {"paper": []}, GOOD_ENTRY]),
    "nan and huge numbers": json.dumps([{**GOOD_ENTRY, "paper": {**GOOD_ENTRY["paper"], "upvotes": float("nan")}}, GOOD_ENTRY]),
    "huge int": '[{"paper": {"id": "2608.00001", "upvotes": ' + "9" * 5000 + "}}]",
}


@pytest.mark.parametrize("name", HF_BODIES)
def test_hugging_face_live_and_replay_treat_any_body_alike(tmp_path, config, name):
    live, replayed = live_and_replayed(tmp_path, config, "hf", DAY, HF_BODIES[name], hf.DAILY_URL)
    assert live == replayed
    summary, status, papers = live
    assert summary.startswith(f"{DAY} hf: ")
    if status == 2:
        assert "FAILED, nothing written" in summary and not papers
    if name.startswith("nested"):
        assert status == 2


def test_an_unreadable_body_is_named_for_what_it_is(tmp_path, config):
    def failure(body):
        return fetching.replay_day(ContentStore(tmp_path / "c"), None, DAY, body, config=config, today=DAY).failure

    assert failure("[" * 5000 + "]" * 5000) == "response is JSON nested too deeply to read"
    assert failure("null") == "response is null in JSON, expected a list of papers"
    assert failure("42") == "response is a number in JSON, expected a list of papers"
    assert failure('{"error": 1}') == "response is an object in JSON, expected a list of papers"
    assert failure("<feed/>") == "response is a <feed> document, not an arXiv RSS or Atom feed"


ARXIV_BODIES = {
    "the feed": RSS_CS_AI.read_text(encoding="utf-8"),
    "nested": "<a>" * 50_000 + "</a>" * 50_000,
    "entity bomb": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss><channel>&b;</channel></rss>',
    "external entity": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel>&x;</channel></rss>',
    "empty": "",
    "html": "<html><body>Rate exceeded.</body></html>",
    "json": "[]",
    "a date out of range": RSS_CS_AI.read_text(encoding="utf-8").replace("Mon, 27 Apr 2026", "Mon, 27 Apr 9999"),
    "fullwidth ids": RSS_CS_AI.read_text(encoding="utf-8").replace("2604.2", "２６０４.２"),
}


@pytest.mark.parametrize("name", ARXIV_BODIES)
def test_arxiv_live_and_replay_treat_any_body_alike(tmp_path, config, name):
    live, replayed = live_and_replayed(tmp_path, config, "arxiv", RSS_DAY, ARXIV_BODIES[name], arxiv.RSS_URL.format(category="cs.AI"))
    assert live == replayed
    summary, status, papers = live
    if name == "the feed":
        assert status == 0 and len(papers) == 3
    elif name == "fullwidth ids":
        assert "rejected" in summary and not [i for i in papers if not i.isascii()]
    else:
        assert status == 2 and not papers, summary


def test_an_unreadable_day_fails_alone_and_the_other_days_and_source_go_on(tmp_path, config):
    store = ContentStore(tmp_path / "content")
    lines = []
    with responses.RequestsMock() as mocked:
        bad, good = "2026-04-24", RSS_DAY
        mocked.get(hf.DAILY_URL, body="[" * 5000 + "]" * 5000, match=[responses.matchers.query_param_matcher({"date": bad, "limit": "50", "p": "0"})])
        mocked.get(hf.DAILY_URL, body="null", match=[responses.matchers.query_param_matcher({"date": good, "limit": "50", "p": "0"})])
        mocked.get(arxiv.API_URL, body=(FIXTURES / "arxiv_api" / "2026-04-30_cat-cs.LG-OR-cs.AI_max20.xml").read_text(encoding="utf-8"))
        mocked.get(arxiv.RSS_URL.format(category="cs.AI"), body=ARXIV_BODIES["the feed"])
        clients = {hf.SOURCE: PoliteClient(sleep=lambda s: None, retries=0), arxiv.SOURCE: arxiv.make_client(sleep=lambda s: None, retries=0)}
        status = fetching.fetch_days(store, ["hf", "arxiv"], [bad, good], config=config, clients=clients, today=good, report=lines.append)
    assert status == 1
    assert lines[0].startswith(f"[1/2] {bad} hf: FAILED, nothing written: response is JSON nested too deeply")
    assert lines[2] == f"[2/2] {good} hf: FAILED, nothing written: response is null in JSON, expected a list of papers"
    assert lines[3] == f"[2/2] {good} arxiv: 3 new, 0 updated, 0 unchanged, 0 rejected"
    assert len(lines) == 4 and len(store.ids()) >= 3


def test_the_fetch_script_exits_2_with_a_message_for_an_unreadable_day(tmp_path, capsys):
    body = tmp_path / "nested.json"
    body.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert fetch.main(["--date", DAY, "--input", str(body), "--content", str(tmp_path / "content")]) == 2
    assert capsys.readouterr().out == f"{DAY} hf: FAILED, nothing written: response is JSON nested too deeply to read\n"


# --- Class 2: code points, in every field ------------------------------------------------------

ODD_CODE_POINTS = ["\ud800", "\udfff", "\u2028", "\u2029", "\u202e", "\u2066", "\x00", "\x1b", "\x85", "\ufeff", "\u200d", "\U000e0001", "\ue000", "\U0010ffff", "\U000f0000"]
# Where each goes in an entry: (path of keys, kind: text, url, id or date)
ENTRY_FIELDS = {
    "title": (("title",), "text"),
    "paper title": (("paper", "title"), "text"),
    "summary": (("paper", "summary"), "text"),
    "author": (("paper", "authors", 0, "name"), "text"),
    "ai_summary": (("paper", "ai_summary"), "text"),
    "keyword": (("paper", "ai_keywords", 0), "text"),
    "organization": (("paper", "organization"), "org"),
    "githubRepo": (("paper", "githubRepo"), "url"),
    "projectPage": (("paper", "projectPage"), "url"),
    "thumbnail": (("thumbnail",), "url"),
    "id": (("paper", "id"), "id"),
    "publishedAt": (("paper", "publishedAt"), "date"),
}


def with_value(entry: dict, path: tuple, value) -> dict:
    entry = json.loads(json.dumps(entry))
    target = entry
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return entry


def replay_entries(tmp_path, entries, capsys) -> tuple[int, str, ContentStore]:
    body = tmp_path / "body.json"
    body.write_text(json.dumps(entries), encoding="utf-8")  # ensure_ascii: a lone surrogate is \ud800
    content = tmp_path / "content"
    status = fetch.main(["--date", DAY, "--input", str(body), "--content", str(content)])
    return status, capsys.readouterr().out, ContentStore(content)


@pytest.mark.parametrize("field", ENTRY_FIELDS)
def test_no_code_point_in_any_field_crashes_a_day(tmp_path, capsys, caplog, field):
    path, kind = ENTRY_FIELDS[field]
    entries = hf_entries(DAY)[:3]
    base = {"text": "break{}save_as", "org": None, "url": "https://github.com/a/{}b", "id": "2608.1{}0001", "date": "2026-08-2{}"}[kind]
    for n, ch in enumerate(ODD_CODE_POINTS):
        run = tmp_path / f"run{n}"
        run.mkdir()
        value = {"fullname": f"break{ch}save_as", "name": "org"} if kind == "org" else base.format(ch)
        changed = with_value(entries[1], path, value)
        status, out, store = replay_entries(run, [entries[0], changed, entries[2]], capsys)
        assert status in (0, 1) and out.startswith(f"{DAY} hf: "), (field, hex(ord(ch)), out)
        # The other entries are written, and every stored file reads back.
        assert {entries[0]["paper"]["id"], entries[2]["paper"]["id"]} <= set(store.ids())
        papers = [store.load(i) for i in store.ids()]
        for paper in papers:
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(paper.to_dict(), ensure_ascii=False))
        if kind in ("text", "org"):
            [paper] = [p for p in papers if p.arxiv_id == changed["paper"]["id"]]
            text = {"title": paper.title, "paper title": paper.title, "summary": paper.abstract, "author": paper.authors[0],
                    "ai_summary": paper.ai_summary, "keyword": paper.ai_keywords[0], "organization": paper.organization}[field]
            if field != "paper title":  # (the top-level title, kept, comes first)
                assert text == ("break save_as" if ch.isspace() else "breaksave_as"), (field, hex(ord(ch)), text)
        elif kind == "url":
            [paper] = [p for p in papers if p.arxiv_id == changed["paper"]["id"]]
            assert not any(ch in (u or "") for u in (paper.github_repo, paper.project_page, paper.thumbnail))
            assert "not an http(s) URL" in caplog.text
        elif kind in ("id", "date"):
            assert status == 1 if kind == "id" else status == 0
            assert all(i.isascii() for i in store.ids())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(ENTRY_FIELDS)), st.text(st.characters(codec=None), max_size=30))
def test_any_text_in_any_field_is_cleaned_or_refused_by_name(tmp_path_factory, field, text):
    path, _ = ENTRY_FIELDS[field]
    entries = hf_entries(DAY)[:2]
    entries[1] = with_value(entries[1], path, text if field != "organization" else {"fullname": text, "name": text})
    body = json.dumps(entries)
    content = tmp_path_factory.mktemp("any")
    result = fetching.replay_day(ContentStore(content), "hf", DAY, body, config=None, today=DAY)
    assert result.failure is None and result.counts["new"] + result.counts["rejected"] == 2
    for arxiv_id in ContentStore(content).ids():
        ContentStore(content).load(arxiv_id)  # every stored file reads back


# --- Class 4: ASCII ids, real dates, bounded counts ------------------------------------------------

NON_ASCII_IDS = ["２６０８.００００３", "٢٦٠٨.٠٠٠٠٣", "۲۶۰۸.۰۰۰۰۳", "२६०८.०००३", "২৬০৮.০০০৩", "2608.0000３", "𝟐𝟔𝟎𝟖.𝟎𝟎𝟎𝟎𝟑"]
BAD_DATES = ["2026-13-45", "0000-00-00", "2026-02-30", "２０２６-０８-２１", "1990-12-31", "2101-01-01", "2026-8-21", 20260821, ["2026-08-21"]]
BAD_COUNTS = ["12", "１２", 1.5, -1, 10**12, True, [1], {"n": 1}]


def test_ids_in_other_digits_are_refused_by_name(tmp_path, capsys, caplog):
    entries = hf_entries(DAY)[:1] + [with_value(hf_entries(DAY)[1], ("paper", "id"), i) for i in NON_ASCII_IDS]
    status, out, store = replay_entries(tmp_path, entries, capsys)
    assert status == 1 and f"{len(NON_ASCII_IDS)} rejected" in out
    assert store.ids() == [entries[0]["paper"]["id"]]
    assert all(path.name.isascii() for path in tmp_path.rglob("*"))
    for arxiv_id in NON_ASCII_IDS:
        assert f"id {arxiv_id!r} is not an arXiv id" in caplog.text


@pytest.mark.parametrize("date", BAD_DATES, ids=str)
def test_an_invalid_date_is_dropped_with_a_warning_and_the_paper_kept(tmp_path, capsys, caplog, date):
    entries = [with_value(hf_entries(DAY)[0], ("paper", "publishedAt"), date)]
    status, out, store = replay_entries(tmp_path, entries, capsys)
    assert status == 0 and "1 new" in out
    assert store.load(entries[0]["paper"]["id"]).published is None
    assert "publishedAt is" in caplog.text and "dropped" in caplog.text


@pytest.mark.parametrize("count", BAD_COUNTS, ids=str)
def test_an_invalid_count_refuses_the_entry_by_name(tmp_path, capsys, caplog, count):
    entries = hf_entries(DAY)[:2]
    entries[1] = with_value(entries[1], ("paper", "upvotes"), count)
    status, out, store = replay_entries(tmp_path, entries, capsys)
    assert status == 1 and "1 rejected" in out
    assert f"{entries[1]['paper']['id']}: upvotes is" in caplog.text


def test_an_rss_feed_dated_out_of_range_writes_nothing(tmp_path, config):
    result = fetching.replay_day(ContentStore(tmp_path), "arxiv", RSS_DAY, ARXIV_BODIES["a date out of range"], config=config, today=RSS_DAY)
    assert result.status == 2 and "no usable announcement date" in result.failure


# --- Class 7: limits at the source -----------------------------------------------------------------


def test_long_lists_keep_their_first_items_with_a_warning(tmp_path, capsys, caplog):
    entry = hf_entries(DAY)[0]
    entry["paper"]["authors"] = [{"name": f"Author {n}"} for n in range(MAX_AUTHORS + 1000)]
    entry["paper"]["ai_keywords"] = [f"keyword {n}" for n in range(MAX_KEYWORDS + 50)]
    status, out, store = replay_entries(tmp_path, [entry], capsys)
    paper = store.load(entry["paper"]["id"])
    assert status == 0 and "1 new" in out
    assert paper.authors == [f"Author {n}" for n in range(MAX_AUTHORS)]
    assert paper.ai_keywords == [f"keyword {n}" for n in range(MAX_KEYWORDS)]
    assert f"authors: kept the first {MAX_AUTHORS:,} of {MAX_AUTHORS + 1000:,} (the limit)" in caplog.text
    assert f"ai_keywords: kept the first {MAX_KEYWORDS:,} of {MAX_KEYWORDS + 50:,} (the limit)" in caplog.text


def test_an_rss_item_with_more_authors_than_the_limit_is_cut_too(tmp_path, config, caplog):
    body = ARXIV_BODIES["the feed"]
    start = body.index("<dc:creator>") + len("<dc:creator>")
    end = body.index("</dc:creator>", start)
    body = body[:start] + ", ".join(f"Author {n}" for n in range(MAX_AUTHORS + 1)) + body[end:]
    store = ContentStore(tmp_path)
    result = fetching.replay_day(store, "arxiv", RSS_DAY, body, config=config, today=RSS_DAY)
    assert result.status == 0
    assert max(len(store.load(i).authors) for i in store.ids()) == MAX_AUTHORS
    assert f"of {MAX_AUTHORS + 1:,} (the limit)" in caplog.text


def test_a_text_over_its_limit_refuses_the_entry_by_name(tmp_path, capsys, caplog):
    entries = hf_entries(DAY)[:2]
    entries[1]["title"] = "t" * (MAX_TITLE + 1)
    status, out, _ = replay_entries(tmp_path, entries, capsys)
    assert status == 1 and "1 rejected" in out
    assert f"title is {MAX_TITLE + 1:,} characters long (limit {MAX_TITLE:,})" in caplog.text


# --- Class 9: an older response never rolls newer data back ------------------------------------------


def test_a_replayed_older_response_only_fills_what_is_missing(tmp_path, config, caplog):
    newer = hf_entries(DAY)[0]
    arxiv_id = newer["paper"]["id"]
    newer["paper"]["authors"] = [{"name": f"Author {n}"} for n in range(11)]
    newer["paper"].pop("projectPage", None)
    older = json.loads(json.dumps(newer))
    older["title"] = older["paper"]["title"] = "The title as it was"
    older["paper"]["authors"] = [{"name": "Author 0"}]
    older["paper"]["summary"] = "The abstract as it was."
    older["paper"]["upvotes"] = 1
    older["paper"]["projectPage"] = "https://example.org/project"
    store = ContentStore(tmp_path / "content")
    with responses.RequestsMock() as mocked:
        mocked.get(hf.DAILY_URL, json=[newer])
        live = fetching.fetch_day(store, "hf", DAY, config=config, client=PoliteClient(), today=DAY)
    assert live.counts["new"] == 1
    result = fetching.replay_day(store, "hf", DAY, json.dumps([older]), config=config, today=DAY)
    paper = store.load(arxiv_id)
    assert len(paper.authors) == 11 and paper.title == newer["title"] and paper.abstract != older["paper"]["summary"]
    assert paper.upvotes == newer["paper"]["upvotes"]
    assert paper.project_page == "https://example.org/project"  # missing before: filled
    assert result.counts["updated"] == 1
    # A live fetch is dated now: a saved response of any earlier day is older than it.
    assert paper.fetched["hf"] > f"{DAY}T23:59:59Z"


def test_arxiv_feeds_are_as_of_their_own_time_and_an_older_one_rolls_nothing_back(tmp_path, config):
    feed = ARXIV_BODIES["the feed"]
    built = feed[feed.index("<lastBuildDate>") : feed.index("</lastBuildDate>") + len("</lastBuildDate>")]
    older = feed.replace(built, "<lastBuildDate>Mon, 27 Apr 2026 01:00:00 +0000</lastBuildDate>")
    first_title = feed[feed.index("<item>"):].split("<title>", 1)[1].split("</title>", 1)[0]
    older = older.replace(f"<title>{first_title}</title>", "<title>An old title</title>", 1)
    store = ContentStore(tmp_path)
    fetching.replay_day(store, "arxiv", RSS_DAY, feed, config=config, today=RSS_DAY)
    before = {i: store.load(i) for i in store.ids()}
    assert {p.fetched["arxiv"] for p in before.values()} == {"2026-04-27T04:00:00Z"}
    result = fetching.replay_day(store, "arxiv", RSS_DAY, older, config=config, today=RSS_DAY)
    assert {i: store.load(i) for i in store.ids()} == before and result.counts["unchanged"] == len(before)
    # The other way round, the newer feed's title wins.
    store2 = ContentStore(tmp_path / "other")
    fetching.replay_day(store2, "arxiv", RSS_DAY, older, config=config, today=RSS_DAY)
    fetching.replay_day(store2, "arxiv", RSS_DAY, feed, config=config, today=RSS_DAY)
    assert {i: store2.load(i).title for i in store2.ids()} == {i: p.title for i, p in before.items()}


def test_a_response_dated_in_the_future_is_taken_as_of_now(tmp_path, config):
    feed = ARXIV_BODIES["the feed"].replace("<lastBuildDate>Mon, 27 Apr 2026 04:00:00 +0000", "<lastBuildDate>Sat, 27 Apr 2100 04:00:00 +0000")
    store = ContentStore(tmp_path)
    fetching.replay_day(store, "arxiv", RSS_DAY, feed, config=config, today=RSS_DAY)
    now = utc_timestamp(dt.datetime.now(dt.timezone.utc))
    assert all(store.load(i).fetched["arxiv"] <= now for i in store.ids())


def test_the_same_data_fetched_again_changes_no_file_and_a_legacy_file_gains_its_time_once(tmp_path, config):
    body = json.dumps(hf_entries(DAY)[:3])
    content = tmp_path / "content"
    store = ContentStore(content)
    fetching.replay_day(store, "hf", DAY, body, config=config, today=DAY)
    files = {p: p.read_bytes() for p in content.rglob("*.md")}
    with responses.RequestsMock() as mocked:
        mocked.get(hf.DAILY_URL, body=body)
        result = fetching.fetch_day(ContentStore(content), "hf", DAY, config=config, client=PoliteClient(), today=DAY)
    assert result.counts["unchanged"] == 3 and {p: p.read_bytes() for p in content.rglob("*.md")} == files
    # A file written before times were recorded gets one the first time it is fetched again.
    path = next(iter(files))
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("fetched:")), encoding="utf-8")
    result = fetching.replay_day(ContentStore(content), "hf", DAY, body, config=config, today=DAY)
    assert result.counts["updated"] == 1 and path.read_bytes() == files[path]
