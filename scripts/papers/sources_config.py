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

from . import arxiv, hf

KNOWN_SOURCES = (hf.SOURCE, arxiv.SOURCE)
DEFAULT_ANNOUNCE_TYPES = ("new", "cross")


class ConfigError(ValueError):
    """A ``sources.yml`` that cannot be used; the message names file, line and key."""


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


def default_config(path: str = "<defaults>") -> SourcesConfig:
    return SourcesConfig(path, [hf.SOURCE], ArxivConfig())


def load_sources_config(path: Path | str) -> SourcesConfig:
    """Read and check ``path``; ``ConfigError`` names file, line and key of any mistake."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    return _Checker(str(path)).config(root)


class _Checker:
    def __init__(self, path: str):
        self.path = path

    def error(self, node: yaml.Node, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}:{node.start_mark.line + 1}: {key}: {problem}")

    def mapping(self, node: yaml.Node | None, key: str, allowed: tuple[str, ...]) -> dict:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, key, "expected a mapping")
        out = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            full = f"{key}.{name}" if key else str(name)
            if name not in allowed:
                raise self.error(key_node, full, f"unknown key (expected one of: {', '.join(allowed)})")
            if name in out:
                raise self.error(key_node, full, "given twice")
            out[name] = (value_node, full)
        return out

    def strings(self, node: yaml.Node, key: str, *, choices: tuple[str, ...] | None = None, pattern: re.Pattern | None = None) -> list[str]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, key, "expected a list")
        values = []
        for item in node.value:
            value = item.value.strip() if isinstance(item, yaml.ScalarNode) else None
            if not value or item.tag.endswith(":null"):
                raise self.error(item, key, f"expected a non-empty text, got {getattr(item, 'value', item)!r}")
            if choices and value not in choices:
                raise self.error(item, key, f"{value!r} is not one of: {', '.join(choices)}")
            if pattern and not pattern.match(value):
                raise self.error(item, key, f"{value!r} is not an arXiv category (like cs.CL or hep-th)")
            values.append(value)
        return values

    def config(self, root: yaml.Node | None) -> SourcesConfig:
        if root is None:
            raise ConfigError(f"{self.path}:1: the file is empty")
        top = self.mapping(root, "", ("sources", "arxiv"))
        if "sources" not in top:
            raise self.error(root, "sources", "missing (list the sources to fetch, e.g. [hf, arxiv])")
        node, key = top["sources"]
        sources = self.strings(node, key, choices=KNOWN_SOURCES)
        if not sources:
            raise self.error(node, key, "lists no source")
        arxiv_config = ArxivConfig()
        section, section_key = top.get("arxiv", (None, "arxiv"))
        fields = self.mapping(section, section_key, ("categories", "announce_types", "include", "exclude", "complete"))
        for name in ("categories", "announce_types", "include", "exclude"):
            if name in fields:
                node, key = fields[name]
                choices = arxiv.ANNOUNCE_TYPES if name == "announce_types" else None
                pattern = arxiv.CATEGORY_RE if name == "categories" else None
                setattr(arxiv_config, name, self.strings(node, key, choices=choices, pattern=pattern))
        if "complete" in fields:
            node, key = fields["complete"]
            if not (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool"):
                raise self.error(node, key, "expected true or false")
            arxiv_config.complete = node.value.lower() in ("true", "yes", "on")
        if arxiv.SOURCE in sources:
            node, key = fields.get("categories", (section or top["sources"][0], f"{section_key}.categories"))
            if not arxiv_config.categories:
                raise self.error(node, key, "arxiv is a source but no categories are listed")
            node, key = fields.get("announce_types", (node, f"{section_key}.announce_types"))
            if not arxiv_config.announce_types:
                raise self.error(node, key, "no announcement type to keep")
        return SourcesConfig(self.path, sources, arxiv_config)
