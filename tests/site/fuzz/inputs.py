"""The fuzz test's inputs: hostile values of every class, and hypothesis strategies of
Hugging Face entries and response bodies built from real recorded entries."""

from __future__ import annotations

import copy
import dataclasses
import json

from hypothesis import strategies as st

from tests.helpers import HF_DAYS, hf_entries
from tests.site.fuzz.values import COUNTS, FRONT_MATTER, HANDLES, HTML, IDS, MARKDOWN, PELICAN, SEED_DAY, TEX, TEXT_PIECES, URLS, VALID_IDS, WRONG_TYPES

any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # surrogates included
hostile_text = st.one_of(
    st.sampled_from(HTML + MARKDOWN + PELICAN + FRONT_MATTER + TEX),
    st.sampled_from(TEXT_PIECES),
    st.lists(st.sampled_from(TEXT_PIECES) | any_text, min_size=1, max_size=5).map("".join),
    any_text,
)
huge_text = st.sampled_from(["x" * 10_000, "A" * 1_001, "é" * 1_000, "a\n" * 6_000, "b" * 20_001, "<b>" * 333])
wrong_types = st.sampled_from(WRONG_TYPES)
# Each field has values the fetcher should keep (cleaned: stored, shown as text) and values
# it should refuse (the entry is rejected): most mutations are of the first kind, so that
# hostile data reaches the store and the pages.
text_kept = st.one_of(hostile_text, hostile_text, hostile_text, huge_text)
url_values = st.one_of(st.sampled_from(URLS), wrong_types, hostile_text)  # never rejects: dropped, with a warning
id_kept = st.sampled_from([*VALID_IDS, " 2401.00001 ", "2401.00001v12"])
id_refused = st.one_of(st.sampled_from(IDS), wrong_types, hostile_text)
count_kept = st.one_of(st.none(), st.integers(0, 10**9))
count_refused = st.one_of(st.sampled_from(COUNTS), st.integers(-(2**70), 2**70))
date_values = st.one_of(  # a bad date drops the field, with a warning
    st.sampled_from(["2026-08-21T00:00:00.000Z", "2026-02-30", "1990-12-31", "2101-01-01", "0000-00-00", "２０２６-08-21", "2026-08-21\n---"]),
    wrong_types,
    hostile_text,
)


@st.composite
def author_lists(draw, kept: bool):
    if kept and draw(st.integers(0, 7)) == 0:  # a collaboration: thousands of authors, once past the limit
        count = draw(st.sampled_from([2_000, 3_303, 5_001]))
        return [{"name": f"Author {n} <b>{n}</b>"} for n in range(count)]
    if kept:
        return [{"name": draw(text_kept), "hidden": draw(st.booleans())} for _ in range(draw(st.integers(0, 4)))]
    if draw(st.booleans()):
        return draw(st.lists(st.sampled_from(WRONG_TYPES + [{"name": None}, {"nom": "x"}, {"name": ["x"]}]), min_size=1, max_size=3))
    return draw(wrong_types)


keywords_kept = st.one_of(st.lists(text_kept, max_size=4), st.just([f"kw{n} <i>{n}</i>" for n in range(150)]))
keywords_refused = st.one_of(wrong_types, st.lists(wrong_types, min_size=1, max_size=3))
org_kept = st.one_of(
    st.fixed_dictionaries({"fullname": text_kept, "name": st.sampled_from(HANDLES) | hostile_text}),
    st.fixed_dictionaries({"name": st.sampled_from(HANDLES)}),
    wrong_types,
)
org_refused = st.fixed_dictionaries({"fullname": st.sampled_from([True, 1, 1.5, 10**30, ["x"], {"name": "x"}])})
NOTHING = st.nothing()

DELETE = object()  # a mutation that removes the field
APPEND = "append"  # a mutation that appends hostile text to the value there

# Where an entry can be made hostile, and with what: (path, kept values, refused values).
# An int in a path is an index into the list there (taken modulo its length).
TEXT_REFUSED = st.one_of(wrong_types, st.sampled_from(["A" * 1_001 + "x" * 20_000]))
FIELDS = [
    (("title",), text_kept, TEXT_REFUSED),
    (("title",), text_kept, TEXT_REFUSED),  # twice: the title is on every page and feed
    (("paper", "title"), text_kept, TEXT_REFUSED),
    (("paper", "summary"), text_kept, TEXT_REFUSED),
    (("summary",), text_kept, TEXT_REFUSED),
    (("paper", "ai_summary"), text_kept, TEXT_REFUSED),
    (("paper", "authors", 0, "name"), text_kept, TEXT_REFUSED),
    (("paper", "authors", 3, "name"), text_kept, TEXT_REFUSED),
    (("paper", "authors", 0), NOTHING, wrong_types),
    (("paper", "authors"), author_lists(kept=True), author_lists(kept=False)),
    (("paper", "ai_keywords"), keywords_kept, keywords_refused),
    (("paper", "ai_keywords", 0), text_kept, TEXT_REFUSED),
    (("paper", "id"), id_kept, id_refused),
    (("paper", "publishedAt"), date_values, NOTHING),
    (("paper", "upvotes"), count_kept, count_refused),
    (("numComments",), count_kept, count_refused),
    (("paper", "githubStars"), count_kept, count_refused),
    (("paper", "githubRepo"), url_values, NOTHING),
    (("paper", "projectPage"), url_values, NOTHING),
    (("thumbnail",), url_values, NOTHING),
    (("mediaUrl",), url_values, NOTHING),
    (("organization",), org_kept, org_refused),
    (("paper", "organization"), org_kept, org_refused),
    (("submitterOrganization",), org_kept, org_refused),
    (("paper",), NOTHING, wrong_types),
]
TEXT_PATHS = [path for path, kept, _ in FIELDS if kept is text_kept]


@st.composite
def mutations(draw):
    path, kept, refused = FIELDS[draw(st.integers(0, len(FIELDS) - 1))]
    if draw(st.integers(0, 9)) == 0:
        return path, DELETE
    if path in TEXT_PATHS and draw(st.booleans()):
        return path, (APPEND, draw(hostile_text))
    if refused is NOTHING or (kept is not NOTHING and draw(st.integers(0, 5))):
        return path, draw(kept)
    return path, draw(refused)


def apply_mutation(entry: object, path: tuple, value: object) -> None:
    """Set (or delete, or append to) the value at ``path`` in ``entry``, where it can be."""
    node = entry
    for key in path[:-1]:
        if isinstance(key, int):
            if not isinstance(node, list) or not node:
                return
            node = node[key % len(node)]
        else:
            if not isinstance(node, dict) or key not in node:
                return
            node = node[key]
    key = path[-1]
    if isinstance(key, int):
        if not isinstance(node, list) or not node:
            return
        key %= len(node)
    elif not isinstance(node, dict):
        return
    if value is DELETE:
        if isinstance(node, dict):
            node.pop(key, None)
        return
    if isinstance(value, tuple) and value[:1] == (APPEND,):
        old = node.get(key) if isinstance(node, dict) else node[key]
        value = (old if isinstance(old, str) else "") + value[1]
    node[key] = copy.deepcopy(value)  # never the pools' own lists and mappings


ALL_ENTRIES = {day.stem: hf_entries(day.stem) for day in HF_DAYS}


@st.composite
def entry_lists(draw):
    """A day's entries: real recorded ones (the seed day's often, so that ids overlap with
    what is stored), each with a few hostile fields; sometimes one twice, or a non-object."""
    day = draw(st.one_of(st.just(SEED_DAY), st.sampled_from(sorted(ALL_ENTRIES))))
    recorded = ALL_ENTRIES[day]
    picks = draw(st.lists(st.integers(0, len(recorded) - 1), min_size=1, max_size=4))
    entries = []
    for n in picks:
        entry = json.loads(json.dumps(recorded[n]))  # a deep copy
        for path, value in draw(st.lists(mutations(), min_size=1, max_size=5)):
            apply_mutation(entry, path, value)
        entries.append(entry)
    if draw(st.integers(0, 5)) == 0:
        entries.insert(draw(st.integers(0, len(entries))), copy.deepcopy(draw(st.sampled_from([*WRONG_TYPES, {"paper": None}, {"title": "x"}]))))
    return entries


WHOLE_BODIES = [
    "null",
    "42",
    '"x"',
    "true",
    "{}",
    '{"paper": {}}',
    "[",
    "",
    "   ",
    "<html>Bad Gateway</html>",
    "[" * 100_000 + "]" * 100_000,
    '[1, "x", null, [], true]',
    '[{"paper": null}]',
    '[{"paper": []}]',
    "[{}]",
    "\ufeff[]",
    "[]",
    "NaN",
    "[NaN, Infinity]",
    "1e999",
    '"\\ud800"',
    "[" + ",".join(['{"paper": {"id": "2401.00001"}}'] * 3) + "]",
]


@dataclasses.dataclass
class Body:
    """One day's response as the file the fetch script replays."""

    data: bytes
    entries: list | None  # the entries, when the body is a list of them
    how: str

    def __repr__(self):
        shown = self.data[:300].decode("utf-8", "backslashreplace")
        return f"Body({self.how}, {len(self.data):,} bytes: {shown!r}{'…' if len(self.data) > 300 else ''})"


@st.composite
def bodies(draw):
    if draw(st.integers(0, 7)) == 0:
        text = draw(st.sampled_from(WHOLE_BODIES))
        body = Body(text.encode("utf-8"), None, "whole body")
        if body_is_list(body):
            body.entries = json.loads(text)
        return body
    entries = draw(entry_lists())
    ascii_only = json.dumps(entries, ensure_ascii=True)  # lone surrogates survive as \ud800
    mode = draw(st.sampled_from(["ascii", "utf-8", "utf-8", "surrogatepass"]))
    if mode == "ascii":
        return Body(ascii_only.encode("ascii"), entries, "json ascii")
    raw = json.dumps(entries, ensure_ascii=False)
    try:
        return Body(raw.encode("utf-8"), entries, "json utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, or written as invalid UTF-8
        if mode == "surrogatepass":
            return Body(raw.encode("utf-8", "surrogatepass"), entries, "json invalid utf-8")
        return Body(ascii_only.encode("ascii"), entries, "json ascii")


DAYS = ["2026-08-21", "2026-08-20", "2026-08-22", "2024-02-29", "1991-01-01", "2100-12-31"]
day_runs = st.lists(st.tuples(st.sampled_from(DAYS), bodies()), min_size=1, max_size=2)


def body_is_list(body: Body) -> bool:
    """Whether the body is UTF-8 JSON holding a list (what the fetcher can read entries from)."""
    try:
        return isinstance(json.loads(body.data.decode("utf-8")), list)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
