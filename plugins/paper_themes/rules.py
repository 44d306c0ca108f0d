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
and a phrase finds its plural ("agent": "agents", "policy": "policies").  Every distinct
phrase found in a field adds that field's weight; a listed arXiv category adds the category
weight.  A theme whose exclude phrase appears anywhere in the paper is ruled out.  A theme is
kept when its score reaches its ``min_score``, the best ``MAX_THEMES`` best first.  A paper
matching nothing gets the catch-all theme.

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
TEXT_FIELDS = ("title", "keywords", "abstract")
FIELDS = (*TEXT_FIELDS, "categories")
DEFAULT_WEIGHTS = {"title": 3, "keywords": 3, "abstract": 1, "categories": 2}
DEFAULT_MIN_SCORE = 3
TOKEN_RE = re.compile(r"\w+|[^\w\s-]")


class PaperThemesError(ValueError):
    """A paper themes file that cannot be used; the message names the file, line and key."""


@dataclass(frozen=True)
class PaperThemeRules:
    """How papers match one theme (see the module docstring)."""

    phrases: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    min_score: float = DEFAULT_MIN_SCORE
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
        last = form[-1]
        if last[-1].isalnum():
            variants |= {(*form[:-1], last + "s"), (*form[:-1], last + "es")}
            if last.endswith("y"):
                variants.add((*form[:-1], last[:-1] + "ies"))
    return variants


class PhraseIndex:
    """Every phrase and exclude phrase of a list of themes, found in one pass over a text."""

    def __init__(self, paper_themes):
        self.themes = [t for t in paper_themes if not t.is_catch_all]
        # token sequence -> [(theme position, phrase number or None for an exclude phrase)]
        self.entries: dict[tuple[str, ...], list[tuple[int, int | None]]] = defaultdict(list)
        self.categories: dict[str, list[int]] = defaultdict(list)
        for position, theme in enumerate(self.themes):
            for number, phrase in enumerate(theme.rules.phrases):
                for variant in phrase_variants(phrase):
                    self.entries[variant].append((position, number))
            for phrase in theme.rules.exclude:
                for variant in phrase_variants(phrase):
                    self.entries[variant].append((position, None))
            for category in theme.rules.categories:
                self.categories[category].append(position)
        # first token -> the lengths of the sequences starting with it, longest first
        lengths = defaultdict(set)
        for variant in self.entries:
            lengths[variant[0]].add(len(variant))
        self.lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}

    def find(self, text: str) -> set[tuple[int, int | None]]:
        """(theme position, phrase number or None) for every phrase found in ``text``."""
        words = tokens(text)
        found = set()
        lengths, entries = self.lengths, self.entries
        for start, word in enumerate(words):
            for length in lengths.get(word, ()):
                hits = entries.get(tuple(words[start : start + length]))
                if hits:
                    found.update(hits)
        return found


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
        for position, number in sorted(index.find(text), key=lambda hit: (hit[0], hit[1] is None, hit[1])):
            if number is None:
                excluded.add(position)
                continue
            rules = index.themes[position].rules
            scores[position] += rules.weights[name]
            reasons[position].append(f'{name}: "{rules.phrases[number]}"')
    for category in getattr(paper, "categories", None) or []:
        for position in index.categories.get(category, ()):
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
    return matches[:MAX_THEMES]


# --- Loading and validating the YAML -------------------------------------------------------

TOP_KEYS = {"weights", "min_score", "paper_themes"}
THEME_KEYS = {"name", "slug", "description", "phrases", "exclude", "categories", "min_score"}
REQUIRED_THEME_KEYS = ("name", "slug", "description", "phrases")
STR_TAG = "tag:yaml.org,2002:str"
NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


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

    def text_list(self, node, where: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, where, f"expected a list, got {_describe(node)}")
        if not node.value:
            raise self.error(node, where, "is an empty list")
        values: list[str] = []
        for item in node.value:
            value = self.text(item, where)
            if value.lower() in (v.lower() for v in values):
                raise self.error(item, where, f"{value!r} is listed twice")
            values.append(value)
        return tuple(values)


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

    weights = dict(DEFAULT_WEIGHTS)
    if "weights" in top:
        for name, (_, value_node) in reader.mapping(top["weights"][1], "weights", set(FIELDS)).items():
            weights[name] = reader.number(value_node, f"weights.{name}")
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
            phrases=reader.text_list(items["phrases"][1], f"{where}.phrases"),
            exclude=reader.text_list(items["exclude"][1], f"{where}.exclude") if "exclude" in items else (),
            categories=categories,
            min_score=reader.number(items["min_score"][1], f"{where}.min_score") if "min_score" in items else min_score,
            weights=dict(weights),
        )
        description = reader.text(items["description"][1], f"{where}.description")
        themes.append(PaperTheme(name=name, slug=slug, description=description, rules=rules))
    return [*themes, CATCH_ALL]
