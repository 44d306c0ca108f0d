"""How well the paper themes match papers labelled by hand: precision, recall, coverage.

The evaluation set (``tests/fixtures/theme_labels/evaluation_set.jsonl``, one JSON object a
line) holds real papers drawn at random from the shared archives, half of them arXiv's with
no Hugging Face keywords, each read and labelled with the themes a reader would file it
under (``TAXONOMY.md`` beside it; ``[]`` for none) and put in the ``tune`` split (for
designing the rules) or the ``test`` split (kept aside).  ``evaluate`` matches each paper as
the site does and counts, overall and per theme:

- precision: the share of the themes the site gives that the labels give too;
- recall: the share of the labelled themes the site gives;
- coverage: the share of papers the site puts in a real theme (not "Other papers").
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from papers.model import Paper
from papers.themes.matching import match_paper_themes

SPLITS = ("tune", "test")


@dataclass(frozen=True)
class LabelledPaper:
    paper: Paper
    split: str  # "tune" or "test"
    themes: tuple[str, ...]  # the labels, most central first; () for none
    note: str = ""


def read_labelled(path: Path) -> list[LabelledPaper]:
    """The evaluation set; ``ValueError`` naming the line for a record it cannot use."""
    out = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        try:
            record = json.loads(line)
            paper = Paper(
                arxiv_id=record["id"], title=record["title"], authors=[], abstract=record["abstract"], featured=["2026-01-01"],
                sources=[record["source"]], categories=list(record.get("categories", [])), ai_keywords=list(record.get("keywords", [])),
            )
            if record["split"] not in SPLITS:
                raise ValueError(f"split {record['split']!r} is not one of {SPLITS}")
            out.append(LabelledPaper(paper, record["split"], tuple(record["themes"]), record.get("note", "")))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: {type(exc).__name__}: {exc}") from exc
    return out


@dataclass(frozen=True)
class Mistake:
    kind: str  # "wrong" (given, not labelled) or "missed" (labelled, not given)
    arxiv_id: str
    title: str
    slug: str
    reasons: tuple[str, ...]  # why the site gave it (for "wrong"), or what the site gave instead


@dataclass
class Scores:
    papers: int = 0
    given: int = 0  # real themes the site gave
    right: int = 0  # of those, labelled too
    labelled: int = 0
    found: int = 0  # labelled themes the site gave
    covered: int = 0  # papers the site put in a real theme
    arxiv_only: int = 0
    arxiv_covered: int = 0
    per_theme: dict[str, Counter] = field(default_factory=dict)  # slug -> given, right, labelled, found
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _share(self.right, self.given)

    @property
    def recall(self) -> float:
        return _share(self.found, self.labelled)

    @property
    def coverage(self) -> float:
        return _share(self.covered, self.papers)

    @property
    def arxiv_coverage(self) -> float:
        return _share(self.arxiv_covered, self.arxiv_only)


def _share(part: int, whole: int) -> float:
    """``part / whole``; 1.0 of nothing (no theme given is no wrong theme)."""
    return part / whole if whole else 1.0


def evaluate(labelled: list[LabelledPaper], paper_themes) -> Scores:
    """The site's paper themes for each labelled paper against its labels."""
    scores = Scores()
    for item in labelled:
        matches = [m for m in match_paper_themes(item.paper, paper_themes) if not m.theme.is_catch_all]
        given = {m.theme.slug: m for m in matches}
        expected = set(item.themes)
        scores.papers += 1
        scores.covered += bool(given)
        if "hf" not in item.paper.sources:
            scores.arxiv_only += 1
            scores.arxiv_covered += bool(given)
        scores.given += len(given)
        scores.right += len(given.keys() & expected)
        scores.labelled += len(expected)
        scores.found += len(given.keys() & expected)
        for slug in given.keys() | expected:
            counts = scores.per_theme.setdefault(slug, Counter())
            counts["given"] += slug in given
            counts["labelled"] += slug in expected
            counts["right"] += slug in given and slug in expected
        for slug, match in given.items():
            if slug not in expected:
                scores.mistakes.append(Mistake("wrong", item.paper.arxiv_id, item.paper.title, slug, tuple(match.reasons)))
        for slug in expected - given.keys():
            scores.mistakes.append(Mistake("missed", item.paper.arxiv_id, item.paper.title, slug, tuple(given) or ("Other papers",)))
    return scores
