"""The paper file format: lossless through Pelican's reader, atomic, and confined to content/."""

from __future__ import annotations

import dataclasses
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican.settings import read_settings

from conftest import ROOT
from paper_pages.catalog import load_catalog
from paper_pages.display import abstract_html
from paper_themes import load_paper_themes
from papers.model import UNATTRIBUTED_FIELDS, Paper, Rejected, clean_text
from papers.store import ContentStore, dump_paper, parse_paper

# Any text at all, then cleaned the way the fetcher cleans it: the store must keep it exactly.
any_text = st.text(st.characters(codec="utf-8"), max_size=200)
titles = any_text.map(lambda t: clean_text(t, what="title")).filter(bool)
abstracts = any_text.map(lambda t: clean_text(t, what="abstract", multiline=True))
tricky = st.sampled_from(
    ["a: b", "---", "...", "{filename}/x.md", "|static|", "<script>alert(1)</script>", "$\\nabla^2$DFT",
     "[x](javascript:alert(1))", "yes", "null", "~", "0x1F", "'\"", "# not a heading", "- item", "é ü 中文 🤖"]
)
text_values = st.one_of(titles, tricky)
urls = st.sampled_from([None, "https://github.com/a/b", "https://x.org/?a=1&b=2#c:d"])


@st.composite
def papers(draw):
    day = draw(st.dates(min_value=__import__("datetime").date(2000, 1, 1))).isoformat()
    paper = Paper(
        arxiv_id=draw(st.from_regex(r"\A\d{4}\.\d{4,5}\Z")),
        title=draw(text_values),
        authors=draw(st.lists(text_values, max_size=5)),
        abstract=draw(st.one_of(abstracts, tricky)),
        featured=sorted(set(draw(st.lists(st.just(day), min_size=1, max_size=1)))),
        sources=["hf"],
        published=day,
        categories=draw(st.lists(st.sampled_from(["cs.CL", "cs.AI", "math.AP", "hep-th", "q-bio.NC"]), max_size=3, unique=True)),
        arxiv_comment=draw(st.none() | text_values),
        journal_ref=draw(st.none() | text_values),
        doi=draw(st.none() | st.sampled_from(["10.1000/xyz123", "10.48550/arXiv.2608.00001"])),
        upvotes=draw(st.none() | st.integers(0, 10**6)),
        num_comments=draw(st.none() | st.integers(0, 10**4)),
        github_repo=draw(urls),
        github_stars=draw(st.none() | st.integers(0, 10**6)),
        project_page=draw(urls),
        ai_summary=draw(st.none() | text_values),
        ai_keywords=draw(st.lists(text_values, max_size=4)),
        organization=draw(st.none() | text_values),
    )
    # Any field may come from any source, including ones this version does not know.
    sources = st.sampled_from(["hf", "arxiv", "a: b", "{x}", "null"])
    named = {name: draw(sources) for name in paper.to_dict() if name not in UNATTRIBUTED_FIELDS}
    return dataclasses.replace(paper, provenance=named)


PAPER_THEMES = load_paper_themes(read_settings(str(ROOT / "pelicanconf.py"))["PAPER_THEMES_FILE"])


@given(papers())
def test_every_value_round_trips_through_the_sites_catalogue(tmp_path_factory, paper):
    content = tmp_path_factory.mktemp("c")
    ContentStore(content).save(paper)
    [entry] = load_catalog(str(content), str(content / "cache"), PAPER_THEMES, paper_themes_file=None, url_format="papers/{slug}/")
    assert entry.paper == paper
    assert (entry.arxiv_id, entry.featured, entry.upvotes) == (paper.arxiv_id, tuple(paper.featured), paper.upvotes)
    assert entry.url == f"papers/{paper.arxiv_id}/"


@given(papers())
def test_no_value_can_add_a_metadata_line_or_close_the_block(paper):
    text = dump_paper(paper)
    header = text.split("\n---\n", 1)[0]
    keys = [line.split(":", 1)[0] for line in header.splitlines()[1:] if not line.startswith("- ")]
    assert keys == list(paper.to_dict())
    assert parse_paper(text) == paper


def test_abstract_markup_stays_text(tmp_path):
    paper = Paper("2608.00001", "T", ["A"], "<script>x()</script> **bold** [l](javascript:x) $a<b$\n\n{filename}/x", ["2026-08-13"], ["hf"])
    ContentStore(tmp_path).save(paper)
    content = abstract_html(parse_paper((tmp_path / "papers/2026/08/13/2608.00001.md").read_text(encoding="utf-8")).abstract)
    assert "<script>" not in content and "<strong>" not in content and "<a " not in content
    # ($a<b$ is math: the reader renders it as MathML, see papers.mathtext.)
    assert "&lt;script&gt;x()&lt;/script&gt; **bold** [l](javascript:x) " in content
    assert content.count("<p>") == 2


def test_paths_never_leave_the_content_directory(tmp_path):
    store = ContentStore(tmp_path)
    for bad_id in ["../../x", "/etc/passwd", "2608.00001/../../x"]:
        with pytest.raises(Rejected):
            store.paper_path(bad_id, "2026-08-13")
    with pytest.raises(Rejected):
        store.paper_path("2608.00001", "../../2026-08-13")


def test_a_write_killed_half_way_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    store = ContentStore(tmp_path)
    paper = Paper("2608.00001", "Old", ["A"], "x", ["2026-08-13"], ["hf"], upvotes=1)
    store.save(paper)
    path = store.paper_path("2608.00001", "2026-08-13")
    before = path.read_bytes()

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        ContentStore(tmp_path).save(Paper("2608.00001", "New", ["A"], "x", ["2026-08-13"], ["hf"], upvotes=5))
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_paper_featured_earlier_moves_to_its_first_day(tmp_path):
    store = ContentStore(tmp_path)
    store.save(Paper("2608.00001", "T", ["A"], "x", ["2026-08-19"], ["hf"]))
    assert ContentStore(tmp_path).save(Paper("2608.00001", "T", ["A"], "x", ["2026-08-13"], ["hf"])) == "updated"
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md"))
    assert files == ["papers/2026/08/13/2608.00001.md"]
    assert ContentStore(tmp_path).load("2608.00001").featured == ["2026-08-13", "2026-08-19"]


def test_an_unreadable_file_is_named(tmp_path):
    with pytest.raises(Rejected, match="x.md: the metadata block is not closed"):
        parse_paper("---\ntitle: a\n", source="x.md")
    with pytest.raises(Rejected, match="x.md: unknown field"):
        parse_paper("---\narxiv_id: '1'\nbogus: 1\n---\n", source="x.md")
