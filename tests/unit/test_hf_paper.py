"""Hugging Face's per-paper API (the models, datasets and Spaces linked to a paper): the
recorded response (tests/fixtures/hf_paper/), hostile variants of it derived in memory, the
polite client's failures, a day's fetch that goes on when the API fails, and the merge."""

from __future__ import annotations

import copy
import functools
import json
import re

import pytest
import requests
import responses
from papers import fetching
from papers.errors import FetchError, SourceError
from papers.model import Paper
from papers.sources import hf, hf_paper
from papers.sources.http import PoliteClient
from papers.store import ContentStore

from tests.helpers import FIXTURES, FakeClock, hf_entries, script

fetch = script("fetch")
ARXIV_ID = "2608.09888"
BODY = (FIXTURES / "hf_paper" / f"{ARXIV_ID}.json").read_text(encoding="utf-8")
DATA = json.loads(BODY)
URL = hf_paper.PAPER_URL.format(id=ARXIV_ID)
DAY = "2026-08-21"
DATE_HEADER = {"Date": "Fri, 21 Aug 2026 09:30:00 GMT"}
PAPERS_RE = re.compile(r"https://huggingface\.co/api/papers/.*")
# The API's keys -> the fields they give.
KIND_OF_KEY = {list_key: (ids, count) for ids, count, list_key, count_key in hf_paper.KINDS} | {
    count_key: (ids, count) for ids, count, list_key, count_key in hf_paper.KINDS
}


def variant(**changes) -> dict:
    data = copy.deepcopy(DATA)
    data.update(changes)
    return data


def repos(*ids) -> list:
    return [{"id": i, "downloads": 1000 - n, "likes": 50 - n} for n, i in enumerate(ids)]


def test_the_recorded_response_gives_its_ids_and_counts():
    fields, warnings = hf_paper.parse_paper_links(BODY, ARXIV_ID)
    assert fields == {
        "hf_models": [], "hf_num_models": 0,
        "hf_datasets": ["WhySoCodius/in-context-grid-reasoning"], "hf_num_datasets": 1,
        "hf_spaces": [], "hf_num_spaces": 0,
    }
    assert warnings == []
    # The recorded paper links one dataset only, so it cannot show the API's order (most
    # popular first, it seems); whatever it is, it is kept, never re-sorted (below).
    assert len(DATA["linkedDatasets"]) == 1 and DATA["linkedModels"] == DATA["linkedSpaces"] == []


def test_the_first_five_ids_are_kept_in_the_apis_order_and_the_count_is_the_total():
    ids = [f"org{n}/model-{n}" for n in range(8)]
    listed = repos(*ids)
    listed.reverse()  # whatever the order: the API's is kept
    fields, warnings = hf_paper.parse_paper_links(variant(linkedModels=listed, numTotalModels=23), ARXIV_ID)
    assert fields["hf_models"] == [r["id"] for r in listed[:5]] and fields["hf_num_models"] == 23
    assert warnings == []


@pytest.mark.parametrize(
    ("changes", "expected", "warning"),
    [
        # Ids not in Hugging Face's owner/name form are dropped, naming them.
        ({"linkedModels": repos("javascript:alert(1)", "a/b")}, {"hf_models": ["a/b"], "hf_num_models": 1}, "dropped 'javascript:alert(1)'"),
        ({"linkedModels": repos("../../etc/passwd", "a/..", "a/b/c", "a", "/b", "a/", "-a/b", "a/b\n", "ａ/ｂ", "a b/c", "<x>/y", "x" * 97 + "/y")},
         {"hf_models": [], "hf_num_models": 0}, "and 9 more (not a Hugging Face repo id"),
        ({"linkedSpaces": repos("https://evil.example/x", "owner/space")}, {"hf_spaces": ["owner/space"], "hf_num_spaces": 1}, "linkedSpaces: dropped 'https://evil.example/x'"),
        # Wrong types: a warning, and nothing stored for that field.
        ({"linkedModels": "owner/model"}, {"hf_num_models": 0}, "linkedModels is a string ('owner/model'), expected a list: not stored"),
        ({"linkedModels": {"id": "owner/model"}}, {"hf_num_models": 0}, "linkedModels is an object"),
        ({"linkedDatasets": [{"id": 42}]}, {"hf_num_datasets": 1}, "linkedDatasets[1].id is 42, expected a repo object with a text id: linkedDatasets not stored"),
        ({"linkedDatasets": ["owner/data"]}, {"hf_num_datasets": 1}, "linkedDatasets[1] is 'owner/data'"),
        ({"linkedDatasets": [{"name": "x"}]}, {"hf_num_datasets": 1}, "linkedDatasets[1].id is None"),
        ({"numTotalDatasets": "1"}, {"hf_datasets": ["WhySoCodius/in-context-grid-reasoning"]}, "numTotalDatasets is '1'"),
        ({"numTotalModels": -3}, {"hf_models": []}, "numTotalModels is -3"),
        ({"numTotalModels": 1.5}, {"hf_models": []}, "numTotalModels is 1.5"),
        ({"numTotalModels": True}, {"hf_models": []}, "numTotalModels is True"),
        ({"numTotalModels": 10**12}, {"hf_models": []}, "expected a whole number"),
        # A count lower than the ids listed is that many; duplicates count once.
        ({"linkedModels": repos("a/b", "c/d", "a/b"), "numTotalModels": 1}, {"hf_models": ["a/b", "c/d"], "hf_num_models": 2}, None),
        # Absent keys: nothing stored, nothing to say.
        ({"linkedModels": None, "numTotalModels": None}, {}, None),
    ],
)
def test_hostile_variants_are_cleaned_or_dropped_with_a_warning(changes, expected, warning):
    data = {key: value for key, value in variant(**changes).items() if value is not None}
    fields, warnings = hf_paper.parse_paper_links(json.dumps(data), ARXIV_ID)
    touched = {name for key in changes for name in KIND_OF_KEY[key]}
    assert {k: v for k, v in fields.items() if k in touched} == expected
    if warning is None:
        assert warnings == []
    else:
        [message] = warnings
        assert message.startswith(f"{ARXIV_ID}: ") and warning in message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<html>502 Bad Gateway</html>", "response is not JSON"),
        (BODY[:-40], "response is not JSON"),
        ("", "response is not JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("null", "response is null in JSON, expected a paper object"),
        ("[]", "response is a list in JSON"),
        ('"2608.09888"', "response is a string in JSON"),
        (json.dumps(variant(id="2608.00001")), "about paper '2608.00001', not 2608.09888"),
        (json.dumps(variant(id=["2608.09888"])), "about paper ['2608.09888']"),
    ],
    ids=["html", "truncated", "empty", "nested", "null", "list", "string", "another paper", "id of another type"],
)
def test_a_body_that_is_not_the_papers_record_is_a_source_error(body, reason):
    with pytest.raises(SourceError, match=reason.replace("[", r"\[").replace("]", r"\]")):
        hf_paper.parse_paper_links(body, ARXIV_ID)


def test_a_versioned_id_in_the_body_is_the_same_paper():
    assert hf_paper.parse_paper_links(variant(id=f"{ARXIV_ID}v2"), ARXIV_ID)[0]["hf_num_datasets"] == 1


# --- The request: the polite client's retries, failures, the response's time -------------------


@responses.activate
def test_the_links_are_fetched_with_the_servers_time():
    responses.get(URL, body=BODY, headers=DATE_HEADER)
    links = hf_paper.fetch_paper_links(PoliteClient(), ARXIV_ID)
    assert links.fields["hf_datasets"] == ["WhySoCodius/in-context-grid-reasoning"] and links.warnings == []
    assert links.as_of == "2026-08-21T09:30:00Z"
    assert "paper-digest" in responses.calls[0].request.headers["User-Agent"]


@responses.activate
@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (dict(status=500), "HTTP 500 after 3 attempts"),
        (dict(body=requests.ConnectTimeout("timed out")), "ConnectTimeout: timed out after 3 attempts"),
        (dict(status=404, json={"error": "Paper not found"}), "HTTP 404"),
        (dict(body="<html>oops</html>"), "response is not JSON"),
    ],
    ids=["500", "timeout", "404", "invalid JSON"],
)
def test_a_failed_request_is_a_source_error_after_the_clients_retries(failure, reason):
    responses.get(URL, **failure)
    fake = FakeClock()
    with pytest.raises(SourceError, match=reason) as error:
        hf_paper.fetch_paper_links(PoliteClient(retries=2, clock=fake.clock, sleep=fake.sleep), ARXIV_ID)
    retried = "attempts" in reason
    assert isinstance(error.value, FetchError) == (reason != "response is not JSON")
    assert len(responses.calls) == (3 if retried else 1) and fake.sleeps == ([2.0, 4.0] if retried else [])


# --- A day's fetch: the links are a bonus, never a cost ---------------------------------------


def day_entries() -> list:
    return hf_entries(DAY)[:5]


def paper_body(request) -> tuple:
    """The recorded response, as if about the paper asked for."""
    arxiv_id = request.url.rsplit("/", 1)[1]
    return 200, DATE_HEADER, json.dumps(variant(id=arxiv_id, linkedModels=repos(f"org/{arxiv_id}", "javascript:alert(1)"), numTotalModels=9))


def fetch_live_day(store, mocked, paper_route, *, paper_links=True, retries=1):
    mocked.get(hf.DAILY_URL, json=day_entries(), headers={"Date": "Fri, 21 Aug 2026 09:00:00 GMT"})
    if paper_route is not None:
        paper_route(mocked)
    client = PoliteClient(retries=retries, sleep=lambda s: None)
    return fetching.fetch_day(store, hf.SOURCE, DAY, config=None, client=client, today=DAY, paper_links=paper_links)


def paper_calls(mocked) -> list[str]:
    return [c.request.url for c in mocked.calls if c.request.url.startswith("https://huggingface.co/api/papers/")]


def test_a_day_stores_each_papers_links_as_hugging_faces(tmp_path, caplog):
    store = ContentStore(tmp_path)
    with responses.RequestsMock() as mocked:
        result = fetch_live_day(store, mocked, lambda m: m.add_callback(responses.GET, PAPERS_RE, callback=paper_body))
        assert len(paper_calls(mocked)) == 5
    assert result.status == 0 and result.counts["new"] == 5
    for entry in day_entries():
        arxiv_id = entry["paper"]["id"]
        paper = store.load(arxiv_id)
        assert paper.hf_models == [f"org/{arxiv_id}"] and paper.hf_num_models == 9
        assert paper.hf_datasets == ["WhySoCodius/in-context-grid-reasoning"] and paper.hf_num_datasets == 1
        assert paper.hf_spaces == [] and paper.hf_num_spaces == 0
        assert {paper.provenance[f] for f in ("hf_models", "hf_num_models", "hf_datasets", "hf_num_spaces")} == {"hf"}
        assert "hf_spaces" not in paper.provenance  # empty: not stored
        assert paper.fetched["hf"] == "2026-08-21T09:30:00Z"  # the newer of the two responses
        assert paper.upvotes == entry["paper"]["upvotes"]  # the day's fields as always
        assert f"{arxiv_id}: linkedModels: dropped 'javascript:alert(1)'" in caplog.text


@pytest.mark.parametrize(
    ("failure", "attempts"),
    [(dict(status=500), 2), (dict(body=requests.ConnectionError("connection reset")), 2), (dict(body="<html>oops</html>"), 1), (dict(json=["not", "a", "paper"]), 1)],
    ids=["500", "network", "invalid JSON", "wrong type"],
)
def test_when_the_paper_api_fails_the_day_is_stored_without_links_and_it_stops_asking(tmp_path, caplog, failure, attempts):
    store = ContentStore(tmp_path)
    with responses.RequestsMock() as mocked:
        result = fetch_live_day(store, mocked, lambda m: m.get(PAPERS_RE, **failure))
        asked = paper_calls(mocked)
    assert result.status == 0 and result.counts["new"] == 5 and result.summary() == f"{DAY} hf: 5 new, 0 updated, 0 unchanged, 0 rejected"
    # The first three papers were asked (each with the client's retries), then no more.
    assert len(set(asked)) == hf_paper.MAX_LINK_FAILURES_ALIKE and len(asked) == 3 * attempts
    without = [e["paper"]["id"] for e in day_entries()]
    for arxiv_id in without:
        paper = store.load(arxiv_id)
        assert (paper.hf_models, paper.hf_num_models, paper.hf_num_datasets) == ([], None, None)
        assert "hf_models" not in paper.provenance and paper.title
    lines = [r.getMessage() for r in caplog.records if "linked models" in r.getMessage()]
    assert len(lines) == 4 and all("\n" not in line for line in lines)
    assert lines[0].startswith(f"{DAY} hf: {without[0]}: linked models, datasets and Spaces not fetched: ")
    assert lines[-1].startswith(f"{DAY} hf: stopped asking for linked models, datasets and Spaces after 3 failures alike (")
    assert lines[-1].endswith("the other 2 papers are stored without them")


def test_one_paper_failing_costs_that_paper_its_links_only(tmp_path, caplog):
    broken = day_entries()[1]["paper"]["id"]

    def answer(request):
        if broken in request.url:
            return 503, {}, "busy"
        return paper_body(request)

    store = ContentStore(tmp_path)
    with responses.RequestsMock() as mocked:
        fetch_live_day(store, mocked, lambda m: m.add_callback(responses.GET, PAPERS_RE, callback=answer))
    assert store.load(broken).hf_num_models is None
    assert all(store.load(e["paper"]["id"]).hf_num_models == 9 for e in day_entries() if e["paper"]["id"] != broken)
    assert f"{broken}: linked models, datasets and Spaces not fetched: {hf_paper.PAPER_URL.format(id=broken)}: HTTP 503 after 2 attempts" in caplog.text
    assert "stopped asking" not in caplog.text


def test_without_paper_links_nothing_is_asked(tmp_path):
    with responses.RequestsMock() as mocked:
        result = fetch_live_day(ContentStore(tmp_path), mocked, None, paper_links=False)
        assert paper_calls(mocked) == []
    assert result.counts["new"] == 5
    assert fetch.parse_args([]).paper_links and not fetch.parse_args(["--no-paper-links"]).paper_links


def test_a_replayed_day_never_asks_the_network(tmp_path):
    """``--input`` with the links on (the default): the papers, and no request at all."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.get(PAPERS_RE, body=BODY)
        path = tmp_path / "day.json"
        path.write_text(json.dumps(day_entries()), encoding="utf-8")
        assert fetch.main(["--source", "hf", "--date", DAY, "--input", str(path), "--content", str(tmp_path / "content")]) == 0
        assert len(mocked.calls) == 0
    assert len(ContentStore(tmp_path / "content").ids()) == 5


@responses.activate
def test_the_fetch_script_asks_for_links_unless_told_not_to(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "PoliteClient", functools.partial(PoliteClient, sleep=lambda s: None))
    responses.get(hf.DAILY_URL, json=day_entries())
    responses.add_callback(responses.GET, PAPERS_RE, callback=paper_body)
    content = tmp_path / "content"
    assert fetch.main(["--source", "hf", "--date", DAY, "--content", str(content), "--no-paper-links"]) == 0
    assert len(responses.calls) == 1
    assert fetch.main(["--source", "hf", "--date", DAY, "--content", str(content)]) == 0
    assert len(responses.calls) == 2 + 5
    assert f"{DAY} hf: 0 new, 5 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out
    assert ContentStore(content).load(day_entries()[0]["paper"]["id"]).hf_num_models == 9


# --- The merge: a snapshot, the newer fetch wins ---------------------------------------------


def links(as_of: str, **fields) -> Paper:
    return Paper(ARXIV_ID, "T", ["A"], "x", [DAY], ["hf"], **fields).attributed_to("hf", as_of)


def test_a_later_fetch_updates_the_lists_and_counts_even_down_and_an_older_one_only_fills():
    stored = links("2026-08-21T09:00:00Z", hf_models=["a/one", "a/two"], hf_num_models=7, hf_datasets=["d/x"], hf_num_datasets=1)
    later = links("2026-08-22T09:00:00Z", hf_models=["a/two", "a/three"], hf_num_models=3, hf_num_datasets=0, hf_datasets=[], hf_spaces=["s/x"], hf_num_spaces=1)
    merged = stored.merged_with(later)
    assert (merged.hf_models, merged.hf_num_models) == (["a/two", "a/three"], 3)  # a repo unlinked: the count falls
    assert (merged.hf_datasets, merged.hf_num_datasets) == ([], 0)  # none linked any more
    assert (merged.hf_spaces, merged.hf_num_spaces) == (["s/x"], 1)
    assert "hf_datasets" not in merged.provenance and merged.provenance["hf_num_datasets"] == "hf"
    assert merged.fetched == {"hf": "2026-08-22T09:00:00Z"}
    # The older response, replayed after the newer one, has nothing to fill: no change.
    assert merged.merged_with(stored) == merged and later.merged_with(stored) == later
    # A day's list without links (another fetch, or --no-paper-links) keeps the stored ones.
    day_only = Paper(ARXIV_ID, "T", ["A"], "x", ["2026-08-23"], ["hf"], upvotes=5).attributed_to("hf", "2026-08-23T09:00:00Z")
    kept = merged.merged_with(day_only)
    assert (kept.hf_models, kept.hf_num_models, kept.hf_spaces) == (merged.hf_models, 3, ["s/x"])


def test_links_round_trip_through_the_file_and_absent_ones_are_not_written():
    from papers.paperfile import dump_paper, parse_paper, read_dumped_meta

    paper = links("2026-08-21T09:00:00Z", hf_models=["org/m-1.5", "0/x_y"], hf_num_models=12, hf_num_spaces=0)
    text = dump_paper(paper)
    assert "hf_models:\n- org/m-1.5\n- 0/x_y\n" in text and "hf_num_models: 12\n" in text and "hf_num_spaces: 0\n" in text
    assert "hf_datasets" not in text and "hf_num_datasets" not in text
    assert parse_paper(text) == paper
    assert read_dumped_meta(text.split("---\n")[1]) is not None  # the fast reader reads them too
    assert "hf_" not in dump_paper(Paper(ARXIV_ID, "T", ["A"], "x", [DAY], ["hf"]))
