"""The archives for scale work (papers.corpus): a day of arXiv's listings is read by the
project's own arXiv parser, through the API feed ``arxiv_listing_feed`` writes of it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from papers.corpus import arxiv_listing_feed, is_arxiv_listing, read_days
from papers.sources.arxiv_feeds import parse_response

from tests.helpers import script

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "arxiv_listing" / "two_days.jsonl"
DAYS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def papers_of(day: dict) -> list:
    return [entry.paper for entry in parse_response(arxiv_listing_feed(day["papers"]), day["date"]).entries]


def test_a_listing_day_reads_as_the_arxiv_api_would_give_it():
    day = DAYS[0]
    assert is_arxiv_listing(day) and not is_arxiv_listing({"date": day["date"], "response": []})
    papers = papers_of(day)
    assert [p.arxiv_id for p in papers] == [r["id"] for r in day["papers"]]  # listed twice: twice here too
    for paper, record in zip(papers, day["papers"]):
        assert paper.title == " ".join(record["title"].split())
        assert paper.authors == record["authors"]
        assert paper.categories == record["categories"]  # the first one primary, as listed
        assert paper.featured == [day["date"]] and paper.sources == ["arxiv"]
        assert paper.arxiv_comment == (" ".join(record["comment"].split()) if record["comment"] else None)
        # arXiv's hard line wraps are undone; the words stay.
        assert paper.abstract.split() == record["summary"].split() and "\n" not in paper.abstract.strip()
    assert any("$" in p.abstract for p in papers)  # TeX stays for the renderer


def test_hostile_and_mistyped_records_are_text_or_rejected_never_markup():
    records = [
        {**DAYS[0]["papers"][1], "id": "2503.00001", "title": "A </title><summary>not a summary</summary> & <b>co</b>"},
        {**DAYS[0]["papers"][1], "id": "2503.00002", "authors": "not a list", "categories": [3, "cs.CL"], "comment": 7},
        {**DAYS[0]["papers"][1], "id": "../../etc/passwd"},
        "not a record",
    ]
    feed = parse_response(arxiv_listing_feed(records), "2025-03-18")
    papers = {entry.paper.arxiv_id: entry.paper for entry in feed.entries}
    assert papers["2503.00001"].title == "A </title><summary>not a summary</summary> & <b>co</b>"
    assert papers["2503.00002"].categories == ["cs.CL"] and papers["2503.00002"].arxiv_comment is None
    assert len(feed.rejected) == 1 and "passwd" in feed.rejected[0]


def test_the_themes_report_reads_an_arxiv_listing_archive_a_record_per_paper(tmp_path, capsys):
    archive = tmp_path / "listing.jsonl.gz"
    with gzip.open(archive, "wt", encoding="utf-8") as f:
        for day in DAYS:
            f.write(json.dumps(day) + "\n")
    assert [day["date"] for day in read_days(archive)] == ["2025-03-18", "2025-03-20"]
    papers = script("themes_report").read_archive(archive)
    assert sorted(p.arxiv_id for p in papers) == sorted({r["id"] for day in DAYS for r in day["papers"]})
    script("themes_report").main(["--corpus", str(archive), "--examples", "0", "--suggestions", "0"])
    assert f"{len(papers)} papers from {archive}" in capsys.readouterr().out


@pytest.mark.parametrize("day", DAYS, ids=[day["date"] for day in DAYS])
def test_every_fixture_record_is_a_paper(day):
    assert len(papers_of(day)) == len(day["papers"])
