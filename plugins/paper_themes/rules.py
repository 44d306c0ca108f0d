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
from pathlib import Path

import yaml

MAX_THEMES = 3
CATCH_ALL_SLUG = "other"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# arXiv categories: cs.CL, eess.AS, astro-ph.CO, hep-th, q-bio.NC, stat.ML, …
CATEGORY_RE = re.compile(r"^[a-z-]+(?:\.[A-Za-z-]+)?$")
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

TOP_KEYS = {"weights", "min_score", "paper_themes"}
THEME_KEYS = {"name", "slug", "description", "phrases", "exclude", "categories", "min_score", "only_if_best", "weights"}
REQUIRED_THEME_KEYS = ("name", "slug", "description", "phrases")
STR_TAG = "tag:yaml.org,2002:str"
NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
BOOL_TAG = "tag:yaml.org,2002:bool"


class _Reader:
    """Validates the composed YAML node tree; errors say ``file:line: where: what``."""

    def __init__(self, path: Path):
        self.path = path

    def error(self, node, where: str, message: str) -> PaperThemesError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return PaperThemesError(f"{self.path}{line}: {where}: {message}")

    def mapping(self, node, where: str, allowed: set[str]) -> dict[str, tuple]:
        """{key: (key_node, value_node)}; unknown or repeated keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, where, f"expected a mapping of keys ({', '.join(sorted(allowed))})")
        items: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                raise self.error(
                    key_node, where, f"unknown key {key!r}; expected one of {', '.join(sorted(allowed))}"
                )
            if key in items:
                raise self.error(key_node, where, f"key {key!r} given twice")
            items[key] = (key_node, value_node)
        return items

    def text(self, node, where: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
            raise self.error(node, where, f"expected text, got {_describe(node)} (quote it)")
        value = " ".join(node.value.split())
        if not value:
            raise self.error(node, where, "is empty")
        return value

    def number(self, node, where: str) -> float:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in NUMBER_TAGS:
            raise self.error(node, where, f"expected a number, got {_describe(node)}")
        value = yaml.safe_load(node.value)
        if value < 0:
            raise self.error(node, where, f"expected a number >= 0, got {value}")
        return value

    def unique_text(self, node, where: str, seen: set[str]) -> str:
        """A text with a letter or digit, not in ``seen`` (in any case), which it joins."""
        value = self.text(node, where)
        if not any(ch.isalnum() for ch in value):
            raise self.error(node, where, f"{value!r} has no letter or digit to match")
        if value.lower() in seen:
            raise self.error(node, where, f"{value!r} is listed twice")
        seen.add(value.lower())
        return value

    def sequence(self, node, where: str) -> list:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, where, f"expected a list, got {_describe(node)}")
        if not node.value:
            raise self.error(node, where, "is an empty list")
        return node.value

    def flag(self, node, where: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != BOOL_TAG:
            raise self.error(node, where, f"expected true or false, got {_describe(node)}")
        return yaml.safe_load(node.value)

    def text_list(self, node, where: str) -> tuple[str, ...]:
        seen: set[str] = set()
        return tuple(self.unique_text(item, where, seen) for item in self.sequence(node, where))

    def phrase_groups(self, node, where: str) -> tuple[tuple[str, ...], ...]:
        """A list whose items are phrases or lists of synonymous phrases."""
        seen: set[str] = set()
        return tuple(
            tuple(self.unique_text(member, where, seen) for member in self.sequence(item, where))
            if isinstance(item, yaml.SequenceNode)
            else (self.unique_text(item, where, seen),)
            for item in self.sequence(node, where)
        )

    def weights(self, items: dict, key: str, defaults: dict) -> dict:
        """``defaults`` with the values of the optional ``weights`` mapping in ``items``."""
        weights = dict(defaults)
        if "weights" in items:
            for name, (_, value_node) in self.mapping(items["weights"][1], key, set(FIELDS)).items():
                weights[name] = self.number(value_node, f"{key}.{name}")
        return weights


def _describe(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{node.tag.rsplit(':', 1)[-1]} {node.value!r}"


def load_paper_themes(path) -> list[PaperTheme]:
    """Every theme of the YAML file at ``path``, in file order, then the catch-all.

    Raises ``PaperThemesError`` (naming the file, line and key) for invalid YAML, unknown or
    repeated keys, values of the wrong type, empty phrase lists, bad or duplicate slugs.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PaperThemesError(f"{path}: cannot read the paper themes file ({exc.strerror})") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise PaperThemesError(f"{path}{line}: invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise PaperThemesError(f"{path}: invalid YAML: {exc}") from exc
    reader = _Reader(path)
    if root is None:
        raise reader.error(None, "file", "is empty; expected a 'paper_themes' list")
    top = reader.mapping(root, "top level", TOP_KEYS)

    weights = reader.weights(top, "weights", DEFAULT_WEIGHTS)
    min_score = DEFAULT_MIN_SCORE
    if "min_score" in top:
        min_score = reader.number(top["min_score"][1], "min_score")
    if "paper_themes" not in top:
        raise reader.error(root, "top level", "missing key 'paper_themes'")
    themes_node = top["paper_themes"][1]
    if not isinstance(themes_node, yaml.SequenceNode) or not themes_node.value:
        raise reader.error(themes_node, "paper_themes", "expected a non-empty list of themes")

    themes: list[PaperTheme] = []
    seen: dict[tuple[str, str], str] = {("name", CATCH_ALL.name.lower()): CATCH_ALL_SLUG}
    for position, node in enumerate(themes_node.value, 1):
        where = f"paper_themes[{position}]"
        items = reader.mapping(node, where, THEME_KEYS)
        for key in REQUIRED_THEME_KEYS:
            if key not in items:
                raise reader.error(node, where, f"missing key {key!r}")
        slug = reader.text(items["slug"][1], f"{where}.slug")
        where = f"theme {slug!r}"
        if not SLUG_RE.match(slug):
            raise reader.error(
                items["slug"][1], f"{where}.slug", "a slug is lowercase letters, digits and single hyphens"
            )
        if slug == CATCH_ALL_SLUG:
            raise reader.error(items["slug"][1], f"{where}.slug", f"{slug!r} is reserved for the catch-all theme")
        name = reader.text(items["name"][1], f"{where}.name")
        for key, value in (("slug", slug), ("name", name.lower())):
            if (key, value) in seen:
                raise reader.error(items[key][1], f"{where}.{key}", f"{key} also used by theme {seen[key, value]!r}")
            seen[key, value] = slug
        categories = ()
        if "categories" in items:
            categories = reader.text_list(items["categories"][1], f"{where}.categories")
            for category_node, category in zip(items["categories"][1].value, categories):
                if not CATEGORY_RE.match(category):
                    raise reader.error(category_node, f"{where}.categories", f"{category!r} is not an arXiv category")
        rules = PaperThemeRules(
            phrases=reader.phrase_groups(items["phrases"][1], f"{where}.phrases"),
            exclude=reader.text_list(items["exclude"][1], f"{where}.exclude") if "exclude" in items else (),
            categories=categories,
            min_score=reader.number(items["min_score"][1], f"{where}.min_score") if "min_score" in items else min_score,
            only_if_best=reader.flag(items["only_if_best"][1], f"{where}.only_if_best") if "only_if_best" in items else False,
            weights=reader.weights(items, f"{where}.weights", weights),
        )
        description = reader.text(items["description"][1], f"{where}.description")
        themes.append(PaperTheme(name=name, slug=slug, description=description, rules=rules))
    return [*themes, CATCH_ALL]
