"""Reading the maintainer's YAML files (``sources.yml``, ``themes.yml``) with exact errors.

The YAML is composed into nodes rather than loaded into Python values, so every value still
knows its line: each mistake is reported as ``file:line: key: problem``.  ``NodeReader``
holds what both files need (mappings with known keys, texts, lists, flags, numbers); each
loader subclasses it, sets ``error_class`` to its own exception and adds its own checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import yaml

from papers.cleaning import CATEGORY_RE

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")

# What is wrong with a text, said after it ("is not one of: a, b"), or None if nothing is.
Check = Callable[[str], str | None]


def describe(node: yaml.Node) -> str:
    """A node as a maintainer wrote it: ``a mapping``, ``a list``, ``int '42'``."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{node.tag.rsplit(':', 1)[-1]} {node.value!r}"


def check_arxiv_category(value: str) -> str | None:
    return None if CATEGORY_RE.match(value) else "is not an arXiv category (like cs.CL or hep-th)"


class NodeReader:
    """Reads one YAML file and checks its nodes; every error is an ``error_class``."""

    error_class: type[Exception] = ValueError

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def error(self, node: yaml.Node, key: str, problem: str) -> Exception:
        key = f" {key}:" if key else ""
        return self.error_class(f"{self.path}:{node.start_mark.line + 1}:{key} {problem}")

    def read(self) -> yaml.Node:
        """The file's top node; an error if it cannot be read, is not YAML or is empty."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.error_class(f"{self.path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
        try:
            root = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError as exc:
            # PyYAML marks where it noticed the mistake, which an unclosed bracket or quote
            # puts after the line that has it.
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = f"{self.path}:{mark.line + 1}" if mark else str(self.path)
            problem = getattr(exc, "problem", None) or exc
            raise self.error_class(
                f"{where}: not valid YAML: {problem}; the invalid YAML is on this line or above it"
            ) from exc
        if root is None:
            raise self.error_class(f"{self.path}:1: the file is empty")
        return root

    def mapping(
        self, node: yaml.Node, key: str, allowed: tuple[str, ...], *, required: tuple[str, ...] = ()
    ) -> dict[str, tuple[yaml.Node, str]]:
        """``{name: (value node, full key)}``; unknown, repeated or missing keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, key, f"expected a mapping (keys: {', '.join(allowed)}), got {describe(node)}")
        items: dict[str, tuple[yaml.Node, str]] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            full = f"{key}.{name}" if key else str(name)
            if name not in allowed:
                raise self.error(key_node, full, f"unknown key {name!r} (expected one of: {', '.join(allowed)})")
            if name in items:
                raise self.error(key_node, full, f"key {name!r} given twice")
            items[name] = (value_node, full)
        for name in required:
            if name not in items:
                raise self.error(node, f"{key}.{name}" if key else name, f"missing key {name!r}")
        return items

    def text(self, node: yaml.Node, key: str, *, check: Check | None = None, seen: set[str] | None = None) -> str:
        """A non-empty text, each run of whitespace made one space, passing ``check``.

        With ``seen``: a text already in it (in any case) is an error, and it joins it.
        """
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (STR_TAG, NULL_TAG):
            raise self.error(node, key, f"expected text, got {describe(node)} (quote it)")
        value = " ".join(node.value.split()) if node.tag == STR_TAG else ""
        if not value:
            raise self.error(node, key, "expected a non-empty text")
        problem = check(value) if check else None
        if problem:
            raise self.error(node, key, f"{value!r} {problem}")
        if seen is not None:
            if value.lower() in seen:
                raise self.error(node, key, f"{value!r} is listed twice")
            seen.add(value.lower())
        return value

    def sequence(self, node: yaml.Node, key: str, *, allow_empty: bool = False) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, key, f"expected a list, got {describe(node)}")
        if not node.value and not allow_empty:
            raise self.error(node, key, "expected a non-empty list")
        return node.value

    def texts(self, node: yaml.Node, key: str, *, check: Check | None = None, allow_empty: bool = False) -> list[str]:
        """A list of distinct texts (in any case), each passing ``check``."""
        seen: set[str] = set()
        items = self.sequence(node, key, allow_empty=allow_empty)
        return [self.text(item, key, check=check, seen=seen) for item in items]

    def flag(self, node: yaml.Node, key: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != BOOL_TAG:
            raise self.error(node, key, f"expected true or false, got {describe(node)}")
        return yaml.safe_load(node.value)

    def number(self, node: yaml.Node, key: str, *, minimum: float | None = None) -> float:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in NUMBER_TAGS:
            raise self.error(node, key, f"expected a number, got {describe(node)}")
        value = yaml.safe_load(node.value)
        if minimum is not None and value < minimum:
            raise self.error(node, key, f"expected a number >= {minimum}, got {value}")
        return value
