"""A well-formed paper file holding a value of the wrong type is reported by name and skipped;
the rest of the site builds (class 5 of the hardening issue, build side).

Each bad file is a real paper file with one field changed as a careless hand edit or a
hostile commit would change it.  The build must log one error naming the file and the
field, build every other paper, and never crash.
"""

from __future__ import annotations

import logging

import pytest
from papers.field_types import checked_fields
from papers.model import Paper
from papers.paperfile import dump_paper, parse_paper

from tests.helpers import build_site

GOOD = Paper(
    arxiv_id="2608.00001",
    title="A good paper",
    authors=["Ada Lovelace"],
    abstract="It builds.",
    featured=["2026-08-20"],
    sources=["hf"],
    published="2026-08-19",
    upvotes=3,
)
BAD_ID = "2608.00002"

# (the line that replaces or joins the metadata, the field the error must name)
BAD_VALUES = [
    ("title: 123", "title"),
    ("title: [a, b]", "title"),
    ("title: ''", "title"),
    ("title: null", "title"),
    ("featured: []", "featured"),
    ("featured: ['not-a-date']", "featured"),
    ("featured: ['2026-13-45']", "featured"),
    ("featured: ['0000-00-00']", "featured"),
    ("featured: '2026-08-20'", "featured"),
    ("featured: ['２０２６-０８-２０']", "featured"),
    ("upvotes: lots", "upvotes"),
    ("upvotes: -1", "upvotes"),
    ("upvotes: 1.5", "upvotes"),
    ("upvotes: true", "upvotes"),
    ("upvotes: 100000000000000", "upvotes"),
    ("github_stars: '5'", "github_stars"),
    ("authors: [1]", "authors[1]"),
    ("authors: [Ada, {name: x}]", "authors[2]"),
    ("authors: Ada Lovelace", "authors"),
    ("doi: [a]", "doi"),
    ("doi: {a: b}", "doi"),
    ("arxiv_id: '../../../../tmp/pwned'", "arxiv_id"),
    ("arxiv_id: '２６０８.０００２'", "arxiv_id"),
    ("arxiv_id: 2608.00002", "arxiv_id"),  # a float to YAML
    ("arxiv_id: '2608.00002v2'", "arxiv_id"),
    ("categories: ['cs.LG\"><script>alert(1)</script>']", "categories[1]"),
    ("categories: cs.LG", "categories"),
    ("sources: hf", "sources"),
    ("provenance: [title]", "provenance"),
    ("provenance: {title: 1}", "provenance"),
    ("fetched: {hf: yesterday}", "fetched"),
    ("ai_keywords: [[nested]]", "ai_keywords[1]"),
    ("hf_models: ['javascript:alert(1)']", "hf_models[1]"),
    ("hf_models: [a/b, 'https://evil.example/x']", "hf_models[2]"),
    ("hf_models: [1]", "hf_models[1]"),
    ("hf_datasets: ['owner/..']", "hf_datasets[1]"),
    ("hf_datasets: ['<script>/x']", "hf_datasets[1]"),
    ("hf_spaces: owner/space", "hf_spaces"),
    ("hf_spaces: [{id: owner/space}]", "hf_spaces[1]"),
    ("hf_num_models: many", "hf_num_models"),
    ("hf_num_datasets: -1", "hf_num_datasets"),
    ("hf_num_spaces: [3]", "hf_num_spaces"),
    ("published: 2026-13-45", "invalid metadata"),  # YAML itself refuses this date
    ("published: '2026-02-30'", "published"),
    ("title: !!float x", "invalid metadata"),
    ("title: !!timestamp x", "invalid metadata"),
    ("title: " + "[" * 5000 + "]" * 5000, "nested"),
    ("save_as: ../../evil.html", "save_as"),
]


def bad_file(line: str) -> str:
    """The bad paper's file with ``line`` in place of its field of that name (or added)."""
    text = dump_paper(Paper(BAD_ID, "Bad", ["Eve"], "Bad abstract.", ["2026-08-20"], ["hf"], published="2026-08-19"))
    key = line.split(":", 1)[0]
    lines = text.split("\n")
    end = lines.index("---", 1)
    kept = [ln for ln in lines[1:end] if ln.split(":", 1)[0] != key and not (ln.startswith("- ") and _list_of(lines, ln) == key)]
    return "\n".join(["---", *kept, line, *lines[end:]])


def _list_of(lines: list[str], item: str) -> str:
    """The key whose ``- item`` list ``item`` belongs to."""
    for ln in reversed(lines[: lines.index(item)]):
        if not ln.startswith("- "):
            return ln.rstrip(":")
    return ""


@pytest.mark.parametrize(("line", "field"), BAD_VALUES, ids=[line[:40] for line, _ in BAD_VALUES])
def test_a_wrong_type_is_refused_naming_the_file_and_the_field(line, field):
    from papers.errors import Rejected

    with pytest.raises(Rejected) as refused:
        parse_paper(bad_file(line), source="content/papers/2026/08/20/2608.00002.md")
    message = str(refused.value)
    assert message.startswith("content/papers/2026/08/20/2608.00002.md: ")
    assert field in message


def test_every_good_value_of_the_example_passes_and_an_unquoted_day_is_taken_as_that_day():
    assert parse_paper(dump_paper(GOOD)) == GOOD
    paper = parse_paper(bad_file("published: 2026-08-20"))
    assert paper.published == "2026-08-20"
    assert checked_fields({"arxiv_id": "2608.00001", "title": "T", "featured": ["2026-08-20"], "sources": ["hf"]})


def test_the_site_builds_without_each_bad_file_and_says_which_it_skipped(tmp_path, caplog):
    content = tmp_path / "content"
    day = content / "papers" / "2026" / "08" / "20"
    day.mkdir(parents=True)
    (day / f"{GOOD.arxiv_id}.md").write_text(dump_paper(GOOD), encoding="utf-8")
    bad_lines = [line for line, _ in BAD_VALUES]
    for n, line in enumerate(bad_lines):
        # One bad file per value, each under its own (valid) name.
        (day / f"2608.{10000 + n}.md").write_text(bad_file(line).replace(BAD_ID, f"2608.{10000 + n}"), encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        site = build_site(content, tmp_path / "output")
    assert (site / "papers" / GOOD.arxiv_id / "index.html").is_file()
    skipped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Skipped ")]
    for n, (line, field) in enumerate(BAD_VALUES):
        name = f"2608.{10000 + n}.md"
        [message] = [m for m in skipped if name in m]
        assert field in message, message
    built = {p.parent.name for p in (site / "papers").glob("*/index.html")}
    assert built == {GOOD.arxiv_id}
    assert not (tmp_path / "evil.html").exists() and not list(tmp_path.rglob("pwned*"))
