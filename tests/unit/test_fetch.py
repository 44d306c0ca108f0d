"""scripts/fetch.py end to end: replays, exit statuses, idempotence, hostile entries, the
network client (paging, retries, Retry-After) and resumable ranges, all offline."""

from __future__ import annotations

import functools
import json

import pytest
import responses
from papers.errors import FetchError
from papers.cleaning import TIMESTAMP_RE
from papers.sources import hf
from papers.sources.http import PoliteClient, retry_after_seconds
from papers.store import ContentStore

from tests.helpers import HF_DAYS, FakeClock, hf_entries, hf_fixture, hostile_day, replay, script, tree

fetch = script("fetch")




def test_every_recorded_day_replays_with_exit_0_and_again_changes_nothing(content, capsys):
    for fixture in HF_DAYS:
        assert replay(content, fixture.stem) == 0
    first = tree(content)
    out = capsys.readouterr().out
    assert "2026-08-21 hf: 17 new, 0 updated, 0 unchanged, 0 rejected" in out
    for fixture in HF_DAYS:
        assert replay(content, fixture.stem) == 0
    assert tree(content) == first
    assert "2026-08-21 hf: 0 new, 0 updated, 17 unchanged, 0 rejected" in capsys.readouterr().out
    ids = {e["paper"]["id"] for f in HF_DAYS for e in hf_entries(f.stem)}
    assert len([k for k in first if k.endswith(".md")]) == len(ids)


def test_a_paper_featured_twice_is_one_file_with_both_days(content):
    replay(content, "2026-08-13")
    replay(content, "2026-08-19")
    files = list(content.rglob("2608.12313.md"))
    assert [f.relative_to(content).as_posix() for f in files] == ["papers/2026/08/13/2608.12313.md"]
    assert ContentStore(content).load("2608.12313").featured == ["2026-08-13", "2026-08-19"]


def test_upvotes_update_and_a_later_response_never_deletes(content, tmp_path):
    replay(content, "2026-08-21")
    entries = hf_entries("2026-08-21")
    entries[0]["paper"]["upvotes"] += 100
    later = tmp_path / "later.json"
    later.write_text(json.dumps(entries[:1]), encoding="utf-8")
    before = tree(content)
    assert replay(content, "2026-08-21", input_path=later) == 0
    after = tree(content)
    assert after.keys() == before.keys()
    changed = [k for k in after if after[k] != before[k]]
    assert changed == [f"papers/2026/08/21/{entries[0]['paper']['id']}.md"]
    assert ContentStore(content).load(entries[0]["paper"]["id"]).upvotes == entries[0]["paper"]["upvotes"]




def test_hostile_entries_are_rejected_or_stored_as_harmless_text(content, tmp_path, capsys, caplog):
    path, entries = hostile_day(tmp_path)
    assert replay(content, "2026-08-21", input_path=path) == 1
    captured = capsys.readouterr()
    assert "1 new, 0 updated, 0 unchanged, 2 rejected" in captured.out
    assert "rejected entry 1: id '../../../../tmp/pwned' is not an arXiv id" in caplog.text
    assert "rejected entry 3: 2608.20335: upvotes is '1; DROP TABLE'" in caplog.text
    assert "dropped githubRepo 'javascript:alert(1)'" in caplog.text
    assert not (tmp_path / "pwned").exists() and not list(tmp_path.parent.rglob("pwned*"))
    [stored] = content.rglob("*.md")
    assert stored.parent == content / "papers/2026/08/21"
    paper = ContentStore(content).load(entries[1]["paper"]["id"])
    assert paper.title == "Innocent status: draft save_as: ../../evil.html --- <script>alert(1)</script>"
    assert paper.github_repo is None
    assert "\u202e" not in paper.abstract and "\x00" not in paper.abstract
    header = stored.read_text(encoding="utf-8").split("\n---\n")[0]
    assert "\nstatus:" not in header and "\nsave_as:" not in header


def test_unparseable_input_exits_2_and_leaves_content_exactly_as_it_was(content, tmp_path, capsys):
    replay(content, "2026-08-20")
    before = tree(content)
    for body in ["<html>Bad Gateway</html>", '{"error": "x"}', '[{"paper": {"id": "x"}}]', ""]:
        bad = tmp_path / "bad.json"
        bad.write_text(body, encoding="utf-8")
        assert replay(content, "2026-08-21", input_path=bad) == 2
        assert "FAILED, nothing written" in capsys.readouterr().out
    assert replay(content, "2026-08-21", input_path=tmp_path / "missing.json") == 2
    assert tree(content) == before


def test_a_day_without_papers_says_so_and_exits_0(content, tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    assert replay(content, "2026-08-22", input_path=empty) == 0
    assert "no papers on Hugging Face Daily Papers for 2026-08-22" in capsys.readouterr().out
    assert tree(content) == {}


def test_argument_errors():
    with pytest.raises(SystemExit):
        fetch.parse_args(["--date", "2026-13-01"])
    with pytest.raises(SystemExit):
        fetch.parse_args(["--since", "2026-08-01", "--input", "x.json"])
    with pytest.raises(SystemExit):
        fetch.parse_args(["--until", "2026-08-01"])
    assert fetch.parse_args(["--since", "2026-08-30", "--until", "2026-09-02"]).days == ["2026-08-30", "2026-08-31", "2026-09-01", "2026-09-02"]




@responses.activate
def test_full_pages_are_followed_until_a_short_page():
    entries = hf_entries("2026-08-14") + hf_entries("2026-08-17") + hf_entries("2026-08-18")
    assert len(entries) > 50
    for page, start in enumerate(range(0, len(entries), 50)):
        responses.get(hf.DAILY_URL, json=entries[start : start + 50], match=[responses.matchers.query_param_matcher({"date": "2026-08-18", "limit": "50", "p": str(page)})])
    got, as_of = hf.fetch_day(PoliteClient(), "2026-08-18")
    assert len(got) == len(entries)
    assert TIMESTAMP_RE.match(as_of)
    assert all("paper-digest" in call.request.headers["User-Agent"] for call in responses.calls)


@responses.activate
def test_a_full_page_repeated_by_an_api_that_ignores_paging_stops():
    fifty = json.loads(hf_fixture("2025-09-30").read_text(encoding="utf-8"))
    assert len(fifty) == 50
    responses.get(hf.DAILY_URL, json=fifty)
    assert len(hf.fetch_day(PoliteClient(), "2025-09-30")[0]) == 50
    assert len(responses.calls) == 2


@responses.activate
def test_429_and_5xx_are_retried_honouring_retry_after():
    responses.get(hf.DAILY_URL, status=429, headers={"Retry-After": "7"})
    responses.get(hf.DAILY_URL, status=503)
    responses.get(hf.DAILY_URL, json=hf_entries("2026-08-21"))
    fake = FakeClock()
    client = PoliteClient(clock=fake.clock, sleep=fake.sleep, backoff=2.0)
    assert len(hf.fetch_day(client, "2026-08-21")[0]) == 17
    assert fake.sleeps == [7.0, 4.0]


@responses.activate
def test_retries_give_up_with_a_fetch_error_and_4xx_is_not_retried():
    responses.get(hf.DAILY_URL, status=500)
    fake = FakeClock()
    with pytest.raises(FetchError, match="HTTP 500 after 3 attempts"):
        PoliteClient(retries=2, clock=fake.clock, sleep=fake.sleep).get(hf.DAILY_URL)
    assert fake.sleeps == [2.0, 4.0]
    responses.replace(responses.GET, hf.DAILY_URL, status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        PoliteClient(clock=fake.clock, sleep=fake.sleep).get(hf.DAILY_URL)


@responses.activate
def test_an_unresolvable_host_fails_at_once_with_a_short_message():
    """Offline, a DNS failure is not retried, and the message says what happened in a
    line instead of urllib3's chain of wrapped errors."""
    import socket
    from types import SimpleNamespace

    import requests
    from urllib3.exceptions import MaxRetryError, NameResolutionError

    unresolved = NameResolutionError("huggingface.co", SimpleNamespace(host="huggingface.co"), socket.gaierror(-2, "Name or service not known"))
    responses.get(hf.DAILY_URL, body=requests.ConnectionError(MaxRetryError(None, hf.DAILY_URL, reason=unresolved)))
    fake = FakeClock()
    with pytest.raises(FetchError) as error:
        PoliteClient(clock=fake.clock, sleep=fake.sleep).get(hf.DAILY_URL)
    assert str(error.value) == f"{hf.DAILY_URL}: cannot resolve huggingface.co (no network, or no DNS)"
    assert fake.sleeps == [] and len(responses.calls) == 1
    # Any other connection failure is still retried.
    responses.replace(responses.GET, hf.DAILY_URL, body=requests.ConnectionError("connection reset"))
    with pytest.raises(FetchError, match="after 3 attempts"):
        PoliteClient(retries=2, clock=fake.clock, sleep=fake.sleep).get(hf.DAILY_URL)
    assert fake.sleeps == [2.0, 4.0]


def test_retry_after_as_an_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("garbage") is None


def test_min_interval_paces_requests_without_sleeping_for_real():
    fake = FakeClock()
    client = PoliteClient(min_interval=3.0, clock=fake.clock, sleep=fake.sleep)
    client._pace()
    fake.now += 1.0
    client._pace()
    client._pace()
    assert fake.sleeps == [2.0, 3.0]


@responses.activate
def test_a_range_shows_progress_and_a_rerun_skips_finished_days(content, capsys, monkeypatch):
    days = ["2026-08-17", "2026-08-18", "2026-08-19"]
    for day in days:
        responses.get(hf.DAILY_URL, json=hf_entries(day), match=[responses.matchers.query_param_matcher({"date": day, "limit": "50", "p": "0"})])
    responses.get(hf.DAILY_URL, status=500, match=[responses.matchers.query_param_matcher({"date": "2026-08-20", "limit": "50", "p": "0"})])
    monkeypatch.setattr(fetch, "PoliteClient", functools.partial(PoliteClient, sleep=lambda s: None))
    argv = ["--source", "hf", "--since", "2026-08-17", "--until", "2026-08-20", "--content", str(content)]
    assert fetch.main(argv) == 1
    out = capsys.readouterr().out
    assert "[1/4] 2026-08-17 hf: 23 new" in out and "[4/4] 2026-08-20 hf: FAILED" in out
    calls = len(responses.calls)
    assert fetch.main(argv) == 2  # the one day it tried failed again
    out = capsys.readouterr().out
    assert out.count("already complete, skipped") == 3
    assert len(responses.calls) == calls + 5  # only the failed day, retried
