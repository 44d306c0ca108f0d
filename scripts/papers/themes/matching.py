"""How papers match the paper themes of ``themes.yml`` (``papers.themes.taxonomy``).

Pure functions, no Pelican: the plugin, ``scripts/themes_report.py`` and other scripts share
them.  ``load_paper_themes(path)`` reads and validates the YAML (the format is documented
at the top of ``themes.yml``); ``match_paper_themes(paper, paper_themes)`` returns a paper's
best themes, each with a score and the reasons for it.

Matching works on tokens: runs of letters and digits, each other character but spaces and
hyphens a token of its own, each word compared by its forms (``papers.themes.wordforms``:
the same Porter stem, lunr's, and an inflection): "agent" finds "agents", "evaluate" finds
"Evaluating", "policy" finds "policies", "optimizer" never finds "optimal".  A phrase matches a run of whole tokens of the lowercased title, ``ai_keywords``
or abstract, so "RAG" never finds "storage" and a phrase never spans a comma or a full stop;
spaces and hyphens between words are interchangeable ("pre-training" finds "pre training"),
and a multi-word phrase also finds its words written together ("pretraining").  Where two
phrases of the same theme overlap the longest wins ("policy optimization" hides
"optimization"); a phrase of another theme is not hidden ("knowledge graph" in one theme
leaves "graph" to another).  Every distinct phrase (or group of synonyms) found in a field
adds that field's weight; a *supporting* phrase adds it only when one of the theme's own
phrases or categories was found too (words that mean the topic only beside it: "features"
for interpretability); an *ignored* phrase adds nothing and hides the theme's
shorter phrases inside it ("spatial reasoning" is not Reasoning's "reasoning"); one of the
theme's arXiv categories (an archive, "q-bio", stands for all of its categories) adds the
category weight once.  A theme whose exclude phrase appears
anywhere in the paper is ruled out.  A theme is kept when its score reaches its
``min_score``; the best ``MAX_THEMES`` are kept, best first, an ``only_if_best`` theme only
in first place.  Equal scores go to the more specific theme: one that is not
``only_if_best``, then the one whose longest phrase found has more words, then file order.
A paper matching nothing gets the catch-all theme.

All phrases of all themes go into one index (``PhraseIndex``), so a paper's text is
tokenised and looked up once whatever the number of themes; the work per token is done by
str and set methods, in C, rather than by Python steps (the archive's 8,600 papers in
about two seconds).
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from typing import NamedTuple

from papers.themes.taxonomy import CATCH_ALL, MAX_THEMES, TEXT_FIELDS, PaperTheme, PaperThemeMatch
from papers.themes.wordforms import TOKEN_RE, WordForms, is_mark, tokens, words_and_marks

def phrase_variants(phrase: str) -> set[tuple[str, ...]]:
    """The word sequences a phrase matches (each word standing for its forms): its words,
    and its words run together."""
    words = tuple(tokens(phrase))
    variants = {words}
    if len(words) > 1 and not any(map(is_mark, words)):
        variants.add(("".join(words),))
    return variants


class Hit(NamedTuple):
    """One synonym of one phrase group of a theme, as found in one field."""

    theme: int  # position among the themes
    group: int  # phrase group, numbered over all themes
    weight: float
    reason: str  # e.g. 'title: "agent"'
    supporting: bool  # counts only beside one of the theme's own phrases or categories
    ignored: bool  # counts for nothing: it only hides the theme's shorter phrases inside it
    words: int  # how many words the phrase has: the more, the more specific


class PhraseIndex:
    """Every phrase and exclude phrase of a list of themes, found in a text in few Python steps.

    Each synonym of each theme's phrase groups is a *hit*, numbered in (theme, group, synonym)
    order, so that sorting a text's hits sorts them the way their reasons are listed.  The
    word sequences of the phrases (each word as its form) make a trie.  Only where a word
    starts a longer phrase is the trie walked, word by word; the one-word phrases, most of
    them, are found with set operations on the text's words (a text's words are mostly
    irrelevant: looking each up in Python was most of the cost).
    """

    def __init__(self, paper_themes):
        self.themes = [t for t in paper_themes if not t.is_catch_all]
        every_phrase = [p for t in self.themes for g in (*t.rules.phrases, *t.rules.supporting, t.rules.ignore, t.rules.exclude) for p in g]
        acronyms = {word.lower() for phrase in every_phrase for word in TOKEN_RE.findall(phrase) if len(word) > 1 and word.isupper()}
        self.forms = WordForms((word for phrase in every_phrase for variant in phrase_variants(phrase) for word in variant), acronyms)
        # text field -> hit number -> Hit
        self.hits: dict[str, list[Hit]] = {name: [] for name in TEXT_FIELDS}
        # first word -> word sequence -> the positions of the themes it excludes
        excludes: dict[str, dict[tuple[str, ...], list[int]]] = defaultdict(lambda: defaultdict(list))
        self.categories: dict[str, list[int]] = defaultdict(list)
        trie: dict[str, list] = {}  # word -> [hits of the sequence ending here, {next word: ...}]
        hit_numbers, group_numbers = itertools.count(), itertools.count()
        for position, theme in enumerate(self.themes):
            groups = [(synonyms, False, False) for synonyms in theme.rules.phrases]
            groups += [(synonyms, True, False) for synonyms in theme.rules.supporting]
            groups += [((phrase,), False, True) for phrase in theme.rules.ignore]
            for synonyms, supporting, ignored in groups:
                group = next(group_numbers)
                for phrase in synonyms:
                    hit = next(hit_numbers)
                    size = len([t for t in tokens(phrase) if not is_mark(t)])
                    for name, field_hits in self.hits.items():
                        field_hits.append(Hit(position, group, theme.rules.weights[name], f'{name}: "{phrase}"', supporting, ignored, size))
                    for variant in self.variants(phrase):
                        children = trie
                        for token in variant[:-1]:
                            children = children.setdefault(token, [[], {}])[1]
                        children.setdefault(variant[-1], [[], {}])[0].append(hit)
            for phrase in theme.rules.exclude:
                for variant in self.variants(phrase):
                    excludes[variant[0]][variant].append(position)
            for category in theme.rules.categories:
                self.categories[category].append(position)
        self.hit_theme = [hit.theme for hit in self.hits[TEXT_FIELDS[0]]]  # hit number -> theme position
        self.excludes = {token: dict(sequences) for token, sequences in excludes.items()}
        self.exclude_tokens = frozenset(self.excludes)
        # word -> the hits of it alone; word -> the rest of the trie after it
        self.single_hits = {token: tuple(hits) for token, (hits, _) in trie.items() if hits}
        self.single_tokens = frozenset(self.single_hits)
        self.longer = {token: freeze(children) for token, (_, children) in trie.items() if children}
        self.longer_tokens = frozenset(self.longer)
        # Every word of a phrase or exclude phrase (as its form); the texts are tokenised without telling
        # marks apart unless one of these is a mark ("C++").
        exclude_sequences = [sequence for sequences in self.excludes.values() for sequence in sequences]
        self.tokens = frozenset(itertools.chain(trie_tokens(trie), *exclude_sequences))
        self.tokenize = tokens if any(map(is_mark, self.tokens)) else words_and_marks

    def variants(self, phrase: str) -> set[tuple[str, ...]]:
        """``phrase_variants(phrase)``, each word as the phrase word it is a form of."""
        return {tuple(self.word_forms(variant)) for variant in phrase_variants(phrase)}

    def word_forms(self, words) -> list[str]:
        """Each word as the phrase word it is a form of (``WordForms``)."""
        return list(map(self.forms.__getitem__, words))

    def find(self, text: str) -> tuple[set[int], set[int]]:
        """The hits in ``text``, and the positions of the themes an exclude phrase in it rules out.

        Where phrases of one theme overlap the longest wins: "policy optimization" hides
        "optimization" (phrases of the same length both count).  That is: for each theme, at
        each token the theme's longest phrase starting there counts, unless it ends within
        one of its phrases counted at an earlier token.  Other themes' phrases are not
        hidden.  Exclude phrases count wherever they are.
        """
        words = self.word_forms(self.tokenize(text))
        present = self.tokens.intersection(words)
        found: set[int] = set()
        excluded: set[int] = set()
        if not present:
            return found, excluded
        # theme -> where its one-token phrases do not count
        blocked: dict[int, set[int]] = defaultdict(set)
        walked = present & self.longer_tokens
        if walked:
            longer, hit_theme = self.longer, self.hit_theme
            words.append("")  # a token no phrase has, so every walk stops at the end
            reach: dict[int, int] = defaultdict(int)  # theme -> where its counted phrases end
            for start in itertools.compress(itertools.count(), map(walked.__contains__, words)):
                children = longer[words[start]]
                end = start + 1
                ends = []  # (end, hits) of the phrases starting here, shortest first
                while words[end] in children:
                    hits, children = children[words[end]]
                    end += 1
                    if hits:
                        ends.append((end, hits))
                if not ends:
                    continue
                longest: dict[int, tuple[int, list[int]]] = {}  # theme -> (end, its hits there)
                for phrase_end, hits in reversed(ends):
                    for hit in hits:
                        theme_longest = longest.setdefault(hit_theme[hit], (phrase_end, []))
                        if theme_longest[0] == phrase_end:
                            theme_longest[1].append(hit)
                for theme, (theme_end, hits) in longest.items():
                    blocked[theme].add(start)
                    if theme_end > reach[theme]:
                        found.update(hits)
                        blocked[theme].update(range(start + 1, theme_end))
                        reach[theme] = theme_end
            words.pop()
        singles = present & self.single_tokens
        if blocked:
            # theme -> its blocked words, a word once per place it is blocked at
            hidden = {theme: [words[position] for position in places] for theme, places in blocked.items()}
            hidden_words = set().union(*hidden.values())
            for token in singles & hidden_words:
                occurrences = words.count(token)
                # A one-token phrase counts unless each of its occurrences is blocked for its theme.
                found.update(
                    hit for hit in self.single_hits[token]
                    if self.hit_theme[hit] not in hidden or hidden[self.hit_theme[hit]].count(token) < occurrences
                )
            singles = singles - hidden_words
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
    """The paper's themes, best first (equal scores: the more specific first, see the module
    docstring), at most ``MAX_THEMES``.

    A paper matching no theme gets exactly one match: the catch-all of ``paper_themes``
    (``CATCH_ALL`` if the list has none).
    """
    index = phrase_index(tuple(paper_themes))
    scores: dict[int, float] = defaultdict(float)
    supported: dict[int, float] = defaultdict(float)  # what supporting phrases would add
    anchored: set[int] = set()  # themes with one of their own phrases or categories found
    specificity: dict[int, int] = defaultdict(int)  # the most words of a phrase found
    reasons: dict[int, list[str]] = defaultdict(list)
    support_reasons: dict[int, list[str]] = defaultdict(list)
    excluded: set[int] = set()
    for name, text in paper_texts(paper).items():
        hits, excluding = index.find(text)
        excluded |= excluding
        field_hits = index.hits[name]
        counted = None  # each group counts once, with the first of its synonyms found
        for number in sorted(hits):
            hit = field_hits[number]
            if hit.group == counted:
                continue
            counted = hit.group
            if hit.ignored:
                continue
            if hit.supporting:
                supported[hit.theme] += hit.weight
                support_reasons[hit.theme].append(hit.reason)
            else:
                anchored.add(hit.theme)
                scores[hit.theme] += hit.weight
                reasons[hit.theme].append(hit.reason)
                specificity[hit.theme] = max(specificity[hit.theme], hit.words)
    categorised: set[int] = set()  # a theme's categories count once, for the first one found
    for category in getattr(paper, "categories", None) or []:
        archive = category.split(".")[0]  # "q-bio" in a theme stands for every q-bio.* category
        for position in (*index.categories.get(category, ()), *index.categories.get(archive, ())):
            if position not in categorised:
                categorised.add(position)
                anchored.add(position)
                scores[position] += index.themes[position].rules.weights["categories"]
                reasons[position].append(f"category: {category}")
    for position in anchored & supported.keys():
        scores[position] += supported[position]
        reasons[position] += support_reasons[position]
    themes = index.themes
    ranked = [
        position
        for position in sorted(anchored)
        if position not in excluded and scores[position] >= themes[position].rules.min_score
    ]
    if not ranked:
        catch_all = next((t for t in paper_themes if t.is_catch_all), CATCH_ALL)
        return [PaperThemeMatch(theme=catch_all, score=0, reasons=("matches no theme",))]
    ranked.sort(key=lambda p: (-scores[p], themes[p].rules.only_if_best, -specificity[p]))  # stable: then file order
    ranked = [position for rank, position in enumerate(ranked) if rank == 0 or not themes[position].rules.only_if_best]
    return [
        PaperThemeMatch(theme=themes[position], score=scores[position], reasons=tuple(reasons[position]))
        for position in ranked[:MAX_THEMES]
    ]
