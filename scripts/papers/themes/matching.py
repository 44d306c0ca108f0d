"""How papers match the paper themes of ``themes.yml`` (``papers.themes.taxonomy``).

Pure functions, no Pelican: the plugin, ``scripts/themes_report.py`` and other scripts share
them.  ``load_paper_themes(path)`` reads and validates the YAML (the format is documented
at the top of ``themes.yml``); ``match_paper_themes(paper, paper_themes)`` returns a paper's
best themes, each with a score and the reasons for it.

Matching works on tokens: runs of letters and digits, each other character but spaces and
hyphens a token of its own.  A phrase matches a run of whole tokens of the lowercased title,
``ai_keywords`` or abstract, so "RAG" never finds "storage" and a phrase never spans a comma
or a full stop; spaces and hyphens between words are interchangeable ("pre-training" finds
"pre training"), a multi-word phrase also finds its words written together ("pretraining"),
and a phrase finds its plural ("agent": "agents", "policy": "policies").  Where phrases
overlap the longest wins ("vision-language model" hides "language model").  Every distinct
phrase (or group of synonyms) found in a field adds that field's weight; one of the
theme's arXiv categories (an archive, "q-bio", stands for all of its categories) adds the
category weight once.  A theme whose exclude phrase appears anywhere in the paper is ruled
out.  A theme is kept when its score reaches its ``min_score``; the best ``MAX_THEMES`` are
kept, best first, an ``only_if_best`` theme only in first place.  A paper matching nothing
gets the catch-all theme.

All phrases of all themes go into one index (``PhraseIndex``), so a paper's text is
tokenised and looked up once whatever the number of themes; the work per token is done by
str and set methods, in C, rather than by Python steps (the archive's 8,600 papers in
about half a second).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict

from papers.themes.taxonomy import CATCH_ALL, MAX_THEMES, TEXT_FIELDS, PaperTheme, PaperThemeMatch

TOKEN_RE = re.compile(r"\w+|[^\w\s-]")
# The ASCII characters that are tokens of their own (not letters, digits, "_", spaces, "-"):
# str.translate tables keeping only them, and making each of them MARK and hyphens spaces.
ASCII_MARKS = "".join(ch for ch in map(chr, range(128)) if re.fullmatch(r"[^\w\s-]", ch))
ASCII_MARKS_ONLY = str.maketrans("", "", "".join(ch for ch in map(chr, range(128)) if ch not in ASCII_MARKS))
MARK = "\x00"  # stands for every mark (itself one, so never part of a word)
ASCII_MARKS_TO_MARK = str.maketrans({"-": " ", **{mark: MARK for mark in ASCII_MARKS}})


def tokens(text: str) -> list[str]:
    """The tokens ``TOKEN_RE`` finds in ``text`` lowercased."""
    text = text.lower()
    if not text.isascii():
        return TOKEN_RE.findall(text)
    # The same tokens from str methods, faster than the regex on ASCII text (almost every
    # paper): each mark spaced out, hyphens made spaces, then split on whitespace.
    for mark in set(text.translate(ASCII_MARKS_ONLY)):
        text = text.replace(mark, f" {mark} ")
    return text.replace("-", " ").split()


def words_and_marks(text: str) -> list[str]:
    """``tokens(text)``, but with each ASCII mark ("," "(" ...) as ``MARK``: faster still, and
    enough for phrases without marks, which find the same runs of tokens in either."""
    text = text.lower()
    if not text.isascii():
        return TOKEN_RE.findall(text)
    return text.translate(ASCII_MARKS_TO_MARK).replace(MARK, f" {MARK} ").split()


def phrase_variants(phrase: str) -> set[tuple[str, ...]]:
    """The token sequences a phrase matches: itself, its words run together, its plurals."""
    words = tuple(tokens(phrase))
    forms = {words}
    if len(words) > 1 and not any(map(is_mark, words)):
        forms.add(("".join(words),))
    variants = set(forms)
    for form in forms:
        *head, last = form
        if not last[-1].isalnum():
            continue
        if last.endswith(("s", "x", "z", "ch", "sh")):
            variants.add((*head, last + "es"))
        elif len(last) > 1 and last.endswith("y") and last[-2] not in "aeiou":
            variants.add((*head, last[:-1] + "ies"))
        else:
            variants.add((*head, last + "s"))
    return variants


class PhraseIndex:
    """Every phrase and exclude phrase of a list of themes, found in a text in few Python steps.

    Each synonym of each theme's phrase groups is a *hit*, numbered in (theme, group, synonym)
    order, so that sorting a text's hits sorts them the way their reasons are listed.  The
    token sequences of the phrases make a trie.  Only where a token starts a longer phrase is
    the trie walked, token by token; the one-token phrases, most of them, are found with set
    operations on the text's tokens (a text's tokens are mostly irrelevant: looking each up
    in Python was most of the cost).
    """

    def __init__(self, paper_themes):
        self.themes = [t for t in paper_themes if not t.is_catch_all]
        # text field -> hit -> (theme position, phrase group number, weight, reason)
        self.hits: dict[str, list[tuple[int, int, float, str]]] = {name: [] for name in TEXT_FIELDS}
        # first token -> token sequence -> the positions of the themes it excludes
        excludes: dict[str, dict[tuple[str, ...], list[int]]] = defaultdict(lambda: defaultdict(list))
        self.categories: dict[str, list[int]] = defaultdict(list)
        trie: dict[str, list] = {}  # token -> [hits of the sequence ending here, {next token: ...}]
        hit_numbers, group_numbers = itertools.count(), itertools.count()
        for position, theme in enumerate(self.themes):
            for synonyms in theme.rules.phrases:
                group = next(group_numbers)
                for phrase in synonyms:
                    hit = next(hit_numbers)
                    for name, field_hits in self.hits.items():
                        field_hits.append((position, group, theme.rules.weights[name], f'{name}: "{phrase}"'))
                    for variant in phrase_variants(phrase):
                        children = trie
                        for token in variant[:-1]:
                            children = children.setdefault(token, [[], {}])[1]
                        children.setdefault(variant[-1], [[], {}])[0].append(hit)
            for phrase in theme.rules.exclude:
                for variant in phrase_variants(phrase):
                    excludes[variant[0]][variant].append(position)
            for category in theme.rules.categories:
                self.categories[category].append(position)
        self.excludes = {token: dict(sequences) for token, sequences in excludes.items()}
        self.exclude_tokens = frozenset(self.excludes)
        # token -> the hits of it alone; token -> the rest of the trie after it
        self.single_hits = {token: tuple(hits) for token, (hits, _) in trie.items() if hits}
        self.single_tokens = frozenset(self.single_hits)
        self.longer = {token: freeze(children) for token, (_, children) in trie.items() if children}
        self.longer_tokens = frozenset(self.longer)
        # Every token of a phrase or exclude phrase; the texts are tokenised without telling
        # marks apart unless one of these is a mark ("C++").
        exclude_sequences = [sequence for sequences in self.excludes.values() for sequence in sequences]
        self.tokens = frozenset(itertools.chain(trie_tokens(trie), *exclude_sequences))
        self.tokenize = tokens if any(map(is_mark, self.tokens)) else words_and_marks

    def find(self, text: str) -> tuple[set[int], set[int]]:
        """The hits in ``text``, and the positions of the themes an exclude phrase in it rules out.

        Where phrases overlap the longest wins: "policy optimization" hides "optimization",
        "vision-language model" hides "language model" (phrases of the same length both count).
        That is: at each token the longest phrase starting there counts, unless it ends within
        a phrase counted at an earlier token.  Exclude phrases count wherever they are.
        """
        words = self.tokenize(text)
        present = self.tokens.intersection(words)
        found: set[int] = set()
        excluded: set[int] = set()
        if not present:
            return found, excluded
        blocked: set[int] = set()  # where a one-token phrase does not count
        walked = present & self.longer_tokens
        if walked:
            longer = self.longer
            words.append("")  # a token no phrase has, so every walk stops at the end
            reach = 0  # where the longer phrases counted so far end, at the furthest
            for start in itertools.compress(itertools.count(), map(walked.__contains__, words)):
                children = longer[words[start]]
                end = start + 1
                longest = None
                while words[end] in children:
                    hits, children = children[words[end]]
                    end += 1
                    if hits:
                        longest, longest_end = hits, end
                if longest is not None:
                    blocked.add(start)
                    if longest_end > reach:
                        found.update(longest)
                        blocked.update(range(start + 1, longest_end))
                        reach = longest_end
        singles = present & self.single_tokens
        if blocked:
            hidden = [words[position] for position in blocked]
            # A one-token phrase counts unless each of its occurrences is blocked.
            gone = [token for token in singles.intersection(hidden) if words.count(token) == hidden.count(token)]
            singles = singles.difference(gone)
        found.update(*map(self.single_hits.__getitem__, singles))
        for token in present & self.exclude_tokens:
            for sequence, positions in self.excludes[token].items():
                if present.issuperset(sequence) and occurs(sequence, words):
                    excluded.update(positions)
        return found, excluded


def freeze(children: dict[str, list]) -> dict[str, tuple]:
    """A trie level built as lists, as (hits, next level) tuples."""
    return {token: (tuple(hits), freeze(rest)) for token, (hits, rest) in children.items()}


def trie_tokens(trie: dict[str, list]):
    """Every token in a trie built as lists."""
    for token, (_, children) in trie.items():
        yield token
        yield from trie_tokens(children)


def is_mark(token: str) -> bool:
    return not (token[0].isalnum() or token[0] == "_")


def occurs(sequence: tuple[str, ...], words: list[str]) -> bool:
    """Whether ``sequence`` is a run of ``words``."""
    start = -1
    for _ in range(words.count(sequence[0])):
        start = words.index(sequence[0], start + 1)
        if tuple(words[start : start + len(sequence)]) == sequence:
            return True
    return False


@functools.lru_cache(maxsize=8)
def phrase_index(paper_themes: tuple[PaperTheme, ...]) -> PhraseIndex:
    return PhraseIndex(paper_themes)


def paper_texts(paper) -> dict[str, str]:
    """The text of each field of ``paper`` that phrases are matched in."""
    return {
        "title": paper.title,
        # Keywords joined by a token no phrase contains, so no phrase spans two of them.
        "keywords": " ; ".join(paper.ai_keywords or ()),
        "abstract": paper.abstract or "",
    }


def match_paper_themes(paper, paper_themes) -> list[PaperThemeMatch]:
    """The paper's themes, best first (ties in the given order), at most ``MAX_THEMES``.

    A paper matching no theme gets exactly one match: the catch-all of ``paper_themes``
    (``CATCH_ALL`` if the list has none).
    """
    index = phrase_index(tuple(paper_themes))
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    excluded: set[int] = set()
    for name, text in paper_texts(paper).items():
        hits, excluding = index.find(text)
        excluded |= excluding
        field_hits = index.hits[name]
        counted = None  # each group counts once, with the first of its synonyms found
        for hit in sorted(hits):
            position, group, weight, reason = field_hits[hit]
            if group != counted:
                counted = group
                scores[position] += weight
                reasons[position].append(reason)
    categorised: set[int] = set()  # a theme's categories count once, for the first one found
    for category in getattr(paper, "categories", None) or []:
        archive = category.split(".")[0]  # "q-bio" in a theme stands for every q-bio.* category
        for position in (*index.categories.get(category, ()), *index.categories.get(archive, ())):
            if position not in categorised:
                categorised.add(position)
                scores[position] += index.themes[position].rules.weights["categories"]
                reasons[position].append(f"category: {category}")
    ranked = [
        (position, score)
        for position, score in sorted(scores.items())
        if position not in excluded and score >= index.themes[position].rules.min_score
    ]
    if not ranked:
        catch_all = next((t for t in paper_themes if t.is_catch_all), CATCH_ALL)
        return [PaperThemeMatch(theme=catch_all, score=0, reasons=("matches no theme",))]
    ranked.sort(key=lambda item: -item[1])  # stable: equal scores keep the given order
    ranked = [item for rank, item in enumerate(ranked) if rank == 0 or not index.themes[item[0]].rules.only_if_best]
    return [
        PaperThemeMatch(theme=index.themes[position], score=score, reasons=tuple(reasons[position]))
        for position, score in ranked[:MAX_THEMES]
    ]
