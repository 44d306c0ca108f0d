"""The suggestions ``invoke themes-report`` makes for ``themes.yml`` (``papers.themes.suggestions``):
the n-grams frequent among "Other papers" and the phrases matches rest on alone."""

from __future__ import annotations

import textwrap

import pytest
from papers.model import Paper
from papers.store import ContentStore
from papers.themes import load_paper_themes, match_paper_themes
from papers.themes.suggestions import ABSTRACT_WEIGHT, CandidateTheme, SinglePhraseMatch, candidate_themes, ngrams, single_phrase_matches

from tests.helpers import script

THEMES = """\
    paper_themes:
      - name: Agents
        slug: agents
        description: Agents.
        phrases: [agent, tool use]
      - name: Data
        slug: data
        description: Datasets.
        phrases: [dataset]
        categories: [cs.DB]
"""

# (title, keywords, abstract, categories)
PAPERS = [
    ("Scaling agents with tool use", [], "", []),  # two phrases: not a single-phrase match
    ("A scaling dataset of protein structures", [], "", []),  # "dataset" alone
    ("The dataset", [], "A dataset.", ["cs.DB"]),  # "dataset" alone (title and abstract; categories aside)
    ("An agent for scaling", [], "", []),  # "agent" alone
    # Other papers: "protein folding" in a title, keywords and an abstract; "scaling" in a
    # title and keywords, but as frequent among the papers in a theme.
    ("Scaling Protein Folding in 2024", [], "We fold proteins.", []),
    ("Fast folding", ["protein folding", "graph colouring", "scaling"], "", []),
    ("Graph colouring heuristics", [], "Protein folding and graph colouring, in 2024 and 2025.", []),
]


def make_paper(number: int, title: str, keywords: list, abstract: str, categories: list) -> Paper:
    return Paper(
        arxiv_id=f"2608.{number:05d}", title=title, authors=["A. Author"], abstract=abstract, featured=["2026-08-21"],
        sources=["hf"], ai_keywords=keywords, categories=categories,
    )


@pytest.fixture
def themes_file(tmp_path):
    path = tmp_path / "themes.yml"
    path.write_text(textwrap.dedent(THEMES), encoding="utf-8")
    return path


@pytest.fixture
def papers():
    return [make_paper(number, *fields) for number, fields in enumerate(PAPERS, 1)]


@pytest.fixture
def matched(themes_file, papers):
    paper_themes = load_paper_themes(themes_file)
    return [(paper, match_paper_themes(paper, paper_themes)) for paper in papers]


def test_ngrams_are_lowercase_runs_of_one_to_three_words_within_punctuation():
    # Hyphens are spaces; "tool use for llms" is four words; nothing spans the comma.
    assert ngrams("Tool-Use for LLMs, in 2024: a survey") == {"tool", "use", "llms", "tool use", "use for llms", "survey"}


def test_ngrams_never_start_or_end_with_a_stop_word_nor_are_only_numbers():
    found = ngrams("The scaling of models in 2024 and 3 5 more")
    assert {"scaling", "models", "scaling of models", "more", "5 more"} <= found
    assert not {gram for gram in found if gram.split()[0] in {"the", "of", "in", "and"} or gram.split()[-1] in {"the", "of", "in", "and"}}
    assert "2024" not in found and "3 5" not in found and "3" not in found


def test_candidate_themes_count_the_other_papers_with_each_ngram(matched):
    other = [paper.title for paper, matches in matched if matches[0].theme.is_catch_all]
    assert other == ["Scaling Protein Folding in 2024", "Fast folding", "Graph colouring heuristics"]
    # "protein" and "folding" alone are as frequent as "protein folding" and left out;
    # "graph colouring" is in one paper's keywords and one's title and abstract (counted once
    # a paper, at its best); "scaling" is no more frequent than in the rest; numbers never count.
    assert candidate_themes(matched, 10) == [
        CandidateTheme(2 + ABSTRACT_WEIGHT, "protein folding"),
        CandidateTheme(2, "graph colouring"),
    ]
    assert candidate_themes(matched, 1) == [CandidateTheme(2 + ABSTRACT_WEIGHT, "protein folding")]
    # Without the papers in a theme to compare with, "scaling" would be a candidate.
    alone = [(paper, matches) for paper, matches in matched if matches[0].theme.is_catch_all]
    assert CandidateTheme(2, "scaling") in candidate_themes(alone, 10)


def test_single_phrase_matches_count_the_phrase_each_match_rests_on_alone(matched):
    assert single_phrase_matches(matched, 10) == [SinglePhraseMatch(2, "data", "dataset"), SinglePhraseMatch(1, "agents", "agent")]
    assert single_phrase_matches(matched, 1) == [SinglePhraseMatch(2, "data", "dataset")]


def test_the_report_prints_both_lists_unless_told_not_to(themes_file, papers, tmp_path, capsys):
    content = tmp_path / "content"
    store = ContentStore(content)
    for paper in papers:
        store.save(paper)
    themes_report = script("themes_report")
    argv = ["--corpus", str(content), "--themes", str(themes_file), "--min-real-share", "0", "--max-theme-share", "1"]
    assert themes_report.main(argv) == 0
    out = capsys.readouterr().out
    sections = out[out.index("candidate themes") :].split("\n\n")
    assert sections[0].splitlines()[2:] == ["  2.25  protein folding", "     2  graph colouring"]
    assert sections[1].splitlines()[1:] == ["     2  dataset  (data)", "     1  agent  (agents)"]
    assert themes_report.main([*argv, "--suggestions", "0"]) == 0
    assert "candidate" not in capsys.readouterr().out
