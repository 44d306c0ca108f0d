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

All phrases of all themes go into one dictionary keyed by token sequence, so a paper's text
is scanned once whatever the number of themes (the whole 8,600-paper archive in well under
a second).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

import yaml
from papers.yaml_config import NodeReader, check_arxiv_category

MAX_THEMES = 3
CATCH_ALL_SLUG = "other"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = ("title", "keywords", "abstract", "categories")  # the parts of a paper with a weight
DEFAULT_WEIGHTS = {"title": 5, "keywords": 2, "abstract": 1, "categories": 2}
DEFAULT_MIN_SCORE = 3
TOKEN_RE = re.compile(r"\w+|[^\w\s-]")


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


@dataclass(frozen=True)
class PaperThemeMatch:
    """A paper's membership in a theme: how strongly, and why (e.g. ``title: "agent"``)."""

    theme: PaperTheme
    score: float
    reasons: tuple[str, ...]


CATCH_ALL = PaperTheme(
    name="Other papers",
    slug=CATCH_ALL_SLUG,
    description="Papers that match none of the themes.",
)


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text.lower())


def phrase_variants(phrase: str) -> set[tuple[str, ...]]:
    """The token sequences a phrase matches: itself, its words run together, its plurals."""
    words = tuple(tokens(phrase))
    forms = {words}
    if len(words) > 1 and all(w[0].isalnum() or w[0] == "_" for w in words):
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
    """Every phrase and exclude phrase of a list of themes, found in one pass over a text."""

    def __init__(self, paper_themes):
        self.themes = [t for t in paper_themes if not t.is_catch_all]
        # token sequence -> [(theme position, group, synonym)] and [theme position] it excludes
        self.phrases: dict[tuple[str, ...], list[tuple[int, int, int]]] = defaultdict(list)
        self.excludes: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.categories: dict[str, list[int]] = defaultdict(list)
        for position, theme in enumerate(self.themes):
            for group, synonyms in enumerate(theme.rules.phrases):
                for synonym, phrase in enumerate(synonyms):
                    for variant in phrase_variants(phrase):
                        self.phrases[variant].append((position, group, synonym))
            for phrase in theme.rules.exclude:
                for variant in phrase_variants(phrase):
                    self.excludes[variant].append(position)
            for category in theme.rules.categories:
                self.categories[category].append(position)
        # first token -> the lengths of the sequences starting with it
        lengths = defaultdict(set)
        for variant in (*self.phrases, *self.excludes):
            lengths[variant[0]].add(len(variant))
        self.lengths = {first: sorted(ns) for first, ns in lengths.items()}

    def find(self, text: str) -> tuple[set[tuple[int, int, int]], set[int]]:
        """The (theme position, group, synonym) of each phrase in ``text``, and the positions
        of the themes an exclude phrase in it rules out.

        Where phrases overlap the longest wins: "policy optimization" hides "optimization",
        "vision-language model" hides "language model" (phrases of the same length both count).
        """
        words = tokens(text)
        found: set[tuple[int, int, int]] = set()
        excluded: set[int] = set()
        phrases, excludes, lengths, count = self.phrases, self.excludes, self.lengths, len(words)
        present = lengths.keys() & set(words)
        reach = 0  # where the spans found so far end, at the furthest
        for start in [i for i, word in enumerate(words) if word in present]:
            longest = None
            for length in lengths[words[start]]:  # shortest first
                end = start + length
                if end > count:
                    break
                key = tuple(words[start:end])
                if key in phrases:
                    longest = end, phrases[key]
                if key in excludes:
                    excluded.update(excludes[key])
            # Only the longest phrase at a start counts, and only outside an earlier, longer one.
            if longest is not None and longest[0] > reach:
                found.update(longest[1])
                reach = longest[0]
        return found, excluded


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
        found: dict[tuple[int, int], int] = {}  # (theme position, group) -> first synonym found
        for position, group, synonym in hits:
            found[position, group] = min(synonym, found.get((position, group), synonym))
        for (position, group), synonym in sorted(found.items()):
            rules = index.themes[position].rules
            scores[position] += rules.weights[name]
            reasons[position].append(f'{name}: "{rules.phrases[group][synonym]}"')
    categorised: set[int] = set()  # a theme's categories count once, for the first one found
    for category in getattr(paper, "categories", None) or []:
        archive = category.split(".")[0]  # "q-bio" in a theme stands for every q-bio.* category
        for position in (*index.categories.get(category, ()), *index.categories.get(archive, ())):
            if position not in categorised:
                categorised.add(position)
                scores[position] += index.themes[position].rules.weights["categories"]
                reasons[position].append(f"category: {category}")
    matches = [
        PaperThemeMatch(theme=index.themes[position], score=score, reasons=tuple(reasons[position]))
        for position, score in sorted(scores.items())
        if position not in excluded and score >= index.themes[position].rules.min_score
    ]
    if not matches:
        catch_all = next((t for t in paper_themes if t.is_catch_all), CATCH_ALL)
        return [PaperThemeMatch(theme=catch_all, score=0, reasons=("matches no theme",))]
    matches.sort(key=lambda match: -match.score)  # stable: equal scores keep the given order
    matches = [m for rank, m in enumerate(matches) if rank == 0 or not m.theme.rules.only_if_best]
    return matches[:MAX_THEMES]


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
