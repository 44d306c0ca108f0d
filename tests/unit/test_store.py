"""The paper file format: lossless through Pelican's reader, atomic, and confined to content/."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from papers.catalog.cache import load_entries as load_catalog
from papers.errors import Rejected
from papers.model import Paper
from papers.paperfile import dump_paper, parse_paper
from papers.render.display import abstract_html
from papers.store import ContentStore
from papers.themes import load_paper_themes
from pelican.settings import read_settings

from tests.helpers import ROOT
from tests.helpers import paper_records as papers

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
    # ($a<b$ is math: the reader renders it as MathML, see papers.render.mathtext.)
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
