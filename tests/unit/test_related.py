"""Related papers (papers.catalog.related): the cold computation against a plain reference,
and the incremental one against the cold, on real titles and abstracts (the recorded days)."""

from __future__ import annotations

import json
import pickle
import types
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from papers.catalog import related
from papers.catalog.related import NEIGHBOURS, RelatedInput, related_papers, term_counts, weighted, words
from papers.paperfile import read_paper
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "hf_daily_papers"


class Entry:
    """What related_papers reads of a catalogue entry."""

    def __init__(self, arxiv_id, title, abstract, state="v1"):
        self.arxiv_id = arxiv_id
        self.paper = types.SimpleNamespace(title=title, abstract=abstract)
        self.page_state = f"{state}:{arxiv_id}"


def recorded_papers() -> list[Entry]:
    """Every paper of the recorded Hugging Face days, newest first (as the catalogue)."""
    found = {}
    for path in sorted(FIXTURES.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            paper = item["paper"]
            found[paper["id"]] = Entry(paper["id"], paper.get("title", ""), paper.get("summary", ""))
    return [found[i] for i in sorted(found, reverse=True)]


@pytest.fixture(scope="module")
def papers() -> list[Entry]:
    entries = recorded_papers()
    assert len(entries) > 300
    return entries


def reference(entries: list[Entry]) -> dict[str, tuple]:
    """The same neighbours the plain way: scikit-learn's TfidfVectorizer with its vocabulary
    and NearestNeighbors by cosine, ties by position."""
    vectorizer = TfidfVectorizer(
        stop_words="english", token_pattern=related.TOKEN_PATTERN, strip_accents="unicode", sublinear_tf=True,
        min_df=related.MIN_DOCUMENTS, max_df=max(int(related.MAX_DOCUMENT_SHARE * len(entries)), related.MIN_DOCUMENTS),
    )
    vectors = vectorizer.fit_transform([f"{e.paper.title}\n{e.paper.abstract}" for e in entries])
    distances, found = NearestNeighbors(n_neighbors=NEIGHBOURS + 1, metric="cosine", algorithm="brute").fit(vectors).kneighbors(vectors)
    out = {}
    for i, (row_distances, row) in enumerate(zip(distances, found)):
        ranked = sorted((d, j) for d, j in zip(row_distances, row) if j != i and d < 1 - 1e-6)[:NEIGHBOURS]
        out[entries[i].arxiv_id] = tuple(entries[j].arxiv_id for _, j in ranked)
    return out


def agreement(a: dict, b: dict) -> float:
    """The share of neighbours two results have in common."""
    return np.mean([len(set(a[k]) & set(b[k])) / max(len(b[k]), 1) for k in b])


ANALYZER = CountVectorizer(stop_words="english", strip_accents="unicode", token_pattern=related.TOKEN_PATTERN).build_analyzer()


def test_the_words_are_scikit_learns(papers):
    assert related.STOP_WORDS == ENGLISH_STOP_WORDS
    for entry in papers:
        text = related.paper_text(entry.paper)
        assert words(text) == ANALYZER(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_the_words_of_any_text_are_scikit_learns(text):
    assert words(text) == ANALYZER(text)


def test_the_weights_are_scikit_learns(papers):
    texts = [related.paper_text(e.paper) for e in papers]
    counts = term_counts(texts)
    for row, text in zip(counts[:50], texts):  # a word's count, in its hashed column
        assert sorted(row.data.tolist()) == sorted(float(n) for n in Counter(ANALYZER(text)).values())
    ours = weighted(counts)
    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    kept = np.flatnonzero((documents >= related.MIN_DOCUMENTS) & (documents <= related.MAX_DOCUMENT_SHARE * len(texts)))
    theirs = TfidfTransformer(sublinear_tf=True).fit_transform(counts[:, kept].astype(np.float64))
    assert ours.shape == theirs.shape
    assert abs(ours - theirs).max() < 1e-5


def test_cold_neighbours_are_the_plain_tfidf_nearest_neighbours(papers, tmp_path):
    found = related_papers(papers, tmp_path)
    expected = reference(papers)
    assert found.keys() == expected.keys()
    # Only near-ties may differ: hashed words share a bucket now and then, and float32.
    assert agreement(found, expected) > 0.98
    for arxiv_id, others in found.items():
        assert arxiv_id not in others and len(others) == len(set(others)) <= NEIGHBOURS


def test_neighbours_are_about_the_same_thing(papers, tmp_path):
    found = related_papers(papers, tmp_path)
    by_id = {e.arxiv_id: e for e in papers}
    # 2608.19880 EnvHarness (agent environments), 2406.14347 ∇²DFT (quantum chemistry data).
    titles = [by_id[other].paper.title.lower() for other in found["2608.19880"]]
    assert sum("agent" in t for t in titles) >= 3, titles


def test_a_rebuild_with_nothing_changed_keeps_the_lists_and_the_cache_file(papers, tmp_path):
    first = related_papers(papers, tmp_path)
    cache = tmp_path / related.CACHE_FILE
    stamp = cache.stat().st_mtime_ns
    assert related_papers(papers, tmp_path) == first
    assert cache.stat().st_mtime_ns == stamp


def test_new_papers_get_the_neighbours_a_cold_build_gives_them(papers, tmp_path):
    new_day, older = papers[:20], papers[20:]
    related_papers(older, tmp_path)
    incremental = related_papers(papers, tmp_path)
    cold = related_papers(papers, tmp_path / "cold")
    for entry in new_day:
        assert incremental[entry.arxiv_id] == cold[entry.arxiv_id]
    assert agreement(incremental, cold) > 0.9
    # An old paper's list changes only to name a new paper, or for a near tie.
    before = related_papers(older, tmp_path / "before")
    new_ids = {e.arxiv_id for e in new_day}
    moved = [k for k in before if before[k] != incremental[k]]
    assert moved and len(moved) < len(older) / 3
    assert sum(bool(set(incremental[k]) & new_ids) for k in moved) >= 0.9 * len(moved)


def test_a_paper_whose_text_changes_is_compared_again_and_one_that_leaves_is_not_listed(papers, tmp_path):
    related_papers(papers, tmp_path)
    target = papers[50]
    edited = Entry(target.arxiv_id, papers[10].paper.title, papers[10].paper.abstract, state="v2")
    gone = papers[11]
    now = [edited if e is target else e for e in papers if e is not gone]
    found = related_papers(now, tmp_path)
    assert all(gone.arxiv_id not in others for others in found.values())
    assert papers[10].arxiv_id in found[target.arxiv_id]  # the same text as its own now
    assert found == related_papers(now, tmp_path / "cold") or agreement(found, related_papers(now, tmp_path / "cold")) > 0.95


def test_a_new_file_with_the_same_text_keeps_its_counts(papers, tmp_path, monkeypatch):
    related_papers(papers, tmp_path)
    restated = [Entry(e.arxiv_id, e.paper.title, e.paper.abstract, state="upvoted") for e in papers]
    counted = []
    real = related.term_counts
    monkeypatch.setattr(related, "term_counts", lambda texts: counted.extend(texts) or real(texts))
    assert related_papers(restated, tmp_path) == related_papers(papers, tmp_path / "cold")
    assert counted == [f"{e.paper.title}\n{e.paper.abstract}" for e in papers]  # the cold one only


@pytest.mark.parametrize("count", [0, 1])
def test_an_empty_or_one_paper_archive(count, tmp_path):
    entries = [Entry(f"2608.0000{i}", "Graph neural networks", "We study graph neural networks.") for i in range(count)]
    assert related_papers(entries, tmp_path) == {e.arxiv_id: () for e in entries}


def test_papers_sharing_no_telling_word_are_not_related(tmp_path):
    entries = [
        Entry("2608.00001", "Sparse graphs", "Message passing on graphs."),
        Entry("2608.00002", "Dense graphs", "Attention over graphs."),
        Entry("2608.00003", "Protein folding", "Structure prediction of proteins."),
    ]
    assert related_papers(entries, tmp_path) == {"2608.00001": ("2608.00002",), "2608.00002": ("2608.00001",), "2608.00003": ()}


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(text, text), min_size=1, max_size=12))
def test_any_text_gives_lists_of_other_papers(tmp_path_factory, texts):
    entries = [Entry(f"2608.{i:05d}", title, abstract) for i, (title, abstract) in enumerate(texts)]
    found = related_papers(entries, tmp_path_factory.mktemp("related"))
    for arxiv_id, others in found.items():
        assert arxiv_id not in others and set(others) <= found.keys() and len(others) <= NEIGHBOURS


def test_what_the_related_papers_process_is_sent_gives_the_same_lists(papers, tmp_path):
    """The build sends its child ``RelatedInput``s (papers.build.background.Primed): id,
    page state and, for papers it parsed, title and abstract; others are read from their
    file only if needed."""
    for entry in papers:
        entry.source_path = "/nowhere"  # in memory: never read
    sent = pickle.loads(pickle.dumps([RelatedInput(entry) for entry in papers]))
    assert related_papers(sent, tmp_path / "sent") == related_papers(papers, tmp_path / "entries")

    paper_file = next((ROOT / "content" / "papers").rglob("*.md"))
    on_disk = types.SimpleNamespace(arxiv_id="2608.99999", page_state="s", source_path=str(paper_file))  # not parsed by the build
    assert RelatedInput(on_disk).paper.title == read_paper(paper_file).title
