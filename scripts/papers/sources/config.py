"""The maintainer's source configuration, ``sources.yml`` at the repository root.

Which sources ``fetch.py --source all`` runs, and for arXiv: which categories, which
announcement types, and keywords that keep or drop papers.  The format is documented at the
top of ``sources.yml``.  Every mistake is reported as ``file:line: key: problem`` (the
YAML is composed into nodes first, so every key still knows its line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from papers.errors import ConfigError
from papers.sources import arxiv, hf
from papers.yaml_config import Check, NodeReader, check_arxiv_category

KNOWN_SOURCES = (hf.SOURCE, arxiv.SOURCE)
DEFAULT_ANNOUNCE_TYPES = ("new", "cross")
ARXIV_KEYS = ("categories", "announce_types", "include", "exclude", "complete")


@dataclass
class ArxivConfig:
    categories: list[str] = field(default_factory=list)
    announce_types: list[str] = field(default_factory=lambda: list(DEFAULT_ANNOUNCE_TYPES))
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    complete: bool = True

    def _pattern(self, keywords: list[str]) -> re.Pattern | None:
        if not keywords:
            return None
        # Word boundaries that also work for keywords starting or ending in a symbol (C++).
        alternatives = "|".join(re.escape(k) for k in keywords)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def keeps(self, paper) -> bool:
        """Whether a paper's title or abstract passes the include and exclude keywords."""
        text = f"{paper.title}\n{paper.abstract}"
        include, exclude = self._pattern(self.include), self._pattern(self.exclude)
        if include is not None and not include.search(text):
            return False
        return exclude is None or not exclude.search(text)


@dataclass
class SourcesConfig:
    path: str
    sources: list[str]
    arxiv: ArxivConfig


def load_sources_config(path: Path | str) -> SourcesConfig:
    """Read and check ``path``; ``ConfigError`` names file, line and key of any mistake."""
    checker = _Checker(path)
    return checker.config(checker.read())


def _one_of(choices: tuple[str, ...]) -> Check:
    return lambda value: None if value in choices else f"is not one of: {', '.join(choices)}"


class _Checker(NodeReader):
    error_class = ConfigError

    def config(self, root: yaml.Node) -> SourcesConfig:
        top = self.mapping(root, "", ("sources", "arxiv"), required=("sources",))
        sources = self.texts(*top["sources"], check=_one_of(KNOWN_SOURCES))
        arxiv_config = ArxivConfig()
        section, section_key = top.get("arxiv", (None, "arxiv"))
        fields = {} if section is None else self.mapping(section, section_key, ARXIV_KEYS)
        checks = {"categories": check_arxiv_category, "announce_types": _one_of(arxiv.ANNOUNCE_TYPES)}
        for name in ("categories", "announce_types", "include", "exclude"):
            if name in fields:
                setattr(arxiv_config, name, self.texts(*fields[name], check=checks.get(name), allow_empty=True))
        if "complete" in fields:
            arxiv_config.complete = self.flag(*fields["complete"])
        if arxiv.SOURCE in sources:
            node, key = fields.get("categories", (section or top["sources"][0], f"{section_key}.categories"))
            if not arxiv_config.categories:
                raise self.error(node, key, "arxiv is a source but no categories are listed")
            node, key = fields.get("announce_types", (node, f"{section_key}.announce_types"))
            if not arxiv_config.announce_types:
                raise self.error(node, key, "no announcement type to keep")
        return SourcesConfig(str(self.path), sources, arxiv_config)
