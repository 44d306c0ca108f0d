"""The search index builder (plugins/search_index): terms, fields, shards, cache reuse, and
the index of the fixture site as Pelican writes it."""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lunr.builder import Builder
from lunr.index import Index
from lunr.stemmer import stemmer
from papers import search_index as index_builder
from papers.paperfile import parse_paper
from papers.search_index import (
    META_FIELDS,
    TEXT_FIELDS,
    SearchDocument,
    build_search_index,
    index_terms,
    lunr_documents,
    lunr_index,
    period_of,
    thousandths,
    to_json,
    words,
)
from papers.themes import load_paper_themes, match_paper_themes

from tests.helpers import ROOT


def doc(arxiv_id: str, day: str, title: str = "A paper", **fields) -> SearchDocument:
    values = dict(
        arxiv_id=arxiv_id,
        url=f"papers/{arxiv_id}/",
        title=title,
        authors=("Ada Lovelace", "Alan Turing"),
        day=day,
        paper_themes=("Language models",),
        indexed_themes=("Language models",),
        keywords=("tokenizer",),
        abstract="We study things.",
    )
    values.update(fields)
    return SearchDocument(**values)


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def shard(output: Path, manifest: dict, period: str, tier: str):
    entry = next(s for s in manifest["shards"] if s["period"] == period)
    return read_json(output / entry[tier])


def search(serialized: dict, query: str) -> list[str]:
    return [r["ref"] for r in Index.load(serialized).search(query)]


def test_words_fold_case_and_accents_and_split_on_anything_but_letters_and_digits():
    assert words("Oscar Mañas, GPT-4o <b>x</b> José") == ["oscar", "manas", "gpt", "4o", "b", "x", "b", "jose"]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_words_of_ascii_text_are_the_regex_runs(text):
    # words() splits ASCII text with a byte table; other text goes through the regex.
    assert words(text) == index_builder.WORD_RE.findall(text.lower())


@given(st.text())
def test_words_of_any_text_drop_the_marks_of_its_decomposition(text):
    # The reference: NFKD, then every character of category M dropped, one at a time.
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    expected = index_builder.WORD_RE.findall(kept)
    assert words(text) == expected


def test_index_terms_drop_stop_words_and_stem():
    assert index_terms("The Models are Learning") == ["model", "learn"]


@pytest.mark.parametrize("day, period", [("2026-08-01", "2026-08a"), ("2026-08-15", "2026-08a"), ("2026-08-16", "2026-08b"), ("2026-02-28", "2026-02b")])
def test_periods_are_half_months(day, period):
    assert period_of(day) == period


def test_fields_and_records(tmp_path):
    paper = doc(
        "2608.12313", "2026-08-20", title="Diffusion Transformers for Weather",
        authors=tuple(f"Author{i} Surname{i}" for i in range(7)),
        keywords=("nowcasting",), abstract="Precipitation forecasts " * 30,
    )
    manifest, _ = build_search_index([paper], tmp_path / "search", tmp_path / "cache")
    meta = shard(tmp_path / "search", manifest, "2026-08b", "meta")
    text = shard(tmp_path / "search", manifest, "2026-08b", "text")

    assert meta["index"]["fields"] == ["title", "authors", "themes", "keywords"]
    assert text["index"]["fields"] == ["abstract"]
    assert meta["index"]["version"] == "2.3.9"
    assert meta["index"]["pipeline"] == ["stemmer"]
    record = dict(zip(manifest["record_fields"], meta["records"][0]))
    assert record["id"] == "2608.12313"
    assert record["url"] == "papers/2608.12313/"
    assert record["authors"] == [f"Author{i} Surname{i}" for i in range(5)]
    assert record["more_authors"] == 2
    assert record["themes"] == ["Language models"]
    assert record["snippet"].endswith(" …") and len(record["snippet"]) <= index_builder.SNIPPET_CHARS + 2
    assert record["upvotes"] is None  # not featured by Hugging Face
    for query in ("diffusion", "surname6", "languag", "nowcast"):
        assert search(meta["index"], query) == ["0"], query
    assert search(meta["index"], "precipit") == []
    assert search(text["index"], "precipit") == ["0"]
    assert manifest["shards"][0]["id_prefixes"] == ["2608"]


def test_title_is_boosted(tmp_path):
    in_title = doc("2608.00001", "2026-08-20", title="Sparse attention")
    in_keywords = doc("2608.00002", "2026-08-20", title="Something else", keywords=("sparse attention",))
    manifest, _ = build_search_index([in_keywords, in_title], tmp_path / "search", tmp_path / "cache")
    meta = shard(tmp_path / "search", manifest, "2026-08b", "meta")
    refs = search(meta["index"], "sparse")
    assert [meta["records"][int(r)][0] for r in refs] == ["2608.00001", "2608.00002"]


def test_catch_all_theme_is_shown_but_not_indexed(tmp_path):
    paper = doc("2608.00001", "2026-08-20", paper_themes=("Other papers",), indexed_themes=())
    manifest, _ = build_search_index([paper], tmp_path / "search", tmp_path / "cache")
    meta = shard(tmp_path / "search", manifest, "2026-08b", "meta")
    assert meta["records"][0][manifest["record_fields"].index("themes")] == ["Other papers"]
    assert search(meta["index"], "other") == []


def test_shards_are_newest_first_and_hold_each_paper_once(tmp_path):
    documents = [doc(f"26{m:02d}.{n:05d}", f"2026-{m:02d}-{d:02d}") for m in (1, 2, 3) for d in (3, 20) for n in (m * 100 + d, m * 100 + d + 1)]
    manifest, stats = build_search_index(documents, tmp_path / "search", tmp_path / "cache")
    assert [s["period"] for s in manifest["shards"]] == ["2026-03b", "2026-03a", "2026-02b", "2026-02a", "2026-01b", "2026-01a"]
    ids = [r[0] for s in manifest["shards"] for r in read_json(tmp_path / "search" / s["meta"])["records"]]
    assert sorted(ids) == sorted(d.arxiv_id for d in documents)
    assert manifest["papers"] == len(documents) and stats.indexed == 6


def test_unchanged_shards_are_reused_from_the_cache(tmp_path, monkeypatch):
    output, cache = tmp_path / "search", tmp_path / "cache"
    documents = [doc(f"2608.{n:05d}", f"2026-08-{d:02d}") for n, d in enumerate((1, 2, 16, 17))] + [doc("2607.00001", "2026-07-20")]
    first, stats = build_search_index(documents, output, cache)
    assert (stats.indexed, stats.reused) == (3, 0)

    # Built from scratch into a new output directory (a publish build deletes it): all reused.
    again, stats = build_search_index(documents, tmp_path / "fresh", cache)
    assert (stats.indexed, stats.reused) == (0, 3)
    assert again == first
    for entry in first["shards"]:
        for tier in ("meta", "text"):
            assert (tmp_path / "fresh" / entry[tier]).read_bytes() == (output / entry[tier]).read_bytes()

    # One more day: only its half month is indexed again; the old shard file is gone.
    documents.append(doc("2608.99999", "2026-08-18"))
    newer, stats = build_search_index(documents, output, cache)
    assert (stats.indexed, stats.reused) == (1, 2)
    assert newer["shards"][1:] == first["shards"][1:]
    assert not (output / first["shards"][0]["meta"]).exists()
    assert len(list(cache.glob("*.json"))) == 6

    # A changed paper changes its shard; so does a new version of the builder code.
    changed = [replace(documents[0], title="A new title"), *documents[1:]]
    _, stats = build_search_index(changed, output, cache)
    assert (stats.indexed, stats.reused) == (1, 2)
    monkeypatch.setattr(index_builder, "CODE_VERSION", "another")
    _, stats = build_search_index(changed, output, cache)
    assert (stats.indexed, stats.reused) == (3, 0)


def test_worker_processes_write_the_same_index(tmp_path):
    documents = [doc(f"2608.{n:05d}", f"2026-0{m}-{10 + n % 10:02d}", title=f"Title {n}") for m in (1, 2, 3) for n in range(20)]
    serial, _ = build_search_index(documents, tmp_path / "serial", tmp_path / "c1", workers=1)
    parallel, _ = build_search_index(documents, tmp_path / "parallel", tmp_path / "c2", workers=2)
    assert serial == parallel
    for entry in serial["shards"]:
        assert (tmp_path / "serial" / entry["meta"]).read_bytes() == (tmp_path / "parallel" / entry["meta"]).read_bytes()


def test_the_fixture_site_has_a_search_page_and_an_index_of_every_paper(built_site, replayed_content):
    page = (built_site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<script src="/theme/js/lunr.min.js" defer></script>' in page
    assert "<noscript>" in page
    assert "lunr - http://lunrjs.com" in (built_site / "theme" / "js" / "lunr.min.js").read_text(encoding="utf-8")[:200]
    assert "Permission is hereby granted" in (built_site / "theme" / "js" / "lunr.LICENSE").read_text(encoding="utf-8")

    manifest = read_json(built_site / "search" / "manifest.json")
    papers = sorted(p.stem for p in replayed_content.glob("papers/*/*/*/*.md"))
    ids = [r[0] for s in manifest["shards"] for r in read_json(built_site / "search" / s["meta"])["records"]]
    assert sorted(ids) == papers
    themes = manifest["record_fields"].index("themes")
    records = [r for s in manifest["shards"] for r in read_json(built_site / "search" / s["meta"])["records"]]
    assert all(1 <= len(r[themes]) <= 3 for r in records)  # every paper shows its paper themes


def lunr_py_index(fields, documents: list[dict]) -> dict:
    """The reference ``lunr_index`` must equal: lunr.py's own Builder over the same terms."""
    builder = Builder()
    builder.ref("ref")
    builder.search_pipeline.add(stemmer)
    for name, boost in fields:
        builder.field(name, boost)
    for document in documents:
        builder.add(document)
    return builder.build().serialize()


def assert_same_index(fields, documents: list[dict]) -> dict:
    ours, reference = lunr_index(fields, documents), lunr_py_index(fields, documents)
    assert ours == reference
    assert to_json(ours) == to_json(reference)  # also tells 1 from 1.0
    return ours


def fixture_documents(content: Path) -> list[SearchDocument]:
    """The recorded papers as the build makes them search documents."""
    paper_themes = load_paper_themes(ROOT / "themes.yml")
    documents = []
    for path in sorted(content.glob("papers/*/*/*/*.md")):
        paper = parse_paper(path.read_text(encoding="utf-8"), source=str(path))
        matches = match_paper_themes(paper, paper_themes)
        documents.append(SearchDocument(
            arxiv_id=paper.arxiv_id, url=f"papers/{paper.arxiv_id}/", title=paper.title,
            authors=tuple(paper.authors), day=paper.first_featured,
            paper_themes=tuple(m.theme.name for m in matches),
            indexed_themes=tuple(m.theme.name for m in matches if not m.theme.is_catch_all),
            keywords=tuple(paper.ai_keywords), abstract=paper.abstract,
        ))
    return documents


def scored(index: dict, query: str) -> list[tuple[str, float]]:
    return [(r["ref"], r["score"]) for r in Index.load(index).search(query)]


def test_lunr_index_equals_lunr_py_on_the_recorded_papers_and_searches_the_same(replayed_content):
    periods: dict[str, list[SearchDocument]] = {}
    for document in fixture_documents(replayed_content):
        periods.setdefault(period_of(document.day), []).append(document)
    assert sum(map(len, periods.values())) > 50
    for shard in periods.values():
        meta_docs, text_docs = lunr_documents(shard)
        meta, text = assert_same_index(META_FIELDS, meta_docs), assert_same_index(TEXT_FIELDS, text_docs)
        reference_meta, reference_text = lunr_py_index(META_FIELDS, meta_docs), lunr_py_index(TEXT_FIELDS, text_docs)
        for query in {*index_terms(shard[0].title), *index_terms(shard[-1].abstract)[:8], "model", "languag model", "nosuchterm"}:
            assert scored(meta, query) == scored(reference_meta, query), query
            assert scored(text, query) == scored(reference_text, query), query


@st.composite
def lunr_corpora(draw):
    """Fields and documents over a small vocabulary: terms repeat, in one field and across
    fields and documents; fields may be empty; terms are any text (upper case included:
    lunr lower-cases list items), the empty string too."""
    vocabulary = draw(st.lists(st.text(max_size=4), min_size=1, max_size=8, unique=True))
    fields = draw(st.sampled_from([META_FIELDS, TEXT_FIELDS, (("a", 1), ("b", 2.5), ("c", 1))]))
    refs = draw(st.lists(st.text(max_size=3), min_size=1, max_size=8, unique=True))
    terms = st.lists(st.sampled_from(vocabulary), max_size=10)
    return fields, [{"ref": ref, **{name: draw(terms) for name, _ in fields}} for ref in refs]


@given(lunr_corpora())
@example((META_FIELDS, [{"ref": "0", "title": ["attent"], "authors": [], "themes": [], "keywords": []}]))
@example((TEXT_FIELDS, [{"ref": "0", "abstract": ["Σa", "σa", "İ", "i"]}, {"ref": "1", "abstract": []}]))
def test_lunr_index_equals_lunr_py(corpus):
    fields, documents = corpus
    ours = assert_same_index(fields, documents)
    reference = lunr_py_index(fields, documents)
    for query in ("a", "b", "c*", "*"):
        assert scored(ours, query) == scored(reference, query)


def test_lunr_index_of_no_documents_is_empty_and_loads():
    # lunr.py cannot build it (its average field length divides by zero); shards are never
    # empty, but an empty index is a valid one.
    index = lunr_index(TEXT_FIELDS, [])
    assert index["fieldVectors"] == [] and index["invertedIndex"] == []
    assert scored(index, "anything") == []


def test_lunr_index_refuses_two_documents_with_one_ref():
    with pytest.raises(ValueError, match="ref"):
        lunr_index(TEXT_FIELDS, [{"ref": "0", "abstract": ["a"]}, {"ref": "0", "abstract": ["b"]}])


@given(st.floats(min_value=0, max_value=1e12, exclude_max=True))
@example(0.0625)  # x * 1000 is 62.5 exactly: a tie, to even
@example(1.0625)
@example(0.0005)  # x * 1000 rounds to 0.5 but x is a little more than 0.0005
@example(2.0015)
def test_thousandths_rounds_like_round(x):
    for value in (x, math.nextafter(x, 0), math.nextafter(x, math.inf)):
        assert repr(thousandths([value])[0]) == repr(round(value, 3)), value
