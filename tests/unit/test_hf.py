"""Parsing real Hugging Face Daily Papers responses, quirks included (tests/fixtures/README.md)."""

import copy

import pytest
from papers.errors import Rejected, SourceError
from papers.sources import hf

from tests.helpers import HF_DAYS, hf_entries


@pytest.mark.parametrize("fixture", HF_DAYS, ids=lambda p: p.stem)
def test_every_recorded_day_parses_without_rejections(fixture):
    entries = hf_entries(fixture.stem)
    papers, rejected, warnings = hf.parse_entries(entries, fixture.stem)
    assert rejected == [] and warnings == []
    assert len(papers) == len({e["paper"]["id"] for e in entries})
    for paper in papers:
        assert paper.title and paper.authors and paper.abstract
        assert paper.featured == [fixture.stem] and paper.sources == ["hf"]


def _by_id(day):
    papers, _, _ = hf.parse_entries(hf_entries(day), day)
    return {p.arxiv_id: p for p in papers}


def test_title_keeps_latex_from_the_top_level_title():
    paper = next(p for p in _by_id("2024-06-21").values() if "DFT" in p.title)
    assert paper.title.startswith("$\\nabla^2$DFT: A Universal")
    assert "\n" not in paper.title


def test_paper_title_is_unwrapped_when_it_is_the_only_title():
    entry = copy.deepcopy(hf_entries("2024-03-20")[0])
    del entry["title"]
    paper, _ = hf.parse_entry(entry, "2024-03-20")
    assert paper.title == "mPLUG-DocOwl 1.5: Unified Structure Learning for OCR-free Document Understanding"


def test_hidden_authors_stay_in_the_author_list_in_order():
    paper = _by_id("2026-07-21")["2607.18227"]
    assert len(paper.authors) == 3
    assert paper.authors[0] == hf_entries("2026-07-21")[[e["paper"]["id"] for e in hf_entries("2026-07-21")].index("2607.18227")]["paper"]["authors"][0]["name"]


def test_2024_schema_takes_the_thumbnail_from_media_url():
    paper = _by_id("2024-03-20")["2403.12895"]
    assert paper.thumbnail == "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2403.12895.png"
    assert paper.published == "2024-03-19" and paper.num_comments == 1
    assert paper.ai_summary is None and paper.ai_keywords == [] and paper.github_repo is None


def test_2026_schema_fields():
    paper = _by_id("2026-08-21")["2608.19880"]
    assert paper.github_repo == "https://github.com/google-research/envharness"
    assert paper.github_stars == 8 and paper.upvotes == 163
    assert paper.project_page == "https://envharness.com/"
    assert paper.organization == "Google" and paper.organization_url == "https://huggingface.co/google"
    assert paper.ai_summary.startswith("EnvHarness and EnvRigger") and "co-evolution" in paper.ai_keywords


def test_same_day_snapshots_without_ai_summary_parse():
    assert all(p.ai_summary is None for p in _by_id("2026-07-31").values())


def _entry(**paper_fields):
    entry = copy.deepcopy(hf_entries("2026-08-21")[0])
    entry["paper"].update(paper_fields)
    return entry


@pytest.mark.parametrize(
    "fields,reason",
    [
        ({"id": "../../../etc/passwd"}, "not an arXiv id"),
        ({"id": "not-arxiv-123"}, "not an arXiv id"),
        ({"upvotes": "many"}, "upvotes"),
        ({"authors": "A. Author"}, "authors is not a list"),
        ({"summary": ["x"]}, "abstract is list"),
    ],
)
def test_bad_entries_are_rejected_with_a_reason_naming_them(fields, reason):
    with pytest.raises(Rejected, match=reason):
        hf.parse_entry(_entry(**fields), "2026-08-21")


def test_an_empty_title_is_rejected():
    entry = _entry(title="  \n ")
    entry["title"] = "\u200b"
    with pytest.raises(Rejected, match="2608.19880: empty title"):
        hf.parse_entry(entry, "2026-08-21")


def test_non_http_links_are_dropped_with_a_warning():
    paper, warnings = hf.parse_entry(_entry(githubRepo="javascript:alert(1)", projectPage="data:text/html,x"), "2026-08-21")
    assert paper.github_repo is None and paper.project_page is None
    assert len(warnings) == 2 and "javascript:alert(1)" in warnings[0]


def test_a_response_that_is_not_a_list_is_a_source_error():
    with pytest.raises(SourceError, match="not JSON"):
        hf.decode_response("<html>502 Bad Gateway</html>")
    with pytest.raises(SourceError, match="expected a list"):
        hf.decode_response('{"error": "rate limited"}')
