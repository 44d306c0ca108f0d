"""Related papers: each paper's five nearest papers of the archive by title and abstract.

Nearness is the cosine of TF-IDF vectors (scikit-learn), weighted as arxiv-sanity-lite
weighs them: English stop words out, words seen in one paper only or in more than a tenth
of the archive out (they tell no two papers apart), sublinear term frequencies.

A cold build compares every paper with every other.  A build after that changes only what
it must, from ``CACHE_PATH/related-papers.pickle``:

- each paper's term counts are kept with a digest of its title and abstract, and counted
  again only for a new paper or a changed text;
- a new or changed paper gets its neighbours; an old paper's are computed again only when
  a new or changed paper comes nearer than its fifth, or one of its neighbours changed or
  left.  The rest keep theirs, so a new day re-renders the pages of its own papers and of
  the few their neighbours' lists now name (see ``papers.build.keys``: the list is part of
  a paper page's key).
"""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import version
from pathlib import Path

import numpy as np

from papers.build.fingerprint import VersionedFile, source_version

# scikit-learn and scipy take most of a second to import: only a build that compares
# papers does (the lists are in a file of their own, the term counts in another).
CACHE_FILE = "related-papers.pickle"
COUNTS_FILE = "related-papers-counts.pickle"
NEIGHBOURS = 5
# Words in at most this share of the papers (and in two at least) weigh in.
MAX_DOCUMENT_SHARE = 0.1
MIN_DOCUMENTS = 2
# Words of two or more characters starting with a letter (numbers tell papers apart badly).
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w-]+\b"
# Past this share of new or changed papers, comparing every pair is as quick.
REDO_ALL_SHARE = 0.25


@functools.cache
def vectorizer():
    """Term counts by hashed word (no vocabulary to keep between builds); 2**20 buckets
    leave the archive's few hundred thousand words almost never sharing one."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=2**20, alternate_sign=False, norm=None, stop_words="english", token_pattern=TOKEN_PATTERN,
        strip_accents="unicode", dtype=np.float32,
    )


def paper_text(paper) -> str:
    return f"{paper.title}\n{paper.abstract}"


def text_digest(paper) -> str:
    return hashlib.sha1(paper_text(paper).encode("utf-8", "surrogatepass")).hexdigest()


def weighted(counts):
    """TF-IDF rows of unit length from term counts (a CSR matrix), the words that tell
    papers apart only."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    most = max(MAX_DOCUMENT_SHARE * counts.shape[0], MIN_DOCUMENTS)
    kept = np.flatnonzero((documents >= MIN_DOCUMENTS) & (documents <= most))
    if not len(kept):  # no word tells two papers apart: none is related to another
        return sp.csr_matrix((counts.shape[0], 0), dtype=np.float32)
    tfidf = TfidfTransformer(sublinear_tf=True, norm=None).fit_transform(counts[:, kept])
    return normalize(tfidf).astype(np.float32).tocsr()


def nearest(vectors, rows: np.ndarray) -> dict[int, tuple]:
    """Each row's ``NEIGHBOURS`` nearest other rows with a similarity above 0, nearest first
    (ties by position): ``{row: ((other, similarity), …)}``.  sparse-dot-topn multiplies
    and keeps the top of each row as it goes (3x faster than the whole product here)."""
    from sparse_dot_topn import sp_matmul_topn

    # One more than wanted: a row is its own nearest, unless it has no word at all.
    top = sp_matmul_topn(vectors[rows], vectors.T.tocsr(), top_n=NEIGHBOURS + 1, threshold=1e-9, n_threads=1)
    found = {}
    for n, row in enumerate(rows):
        start, end = top.indptr[n], top.indptr[n + 1]
        ranked = sorted((-similarity, other) for other, similarity in zip(top.indices[start:end], top.data[start:end]) if other != row)
        found[int(row)] = tuple((int(other), round(float(-negative), 6)) for negative, other in ranked[:NEIGHBOURS])
    return found


def _rows_to_compare(vectors, fresh: list[int], lists: list[tuple], changed: set[str]) -> np.ndarray:
    """The rows whose neighbours must be found again: the fresh ones, those a fresh row
    comes nearer to than their last neighbour, and those listing a changed or gone paper."""
    redo = np.zeros(vectors.shape[0], dtype=bool)
    redo[fresh] = True
    nearest_fresh = (vectors @ vectors[fresh].T).max(axis=1).toarray().ravel() if fresh else np.zeros(vectors.shape[0])
    for row, found in enumerate(lists):
        last = found[-1][1] if len(found) == NEIGHBOURS else 0.0
        if nearest_fresh[row] > last or any(other in changed for other, _ in found):
            redo[row] = True
    return np.flatnonzero(redo)


def related_papers(entries: list, cache_dir: str | Path) -> dict[str, tuple[str, ...]]:
    """Each entry's arXiv id to its neighbours' ids, nearest first (see the module
    docstring); reads and writes the cache in ``cache_dir``."""
    code = source_version(__name__, extra=" ".join(f"{lib} {version(lib)}" for lib in ("scikit-learn", "sparse-dot-topn")))
    lists_file = VersionedFile(Path(cache_dir) / CACHE_FILE, code)
    stored = lists_file.load() or {"ids": [], "states": [], "digests": [], "neighbours": {}}
    ids = [entry.arxiv_id for entry in entries]
    states = [entry.page_state for entry in entries]
    at = {arxiv_id: row for row, arxiv_id in enumerate(stored["ids"])}
    reused, digests, fresh = [], [], []  # reused: each entry's stored row, or -1
    for i, entry in enumerate(entries):
        row = at.get(entry.arxiv_id)
        if row is not None and stored["states"][row] == states[i]:
            reused.append(row)
            digests.append(stored["digests"][row])
            continue
        digest = text_digest(entry.paper)  # its file changed (or is new): did its text?
        reused.append(row if row is not None and stored["digests"][row] == digest else -1)
        if reused[-1] < 0:
            fresh.append(i)
        digests.append(digest)
    before = stored["neighbours"]
    if not fresh and ids == stored["ids"]:
        if states != stored["states"]:
            lists_file.save({**stored, "states": states})
        return _ids_only(ids, before)

    counts_file = VersionedFile(Path(cache_dir) / COUNTS_FILE, code)
    stored_counts = counts_file.load() if stored["ids"] else None
    if stored_counts is None or stored_counts.shape[0] != len(stored["ids"]):
        stored_counts, before, reused, fresh = None, {}, [-1] * len(entries), list(range(len(entries)))
    counts = _assemble_counts(entries, stored_counts, reused, fresh)
    vectors = weighted(counts)
    changed = {ids[i] for i in fresh} | (at.keys() - set(ids))
    if before and len(fresh) <= REDO_ALL_SHARE * len(ids):
        rows = _rows_to_compare(vectors, fresh, [before.get(a, ()) for a in ids], changed)
        neighbours = {a: before[a] for a in ids if a in before}
    else:
        rows, neighbours = np.arange(len(ids)), {}
    for row, found in nearest(vectors, rows).items():
        neighbours[ids[row]] = tuple((ids[other], similarity) for other, similarity in found)
    counts_file.save(counts)
    lists_file.save({"ids": ids, "states": states, "digests": digests, "neighbours": neighbours})
    return _ids_only(ids, neighbours)


def _ids_only(ids: list[str], neighbours: dict) -> dict[str, tuple[str, ...]]:
    return {arxiv_id: tuple(other for other, _ in neighbours.get(arxiv_id, ())) for arxiv_id in ids}


def _assemble_counts(entries: list, stored, reused: list[int], fresh: list[int]):
    """The term counts of every entry, in order (a CSR matrix): stored rows kept, fresh
    rows counted."""
    import scipy.sparse as sp

    kept = [i for i, row in enumerate(reused) if row >= 0]
    parts = [stored[[reused[i] for i in kept]]] if kept else []
    if fresh:
        parts.append(vectorizer().transform([paper_text(entries[i].paper) for i in fresh]).tocsr())
    if not parts:
        return sp.csr_matrix((0, vectorizer().n_features), dtype=np.float32)
    order = np.empty(len(entries), dtype=np.int64)
    order[kept] = np.arange(len(kept))
    order[fresh] = len(kept) + np.arange(len(fresh))
    return sp.vstack(parts, format="csr")[order]
