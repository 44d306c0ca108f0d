"""The paper file format: ``dump_paper`` writes a ``Paper`` as text, ``parse_paper`` reads it back.

A paper is one file (``papers.layout`` says where), dated by the first day it was featured::

    ---
    arxiv_id: '2608.19880'
    title: 'EnvHarness: Awakening Static Worlds for Agent Learning'
    authors:
    - Chengsong Huang
    ...
    provenance: {title: arxiv, authors: arxiv, abstract: arxiv, upvotes: hf, ...}
    ---
    The abstract, as plain text.

The metadata is YAML written so that every value sits on one line (strings with line
breaks or unprintable characters are double-quoted with escapes).  That makes the format
lossless for any text and means no value can ever produce the closing ``---`` line or an
extra ``Key: value`` line.  ``provenance`` maps each field to the source it came from
(see ``papers.model``); it too is written on one line.  The body is the abstract, verbatim;
it is plain text, never Markdown, so nothing in it can become markup.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

import yaml

from papers.errors import Rejected
from papers.field_types import checked_fields
from papers.model import Paper

DELIMITER = "---\n"


class _OneLineDumper(yaml.CSafeDumper):
    """Safe YAML whose every string stays on one line."""


class _FlowMapping(dict):
    """A nested mapping written on one line (``provenance: {title: arxiv, …}``)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if ("\n" in text or not text.isprintable()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_mapping(dumper: yaml.SafeDumper, mapping: dict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping.items(), flow_style=True)


_OneLineDumper.add_representer(str, _represent_str)
_OneLineDumper.add_representer(_FlowMapping, _represent_flow_mapping)


def dump_paper(paper: Paper) -> str:
    """The file text of a paper."""
    fields = paper.to_dict()
    for name in ("provenance", "fetched"):
        if name in fields:
            fields[name] = _FlowMapping(fields[name])
    meta = yaml.dump(
        fields,
        Dumper=_OneLineDumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
    )
    return f"{DELIMITER}{meta}{DELIMITER}{paper.abstract}\n"


# Deeper than any file ``dump_paper`` writes (1 level) or a maintainer would (a few).
MAX_NESTING = 50
_BRACKETS = re.compile(r"[\[\]{}]")


def _nesting_depth(block: str) -> int:
    """How deep flow collections nest in ``block``, quotes ignored (an upper bound)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(block):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def has_front_matter(text: str) -> bool:
    return text.startswith(DELIMITER)


def parse_paper(text: str, *, source: str = "<text>") -> Paper:
    """Read back what ``dump_paper`` wrote; ``Rejected`` names the file when it cannot."""
    if not has_front_matter(text):
        raise Rejected(f"{source}: does not start with a '---' metadata block")
    end = text.find("\n" + DELIMITER, len(DELIMITER) - 1)
    if end < 0:
        raise Rejected(f"{source}: the metadata block is not closed by a '---' line")
    block = text[len(DELIMITER) : end + 1]
    meta = read_dumped_meta(block)
    if meta is None:
        if _nesting_depth(block) > MAX_NESTING:
            # libyaml recurses per level: tens of thousands of them crash the process.
            raise Rejected(f"{source}: invalid metadata: nested more than {MAX_NESTING} levels deep")
        try:
            meta = yaml.load(block, Loader=yaml.CSafeLoader)
        except (yaml.YAMLError, ValueError, TypeError, AttributeError, RecursionError) as exc:
            # ValueError and the others: YAML's own converters (``!!float x``, a date
            # 2026-13-45 written without quotes, ``!!timestamp x``).
            raise Rejected(f"{source}: invalid metadata: {type(exc).__name__}: {str(exc)[:200]}") from exc
    if not isinstance(meta, dict):
        raise Rejected(f"{source}: the metadata block is not a mapping")
    body = text[end + 1 + len(DELIMITER) :]
    if body.endswith("\n"):
        body = body[:-1]
    try:
        return Paper.from_dict(checked_fields(meta), abstract=body)
    except Rejected as exc:
        raise Rejected(f"{source}: {exc}") from exc


# Reading the metadata block without YAML's general machinery: about 5x faster per file
# (the archive has thousands).  ``read_dumped_meta`` accepts only the lines ``dump_paper`` writes:
# ``key: scalar``, ``key:`` then ``- scalar`` lines, ``key: {k: v, ...}`` on one line.  It
# reads them exactly as YAML's safe loader would, and returns None for anything it is not
# certain of (comments, tags, anchors, blank or indented lines, odd characters, escapes
# libyaml does not write, plain scalars YAML would type as null, bool, float, date…), so
# that such a block, hand-edited or not, goes to YAML itself.

# Characters outside YAML's printable set (the loader rejects them), and the printable ones
# that YAML treats as line breaks, tabs or a byte order mark.  ``dump_paper`` writes none
# of them raw (it escapes them in double quotes), so a block holding one is left to YAML.
# That is all but line feed, U+0020-U+007E, U+00A0-U+2027, U+202A-U+D7FF, U+E000-U+FEFE,
# U+FF00-U+FFFD and U+10000-U+10FFFF, written as the few it excludes (quicker to compile).
_NOT_DUMPED_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# A plain scalar cannot start with a space or one of YAML's indicators.
_NOT_PLAIN_FIRST = frozenset(" -?:,[]{}#&*!|>'\"%@`")
# What YAML's resolver would make of a plain scalar, by its first character.
_IMPLICIT_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_INT_TAG = "tag:yaml.org,2002:int"
# The ints YAML reads as ``int(text)`` (it reads 0123 as octal, 1_000 as 1000; these it
# does not write).  The length stays well inside Python's limit on digits.
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,17}")
# The escapes libyaml writes in double-quoted scalars.
_DOUBLE_QUOTED = re.compile(r'(?:[^"\\]|\\(?:[0abtnvfre"\\N_LP]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*')
_ESCAPE = re.compile(r"\\(?:([0abtnvfre\"\\N_LP])|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
_ESCAPED_CHAR = dict(zip('0abtnvfre"\\N_LP', "\0\a\b\t\n\v\f\r\x1b\"\\\x85\xa0\u2028\u2029"))
# One ``key: value`` of a flow mapping and what follows it; plain keys and values are
# names (``title: arxiv``), anything else is quoted.
_FLOW_SCALAR = r"[A-Za-z_][A-Za-z0-9_]*|'(?:[^']|'')*'|" + r'"(?:[^"\\]|\\.)*"'
_FLOW_ENTRY = re.compile(rf"({_FLOW_SCALAR}): ({_FLOW_SCALAR})(, |\}}\Z)")


def _plain(text: str) -> str | int | None:
    """A plain scalar as YAML reads it: text or a decimal int; None if it would be another type."""
    for tag, pattern in _IMPLICIT_RESOLVERS.get(text[0], ()):
        if pattern.match(text):
            return int(text) if tag == _INT_TAG and _DECIMAL.fullmatch(text) else None
    return text


def _unescape(match: re.Match) -> str:
    simple, *hex_digits = match.groups()
    if simple:
        return _ESCAPED_CHAR[simple]
    code = int(next(h for h in hex_digits if h), 16)
    # libyaml refuses surrogates and code points past Unicode.
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise ValueError(code)
    return chr(code)


def _quoted(text: str) -> str | None:
    """A single- or double-quoted scalar that is the whole of ``text``, else None."""
    quote = text[0]
    if len(text) < 2 or text[-1] != quote:
        return None
    inner = text[1:-1]
    if quote == "'":
        return None if "'" in inner.replace("''", "") else inner.replace("''", "'")
    if not _DOUBLE_QUOTED.fullmatch(inner):
        return None
    try:
        return _ESCAPE.sub(_unescape, inner)
    except ValueError:
        return None


def _block_scalar(text: str) -> str | int | None:
    """A mapping value or list item on its line (block context), else None."""
    if not text:
        return None
    if text[0] in "'\"":
        return _quoted(text)
    if text[0] in _NOT_PLAIN_FIRST or ": " in text or " #" in text or text[-1] in ": ":
        return None
    return _plain(text)


def _flow_scalar(text: str) -> str | int | None:
    return _quoted(text) if text[0] in "'\"" else _plain(text)


# A paper's provenance line is one of a few dozen in the whole archive.
@functools.lru_cache(maxsize=256)
def _flow_mapping(text: str) -> tuple[tuple[str, str], ...] | None:
    """``{k: v, k: v}``, the whole of ``text``, as its (key, value) pairs when every key is
    text and none is there twice; else None."""
    pairs = {}
    pos = 1
    while pos < len(text):
        entry = _FLOW_ENTRY.match(text, pos)
        if not entry:
            return None
        key, value = _flow_scalar(entry[1]), _flow_scalar(entry[2])
        if not isinstance(key, str) or key in pairs or value is None:
            return None
        pairs[key] = value
        pos = entry.end()
    return tuple(pairs.items()) or None


def read_dumped_meta(block: str) -> dict | None:
    """The metadata ``block`` (its lines, each ending in a newline) as YAML reads it, when
    it is in exactly the form ``dump_paper`` writes; None when it is not (read it with YAML)."""
    if block[-1:] != "\n" or _NOT_DUMPED_RAW.search(block):
        return None
    meta = {}
    items = None  # the list that ``- item`` lines go to, right after a ``key:`` line
    for line in block[:-1].split("\n"):
        if line[:2] == "- ":
            value = _block_scalar(line[2:])
            if items is None or value is None:
                return None
            items.append(value)
            continue
        key, colon, value = line.partition(":")
        if key not in _KEYS or key in meta or not colon:
            return None
        if not value:
            items = meta[key] = []
            continue
        items = None
        if value[0] != " ":
            return None
        value = value[1:]
        if value[:1] == "{":
            pairs = _flow_mapping(value)
            value = dict(pairs) if pairs else None
        else:
            value = _block_scalar(value)
        if value is None:
            return None
        meta[key] = value
    # ``key:`` with no items is null, which ``dump_paper`` never writes.
    if [] in meta.values():
        return None
    return meta


# The field names, as keys of the block; each is a plain scalar that YAML reads as itself.
_KEYS = frozenset(
    f.name for f in dataclasses.fields(Paper) if f.name != "abstract" and _block_scalar(f.name) == f.name
)


def read_paper(path: Path | str) -> Paper:
    """The paper in a paper file; ``Rejected`` names the file when it is not one."""
    return parse_paper(paper_text(Path(path).read_bytes()), source=str(path))


def paper_text(data: bytes) -> str:
    """A paper file's bytes as text: UTF-8 (else ``UnicodeDecodeError``), every line
    ending made "\\n" (what reading the file as text does)."""
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
