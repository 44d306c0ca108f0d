"""The fast reader of paper metadata (``papers.paperfile.read_dumped_meta``) reads every block
exactly as YAML's safe loader does, or declines and leaves it to YAML."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from papers.errors import Rejected
from papers.model import Paper
from papers.paperfile import dump_paper, parse_paper, read_dumped_meta

from tests.helpers import ROOT
from tests.helpers import paper_records as papers

DECLINED = None


def block_of(text: str) -> str:
    """The metadata lines of a paper file, as ``parse_paper`` cuts them out."""
    return text[len("---\n") : text.index("\n---\n") + 1]


def fast_read_agreeing_with_yaml(block: str) -> dict | None:
    """The fast reading of ``block`` after checking that it is YAML's (types and key order
    included: repr tells True from 1 and 1.0), or None when the fast reader declined."""
    fast = read_dumped_meta(block)
    try:
        expected = yaml.load(block, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        expected = exc
    if fast is not DECLINED:
        assert repr(fast) == repr(expected), block
    return fast


def parse_with_yaml_only(text: str, monkeypatch) -> Paper | str:
    """What ``parse_paper`` gives without the fast reader: the paper, or the rejection."""
    with monkeypatch.context() as patched:
        patched.setattr("papers.paperfile.read_dumped_meta", lambda block: DECLINED)
        try:
            return parse_paper(text)
        except Rejected as exc:
            return str(exc)


def parse_as_is(text: str) -> Paper | str:
    try:
        return parse_paper(text)
    except Rejected as exc:
        return str(exc)


# Text as a source might send it, before cleaning: control characters, line and paragraph
# separators, byte order marks, tabs, quotes, backslashes; dump_paper escapes them.
raw_text = st.text(st.characters(codec="utf-8"), max_size=40)


@given(papers())
def test_what_dump_paper_writes_is_read_as_yaml_reads_it(paper):
    text = dump_paper(paper)
    fast_read_agreeing_with_yaml(block_of(text))
    assert parse_paper(text) == paper


@given(papers(), raw_text, st.lists(raw_text, max_size=3), raw_text, raw_text)
def test_uncleaned_text_is_read_as_yaml_reads_it(paper, title, authors, organization, source):
    paper = dataclasses.replace(
        paper, title=title, authors=authors, organization=organization, provenance={"title": source, source: "hf"}
    )
    fast_read_agreeing_with_yaml(block_of(dump_paper(paper)))


# Lines of the shapes dump_paper writes, with values put together at random from pieces of
# YAML, so that most blocks are not what dump_paper writes but many are close: whatever
# comes of them, the fast reader agrees with YAML or declines.
yaml_pieces = st.sampled_from(
    ["a", "b c", "é", "🤖", "yes", "No", "~", "null", "0x1F", "017", "1.0e+3", ".inf", "12", "0", "2024-05-28", "'",
     "''", '"', "\\", "\\x41", "\\u00e9", "\\U0001F916", "\\N", "\\/", "#", " #", ": ", ":", ",", ", ", "{", "}", "[",
     "]", "-", "- ", "&a", "*a", "!!str ", "?", " ", "\t", "\ufeff", "\x85", "\u2028", "\x00", "\r", "\n", "---",
     "...", "%", "@", "`", "|", ">"]
)
yaml_values = st.one_of(
    st.sampled_from(["Feng Liang", "hf", "'2026-08-13'", "'a: b'", '"\\tx\\u00e9"', "6", "https://x.org/a?b#c"]),
    st.lists(yaml_pieces, min_size=1, max_size=4).map("".join),
)
field_names = st.sampled_from(["arxiv_id", "title", "authors", "upvotes", "organization", "sources", "bogus"])
yaml_entries = st.one_of(  # the lines of one key
    st.tuples(field_names, yaml_values).map(lambda kv: [f"{kv[0]}: {kv[1]}"]),
    st.tuples(field_names, st.lists(yaml_values, max_size=3)).map(
        lambda kv: [f"{kv[0]}:"] + [f"- {v}" for v in kv[1]]
    ),
    st.lists(st.tuples(st.one_of(field_names, yaml_values), yaml_values), max_size=3).map(
        lambda pairs: ["provenance: {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"]
    ),
    yaml_values.map(lambda line: [line]),
)


@settings(max_examples=500)
@given(st.lists(yaml_entries, min_size=1, max_size=5).map(lambda entries: "\n".join(sum(entries, [])) + "\n"))
def test_random_blocks_of_the_dumped_shape_are_read_as_yaml_reads_them_or_declined(block):
    fast_read_agreeing_with_yaml(block)


def test_every_bundled_paper_is_read_fast_and_as_yaml_reads_it(monkeypatch):
    paths = sorted((ROOT / "content" / "papers").glob("*/*/*/*.md"))
    assert len(paths) > 100
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert fast_read_agreeing_with_yaml(block_of(text)) is not DECLINED, path
        assert parse_paper(text) == parse_with_yaml_only(text, monkeypatch), path


def test_escaped_and_quoted_values_dump_paper_writes_are_read_fast():
    paper = Paper(
        "2608.00001",
        "é ü 中文 🤖 \"quoted\" 'single' a: b # c",
        ["x\tz\x85\u2028\u2029\ufeff\x00\x1b\\", "a\xa0b", "yes", "~", "0x1F", "1e3", ".inf", "2024-05-28", "...",
         "- x", "&a", "*a", "!!python/object:os.system", "? x", "%x", "`x`", "'", '"', "line\nbogus: 1\n---\nx"],
        "abstract",
        ["2026-08-13"],
        ["hf"],
        upvotes=0,
        github_stars=10**6,
        provenance={"title": "a: b", "authors": "{x}", "upvotes": "null", "github_stars": "\t"},
    )
    meta = fast_read_agreeing_with_yaml(block_of(dump_paper(paper)))
    assert meta is not DECLINED
    assert meta["authors"] == paper.authors and meta["provenance"] == paper.provenance
    assert parse_paper(dump_paper(paper)) == paper


# Scalars YAML reads as something other than the text (null, bool, int, float, date, a tag
# or an alias), quoted ones, and ones that are not scalars at all.
HOSTILE_SCALARS = [
    "yes", "'yes'", "No", "ON", "off", "y", "n", "~", "null", "Null", "NULL", "0x1F", "0o17", "017", "0b101", "1_000",
    "-1", "+1", "1e3", "1.0e+3", "1.", ".5", ".inf", "-.inf", ".NaN", "1:20", "190:20:30", "2024-05-28",
    "2024-05-28 10:00:00", "2001-12-14t21:59:43.10-05:00", "12", "0", "007", "1" * 30, "<<", "=", "!!str 5",
    "!!python/object/apply:os.system ['echo x']", "!x y", "&a x", "*a", "? x", "a #c", "C#", "a#b", "a: b", "a:",
    "a :b",
    "'a' #c", "'a''b'", "'a'b'", "''", "'", '"', '"a\\tb"', '"\\x41\\u00e9\\U0001F916"', '"\\uD800"', '"\\/"', '"\\ "',
    '"\\q"', '"a" b', "[a, b]", "{a: b}", "| x", "> x", "%x", "@x", "`x", "--- x", "...", "- x", "-x", "-", "a  b",
    "a ", " a", "http://x.org/a:b?c=d#e", "a,b", "a{b}", "[", "]", "}", "{", ",", "\\", "a\\nb",
]


@pytest.mark.parametrize("scalar", HOSTILE_SCALARS)
def test_a_hostile_scalar_is_read_as_yaml_reads_it_or_declined(scalar):
    for block in [
        f"arxiv_id: '1'\ntitle: {scalar}\n",
        f"authors:\n- {scalar}\n- b\n",
        f"provenance: {{title: {scalar}}}\n",
        f"provenance: {{{scalar}: hf}}\n",
        f"provenance: {{title: hf, authors: {scalar}}}\n",
    ]:
        fast_read_agreeing_with_yaml(block)


def test_scalars_yaml_types_otherwise_are_never_read_as_text():
    # (1e3 is not among them: PyYAML reads it as text, its floats need a dot.)
    for scalar in ["yes", "No", "~", "null", "0x1F", "017", "1.0e+3", ".inf", "2024-05-28", "<<", "*a", "!!str 5"]:
        assert fast_read_agreeing_with_yaml(f"title: {scalar}\n") is DECLINED, scalar
        assert fast_read_agreeing_with_yaml(f"authors:\n- {scalar}\n") is DECLINED, scalar
    assert read_dumped_meta("upvotes: 12\nauthors:\n- 0\n") == {"upvotes": 12, "authors": [0]}


# Blocks that are valid YAML, or nearly, but not in the form dump_paper writes.
NOT_DUMPED_BLOCKS = [
    "arxiv_id: '1'\n# a comment\ntitle: x\n",
    "title: x # a comment\n",
    "arxiv_id: '1'\n\ntitle: x\n",
    "arxiv_id: '1'\n  title: x\n",
    "title: x\n  continued on the next line\n",
    "title: a\ntitle: b\n",
    "? title\n: x\n",
    "title: &a x\norganization: *a\n",
    "title: !!str x\n",
    "%YAML 1.1\ntitle: x\n",
    "title: x\n...\n",
    "--- \ntitle: x\n",
    "title: x\r\nauthors:\r\n- a\r\n",
    "title: x\rauthors: y\n",
    "\ufefftitle: x\n",
    "title:\tx\n",
    "title: x\t\n",
    "title: a\x85b\n",
    "title: a\u2028b\n",
    "title: a\ufeffb\n",
    "title: x\n\ufeffauthors:\n- a\n",
    "title: 'a\tb'\n",
    "authors:\n- a\n  - b\n",
    "authors:\n  - a\n",
    "authors: []\n",
    "authors:\n",
    "authors:\n-\n",
    "authors:\n- a\ntitle: x\n- b\n",
    "title: x\n- b\n",
    "provenance: {}\n",
    "provenance: {title: hf, title: arxiv}\n",
    "provenance: {title: hf,}\n",
    "provenance: {title: hf, authors: {x: y}}\n",
    "provenance: {title: [hf]}\n",
    "provenance: {title: hf}  \n",
    "provenance: {title: hf} # c\n",
    "provenance: {title:hf}\n",
    "provenance: {title: hf,authors: arxiv}\n",
    "provenance: { title: hf }\n",
    "provenance: {? title: hf}\n",
    "provenance:\n  title: hf\n",
    "provenance: {title: hf\n",
    "title: x\nunknown: y\n",
    "Title: x\n",
    "title : x\n",
    "'title': x\n",
    "title:x\n",
    "title:ab\n",
    "title:  x\n",
    "title: x",
    "authors:\n- ab",
    "",
    "\n",
]


@pytest.mark.parametrize("block", NOT_DUMPED_BLOCKS)
def test_a_block_not_in_the_dumped_form_is_left_to_yaml(block):
    assert fast_read_agreeing_with_yaml(block) is DECLINED


def test_the_dumped_form_is_read_fast():
    block = (
        "arxiv_id: '2608.00001'\ntitle: 'A: title with ''quotes'''\nauthors:\n- Feng Liang\n- \"Tab\\there\"\n"
        "featured:\n- '2026-08-13'\nupvotes: 6\nthumbnail: https://x.org/a.png?b=c#d\n"
        "provenance: {title: arxiv, authors: 'a, b', upvotes: \"h\\u00e9\"}\n"
    )
    assert fast_read_agreeing_with_yaml(block) == {
        "arxiv_id": "2608.00001",
        "title": "A: title with 'quotes'",
        "authors": ["Feng Liang", "Tab\there"],
        "featured": ["2026-08-13"],
        "upvotes": 6,
        "thumbnail": "https://x.org/a.png?b=c#d",
        "provenance": {"title": "arxiv", "authors": "a, b", "upvotes": "hé"},
    }


# Whole files, through parse_paper: the result (or the rejection) is the YAML path's.
ID = "---\narxiv_id: '2608.00001'\n"
DAY_AND_BODY = "featured:\n- '2026-08-13'\nsources:\n- hf\n---\nx\n"
HOSTILE_FILES = [
    f"{ID}title: x\r\nauthors:\r\n- a\r\n{DAY_AND_BODY}",
    "---\r\narxiv_id: '2608.00001'\r\n---\r\nx\r\n",
    f"\ufeff{ID}---\nx\n",
    f"{ID}title: '---'\n{DAY_AND_BODY}---\n",
    f"{ID}title: \"x\\nbogus: 1\\n---\\n\"\n{DAY_AND_BODY}",
    f"{ID}title: x\nbogus: 1\n{DAY_AND_BODY}",
    f"{ID}title: !!python/object/apply:os.system ['echo x']\n{DAY_AND_BODY}",
    f"{ID}title: yes\n{DAY_AND_BODY}",
    f"{ID}provenance: {{title: null}}\n{DAY_AND_BODY}",
    f"{ID}provenance: [title]\n{DAY_AND_BODY}",
    "---\n- arxiv_id\n---\nx\n",
    ID,
    "---\n---\nx\n",
]


@pytest.mark.parametrize("text", HOSTILE_FILES)
def test_a_hostile_file_reads_as_it_does_through_yaml(text, monkeypatch):
    assert parse_as_is(text) == parse_with_yaml_only(text, monkeypatch)


def test_characters_dump_paper_never_writes_raw_are_exactly_the_ones_yaml_would_not_read_as_is():
    """YAML 1.1's printable set less its line breaks (NEL, LS, PS) and byte order mark, with
    line feed kept: on every code point."""
    import sys

    from papers.paperfile import _NOT_DUMPED_RAW

    def dumped_raw(code: int) -> bool:
        printable = code in (0x9, 0xA, 0xD, 0x85) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
        return printable and code not in (0x9, 0xD, 0x85, 0x2028, 0x2029, 0xFEFF)

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(_NOT_DUMPED_RAW.findall(every)) == "".join(c for c in every if not dumped_raw(ord(c)))
