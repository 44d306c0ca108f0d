"""Paper themes: the research topics of ``themes.yml``, read and checked.

``load_paper_themes(path)`` reads and validates the YAML (the format is documented at the
top of ``themes.yml``) into ``PaperTheme`` objects, in file order, then the catch-all
"Other papers"; every mistake is reported as ``file:line: key: problem``.  How a paper
matches them is ``papers.themes.matching``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import yaml

from papers.errors import PaperThemesError
from papers.yaml_config import NodeReader, check_arxiv_category

MAX_THEMES = 3
CATCH_ALL_SLUG = "other"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_FIELDS = ("title", "keywords", "abstract")  # the parts of a paper phrases are found in
FIELDS = (*TEXT_FIELDS, "categories")  # the parts of a paper with a weight
DEFAULT_WEIGHTS = {"title": 5, "keywords": 2, "abstract": 1, "categories": 2}
DEFAULT_MIN_SCORE = 3


@dataclass(frozen=True)
class PaperThemeRules:
    """How papers match one theme (see the module docstring)."""

    # Each entry is a group of synonyms (usually just one phrase), counted once per field.
    phrases: tuple[tuple[str, ...], ...]
    # Groups that count only beside one of ``phrases`` or ``categories``, never alone.
    supporting: tuple[tuple[str, ...], ...] = ()
    # Phrases that count for nothing and hide the theme's shorter phrases inside them.
    ignore: tuple[str, ...] = ()
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

    # What a page shows of a theme (its rules only decide which papers it lists).
    __shown__ = ("name", "slug", "description")

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


TOP_KEYS = ("weights", "min_score", "paper_themes")
THEME_KEYS = ("name", "slug", "description", "phrases", "supporting", "ignore", "exclude", "categories", "min_score", "only_if_best", "weights")
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

    def phrase_groups(self, node, key: str, seen: set[str]) -> tuple[tuple[str, ...], ...]:
        """A list whose items are phrases or lists of synonymous phrases, each phrase once
        (in ``seen``: the theme's phrases so far)."""
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
        seen_phrases: set[str] = set()
        rules = PaperThemeRules(
            phrases=reader.phrase_groups(*items["phrases"], seen_phrases),
            supporting=reader.phrase_groups(*items["supporting"], seen_phrases) if "supporting" in items else (),
            ignore=tuple(reader.texts(*items["ignore"], check=_check_phrase)) if "ignore" in items else (),
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
