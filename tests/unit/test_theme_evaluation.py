"""The paper themes scored against papers labelled by hand (papers.themes.evaluation), and
the committed evaluation set itself (tests/fixtures/theme_labels/)."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from papers.themes import load_paper_themes
from papers.themes.evaluation import evaluate, read_labelled
from tests.helpers import ROOT, script

LABELS = ROOT / "tests" / "fixtures" / "theme_labels"
EVALUATION_SET = LABELS / "evaluation_set.jsonl"
themes_report = script("themes_report")


def taxonomy_slugs() -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", (LABELS / "TAXONOMY.md").read_text(encoding="utf-8"), re.M))


def labelled_file(tmp_path, records) -> str:
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def record(arxiv_id, title, themes, split="tune", source="arxiv", **fields):
    return {"id": arxiv_id, "source": source, "split": split, "title": title, "abstract": "", "themes": themes, **fields}


@pytest.fixture
def small_themes(tmp_path):
    path = tmp_path / "themes.yml"
    path.write_text(textwrap.dedent("""\
        paper_themes:
          - name: Graphs
            slug: graphs
            description: Graph learning.
            phrases: [graph neural network]
          - name: Speech
            slug: speech
            description: Speech.
            phrases: [speech recognition]
        """), encoding="utf-8")
    return load_paper_themes(path)


def test_precision_recall_and_coverage_count_themes_as_a_reader_would(tmp_path, small_themes):
    labelled = read_labelled(labelled_file(tmp_path, [
        record("2601.00001", "Graph neural network pooling", ["graphs"]),  # right
        record("2601.00002", "Graph neural network for speech recognition", ["speech"]),  # one right, one wrong
        record("2601.00003", "Protein folding", ["science"]),  # missed, not covered
        record("2601.00004", "Nothing to see", []),  # rightly in no theme
    ]))
    scores = evaluate(labelled, small_themes)
    assert (scores.given, scores.right, scores.labelled, scores.found) == (3, 2, 3, 2)
    assert scores.precision == pytest.approx(2 / 3) and scores.recall == pytest.approx(2 / 3)
    assert scores.coverage == 0.5 and scores.arxiv_coverage == 0.5
    assert {(m.kind, m.arxiv_id, m.slug) for m in scores.mistakes} == {("wrong", "2601.00002", "graphs"), ("missed", "2601.00003", "science")}
    wrong = next(m for m in scores.mistakes if m.kind == "wrong")
    assert wrong.reasons and "graph neural network" in " ".join(wrong.reasons)
    assert scores.per_theme["graphs"] == {"given": 2, "right": 1, "labelled": 1}


def test_a_bad_record_is_named_by_its_line(tmp_path):
    path = labelled_file(tmp_path, [record("2601.00001", "A", []), {"id": "2601.00002", "split": "tune"}])
    with pytest.raises(ValueError, match=r"labelled\.jsonl:2: KeyError"):
        read_labelled(path)
    path = labelled_file(tmp_path, [record("2601.00001", "A", [], split="train")])
    with pytest.raises(ValueError, match=r":1: .*split 'train'"):
        read_labelled(path)


def test_the_report_scores_the_splits_and_fails_below_the_targets(tmp_path, small_themes, capsys):
    themes_file = tmp_path / "themes.yml"
    path = labelled_file(tmp_path, [
        record("2601.00001", "Graph neural network pooling", ["graphs"], split="test"),
        record("2601.00002", "Speech recognition at scale", ["speech"], split="test"),
        record("2601.00003", "Graph neural network for speech recognition", ["speech"]),
    ])
    corpus = ROOT / "content"
    args = ["--corpus", str(corpus), "--themes", str(themes_file), "--min-real-share", "0", "--max-theme-share", "1", "--labels", str(path)]
    assert themes_report.main(args) == 0  # the test split is all right; the tune split's mistake is listed
    out = capsys.readouterr().out
    assert re.search(r"^test +2 +100\.0% +100\.0% +100\.0% +100\.0%$", out, re.M)
    assert "2601.00003 graphs: Graph neural network for speech recognition" in out
    labelled_file(tmp_path, [
        record("2601.00001", "Graph neural network pooling", ["graphs"], split="test"),
        record("2601.00002", "Speech recognition at scale", ["graphs"], split="test"),  # labelled otherwise
    ])
    assert themes_report.main(args) == 1
    assert "FAIL: test split: precision 50.0%" in capsys.readouterr().err


def test_the_committed_evaluation_set():
    """At least 300 real papers, half arXiv's own with no keywords, a quarter kept aside, each
    labelled with themes of the taxonomy, none of them from the bundled content."""
    labelled = read_labelled(EVALUATION_SET)
    ids = [item.paper.arxiv_id for item in labelled]
    assert len(ids) >= 300 and len(set(ids)) == len(ids)
    arxiv_only = [item for item in labelled if item.paper.sources == ["arxiv"]]
    assert len(arxiv_only) >= len(labelled) / 2 and all(not item.paper.ai_keywords for item in arxiv_only)
    assert sum(item.split == "test" for item in labelled) >= len(labelled) / 4
    slugs = taxonomy_slugs()
    assert len(slugs) > 20
    for item in labelled:
        assert set(item.themes) <= slugs, (item.paper.arxiv_id, item.themes)
        assert item.paper.title and item.paper.abstract
    bundled = {path.stem for path in (ROOT / "content").rglob("*.md")}
    assert not bundled & set(ids)
