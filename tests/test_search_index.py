"""The search index builder (plugins/search_index): terms, fields, shards, cache reuse, and
the index of the fixture site as Pelican writes it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from lunr.index import Index
from search_index import index_builder
from search_index.index_builder import SearchDocument, build_search_index, index_terms, period_of, words


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
