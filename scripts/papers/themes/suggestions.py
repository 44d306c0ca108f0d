"""What to change in ``themes.yml`` next: suggestions for ``scripts/themes_report.py``.

Both functions take the papers with their matches, ``[(paper, match_paper_themes(paper,
paper_themes)), ...]``, so that the report matches each paper once.

- ``candidate_themes``: the word n-grams (one to three words) most frequent among the papers
  in the catch-all "Other papers": topics no theme covers yet, or phrases a theme lacks.
  Each counts the papers it is in (document frequency, not occurrences): one for a paper
  with it in its title or keywords, ``ABSTRACT_WEIGHT`` for one with it in its abstract only;
  only those ``DISTINCTIVE`` times as frequent there as in the other papers are listed.
- ``single_phrase_matches``: the phrases that are, most often, the only phrase a match rests
  on (every phrase reason of the match names it; categories aside): generic words that file
  papers alone ("dataset", "LLM"), candidates for an exclusion or for being made a phrase
  that counts only beside another.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from lunr.stop_word_filter import WORDS as STOP_WORDS

from papers.themes.explain import parse_phrase_reason

MAX_WORDS = 3
ABSTRACT_WEIGHT = 0.25  # an n-gram in the abstract only says less of what a paper is about
MIN_PAPERS = 2  # an n-gram of one paper is that paper's, not a topic
DISTINCTIVE = 3  # how many times as frequent among Other papers as among the rest a topic is
# Hyphens are spaces, as in matching ("tool-use" is "tool use"); an n-gram never spans
# other punctuation, nor two keywords.
SEGMENT_BREAK_RE = re.compile(r"[^\w\s'’]|_")
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


class CandidateTheme(NamedTuple):
    papers: float  # Other papers with it: 1 each in the title or keywords, ABSTRACT_WEIGHT in the abstract only
    phrase: str


class SinglePhraseMatch(NamedTuple):
    matches: int  # matches of the theme resting on this phrase alone
    slug: str
    phrase: str


def ngrams(text: str) -> set[str]:
    """The 1- to ``MAX_WORDS``-word n-grams of ``text``, lowercased, neither starting nor ending
    with a stop word, nor made of numbers only."""
    found = set()
    for segment in SEGMENT_BREAK_RE.split(text.lower().replace("-", " ")):
        words = WORD_RE.findall(segment)
        edge = [word not in STOP_WORDS for word in words]  # may start or end an n-gram
        # Grown a word at a time rather than sliced and joined: every abstract of the
        # archive goes through here.
        for start in range(len(words)):
            if not edge[start]:
                continue
            gram, numbers = words[start], words[start].isdigit()
            if not numbers:
                found.add(gram)
            for end in range(start + 1, min(start + MAX_WORDS, len(words))):
                gram, numbers = f"{gram} {words[end]}", numbers and words[end].isdigit()
                if edge[end] and not numbers:
                    found.add(gram)
    return found


def candidate_themes(matched, limit: int) -> list[CandidateTheme]:
    """The ``limit`` n-grams most frequent among the papers of the catch-all (module docstring).

    Only n-grams at least ``DISTINCTIVE`` times as frequent there as among the papers in a
    real theme count: the words of every paper ("models", "training", "propose") are nobody's
    topic.  And an n-gram as frequent as a longer one holding it is left out: "augmented
    generation" says nothing "retrieval augmented generation" does not.
    """
    other = [paper for paper, matches in matched if matches[0].theme.is_catch_all]
    themed = [paper for paper, matches in matched if not matches[0].theme.is_catch_all]
    in_other = paper_counts(other)
    frequent = {gram: count for gram, count in in_other.items() if count >= MIN_PAPERS}
    in_themed = paper_counts(themed, frequent.keys())

    def distinctive(gram: str) -> bool:
        # count / len(other) >= DISTINCTIVE * (its count among the themed papers) / len(themed)
        return frequent[gram] * len(themed) >= DISTINCTIVE * len(other) * in_themed[gram]

    covered = {part for gram, count in frequent.items() for part in contiguous_parts(gram) if frequent.get(part) == count}
    kept = [(gram, count) for gram, count in frequent.items() if gram not in covered and distinctive(gram)]
    ranked = sorted(kept, key=lambda item: (-item[1], item[0]))
    return [CandidateTheme(count, gram) for gram, count in ranked[:limit]]


def paper_counts(papers, only=None) -> Counter[str]:
    """How many of ``papers`` have each n-gram (of ``only``, if given): 1 for a paper with it in
    its title or keywords, ``ABSTRACT_WEIGHT`` for one with it in its abstract only."""
    counts: Counter[str] = Counter()
    for paper in papers:
        strong = ngrams(paper.title).union(*map(ngrams, paper.ai_keywords or ()))
        weak = ngrams(paper.abstract or "") - strong
        if only is not None:
            strong, weak = strong.intersection(only), weak.intersection(only)
        counts.update(dict.fromkeys(strong, 1.0))
        counts.update(dict.fromkeys(weak, ABSTRACT_WEIGHT))
    return counts


def contiguous_parts(gram: str) -> list[str]:
    """The shorter runs of words of an n-gram: "a b c" has "a", "b", "c", "a b", "b c"."""
    words = gram.split(" ")
    return [" ".join(words[start:end]) for start in range(len(words)) for end in range(start + 1, len(words) + 1) if end - start < len(words)]


def single_phrase_matches(matched, limit: int) -> list[SinglePhraseMatch]:
    """The ``limit`` (theme, phrase) pairs most often the only phrase of a match (module docstring)."""
    counts: Counter[tuple[str, str]] = Counter()
    for _, matches in matched:
        for match in matches:
            phrases = {parsed[1] for parsed in map(parse_phrase_reason, match.reasons) if parsed}
            if len(phrases) == 1:
                counts[match.theme.slug, phrases.pop()] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [SinglePhraseMatch(count, slug, phrase) for (slug, phrase), count in ranked[:limit]]
