"""Paper themes: research topics defined in YAML (``themes.yml``) and how papers match them.

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
from dataclasses import dataclass, field
from typing import NamedTuple

import yaml
from papers.yaml_config import NodeReader, check_arxiv_category

MAX_THEMES = 3
CATCH_ALL_SLUG = "other"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_FIELDS = ("title", "keywords", "abstract")  # the parts of a paper phrases are found in
FIELDS = (*TEXT_FIELDS, "categories")  # the parts of a paper with a weight
DEFAULT_WEIGHTS = {"title": 5, "keywords": 2, "abstract": 1, "categories": 2}
DEFAULT_MIN_SCORE = 3
TOKEN_RE = re.compile(r"\w+|[^\w\s-]")
# The ASCII characters that are tokens of their own (not letters, digits, "_", spaces, "-"):
# str.translate tables keeping only them, and making each of them MARK and hyphens spaces.
ASCII_MARKS = "".join(ch for ch in map(chr, range(128)) if re.fullmatch(r"[^\w\s-]", ch))
ASCII_MARKS_ONLY = str.maketrans("", "", "".join(ch for ch in map(chr, range(128)) if ch not in ASCII_MARKS))
MARK = "\x00"  # stands for every mark (itself one, so never part of a word)
ASCII_MARKS_TO_MARK = str.maketrans({"-": " ", **{mark: MARK for mark in ASCII_MARKS}})


class PaperThemesError(ValueError):
    """A paper themes file that cannot be used; the message names the file, line and key."""


@dataclass(frozen=True)
class PaperThemeRules:
    """How papers match one theme (see the module docstring)."""

    # Each entry is a group of synonyms (usually just one phrase), counted once per field.
    phrases: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    min_score: float = DEFAULT_MIN_SCORE
    # A broad theme ("LLMs") that many papers mention in passing: kept only as a paper's best.
    only_if_best: bool = False
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


# eq=False: a theme is itself (hashable by identity, cheap as a dict key), not its fields.
@dataclass(frozen=True, eq=False)
class PaperTheme:
    """A research topic papers are grouped by (not the site's look: that is Pelican's THEME)."""

    name: str
    slug: str
    description: str
    rules: PaperThemeRules | None = field(default=None, repr=False)

    @property
    def is_catch_all(self) -> bool:
        return self.rules is None


class PaperThemeMatch(NamedTuple):
    """A paper's membership in a theme: how strongly, and why (e.g. ``title: "agent"``).

    A named tuple, not a dataclass: every build makes one per match of every paper of the
    catalogue, and a frozen dataclass takes four times as long to make."""

    theme: PaperTheme
    score: float
    reasons: tuple[str, ...]


CATCH_ALL = PaperTheme(
    name="Other papers",
    slug=CATCH_ALL_SLUG,
    description="Papers that match none of the themes.",
)


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


# --- Loading and validating the YAML -------------------------------------------------------

TOP_KEYS = ("weights", "min_score", "paper_themes")
THEME_KEYS = ("name", "slug", "description", "phrases", "exclude", "categories", "min_score", "only_if_best", "weights")
REQUIRED_THEME_KEYS = ("name", "slug", "description", "phrases")


def _check_phrase(value: str) -> str | None:
    return None if any(ch.isalnum() for ch in value) else "has no letter or digit to match"


def _check_slug(value: str) -> str | None:
    if not SLUG_RE.match(value):
        return "is not a slug: lowercase letters, digits and single hyphens"
    return "is reserved for the catch-all theme" if value == CATCH_ALL_SLUG else None


class _Reader(NodeReader):
    """The node reader for the paper themes file: phrases and weights."""

    error_class = PaperThemesError

    def phrase_groups(self, node, key: str) -> tuple[tuple[str, ...], ...]:
        """A list whose items are phrases or lists of synonymous phrases, each phrase once."""
        seen: set[str] = set()
        return tuple(
            tuple(self.text(member, key, check=_check_phrase, seen=seen) for member in self.sequence(item, key))
            if isinstance(item, yaml.SequenceNode)
            else (self.text(item, key, check=_check_phrase, seen=seen),)
            for item in self.sequence(node, key)
        )

    def weights(self, items: dict, defaults: dict) -> dict:
        """``defaults`` with the values of the optional ``weights`` mapping in ``items``."""
        weights = dict(defaults)
        if "weights" in items:
            for name, (node, key) in self.mapping(*items["weights"], FIELDS).items():
                weights[name] = self.number(node, key, minimum=0)
        return weights


def load_paper_themes(path) -> list[PaperTheme]:
    """Every theme of the YAML file at ``path``, in file order, then the catch-all.

    Raises ``PaperThemesError`` (naming the file, line and key) for invalid YAML, unknown or
    repeated keys, values of the wrong type, empty phrase lists, bad or duplicate slugs.
    """
    reader = _Reader(path)
    top = reader.mapping(reader.read(), "", TOP_KEYS, required=("paper_themes",))
    weights = reader.weights(top, DEFAULT_WEIGHTS)
    min_score = reader.number(*top["min_score"], minimum=0) if "min_score" in top else DEFAULT_MIN_SCORE

    themes: list[PaperTheme] = []
    seen: dict[tuple[str, str], str] = {("name", CATCH_ALL.name.lower()): CATCH_ALL_SLUG}
    for position, node in enumerate(reader.sequence(*top["paper_themes"]), 1):
        items = reader.mapping(node, f"paper_themes[{position}]", THEME_KEYS, required=REQUIRED_THEME_KEYS)
        slug = reader.text(*items["slug"], check=_check_slug)
        name = reader.text(*items["name"])
        for key, value in (("slug", slug), ("name", name.lower())):
            if (key, value) in seen:
                raise reader.error(*items[key], f"{key} also used by theme {seen[key, value]!r}")
            seen[key, value] = slug
        rules = PaperThemeRules(
            phrases=reader.phrase_groups(*items["phrases"]),
            exclude=tuple(reader.texts(*items["exclude"], check=_check_phrase)) if "exclude" in items else (),
            categories=(
                tuple(reader.texts(*items["categories"], check=check_arxiv_category)) if "categories" in items else ()
            ),
            min_score=reader.number(*items["min_score"], minimum=0) if "min_score" in items else min_score,
            only_if_best=reader.flag(*items["only_if_best"]) if "only_if_best" in items else False,
            weights=reader.weights(items, weights),
        )
        description = reader.text(*items["description"])
        themes.append(PaperTheme(name=name, slug=slug, description=description, rules=rules))
    return [*themes, CATCH_ALL]
