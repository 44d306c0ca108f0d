"""Related papers: each paper's five nearest papers of the archive by title and abstract.

Nearness is the cosine of TF-IDF vectors weighted as arxiv-sanity-lite weighs them with
scikit-learn: English stop words out, words seen in one paper only or in more than a tenth
of the archive out (they tell no two papers apart), sublinear term frequencies, smooth
idf.  The words are scikit-learn's (its analyzer: lower case, accents stripped, its token
pattern and stop words) and the weights its ``TfidfTransformer``'s, computed here with
scipy because importing scikit-learn takes most of a second, as long as all the rest of a
day's rebuild (tests/unit/test_related.py compares both with scikit-learn's on real
abstracts).  sparse-dot-topn finds the nearest: a sparse product keeping each row's top.

A cold build compares every paper with every other.  A build after that changes only what
it must, from ``CACHE_PATH/related-papers.pickle`` (and the term counts beside it):

- each paper's term counts are kept with a digest of its title and abstract, and counted
  again only for a new paper or a changed text;
- a new or changed paper gets its neighbours; an old paper's are computed again only when
  a new or changed paper comes nearer than its fifth, or one of its neighbours changed or
  left.  The rest keep theirs, so a new day re-renders the pages of its own papers and of
  the few their neighbours' lists now name (see ``papers.build.keys``: the list is part of
  a paper page's key).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import Counter
from itertools import filterfalse
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from papers.build.fingerprint import VersionedFile, source_version
from papers.paperfile import read_paper

# The lists are in a file of their own and the term counts in another, so that a build
# with nothing new reads only the lists.  numpy, scipy and sparse-dot-topn are imported
# only by the functions that compare papers: a build that compares none (and the catalogue
# of every build, in the process that renders the pages) does without them.
CACHE_FILE = "related-papers.pickle"
COUNTS_FILE = "related-papers-counts.pickle"
NEIGHBOURS = 5
# Words in at most this share of the papers (and in two at least) weigh in.
MAX_DOCUMENT_SHARE = 0.1
MIN_DOCUMENTS = 2
# Words of two or more characters starting with a letter (numbers tell papers apart badly).
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w-]+\b"
WORD_RE = re.compile(TOKEN_PATTERN)
# Term counts by hashed word (no vocabulary to keep between builds); 2**20 buckets leave
# the archive's few hundred thousand words almost never sharing one.
BUCKETS = 2**20
# Past this share of new or changed papers, comparing every pair is as quick.
REDO_ALL_SHARE = 0.25


def words(text: str) -> list[str]:
    """The words of ``text`` that count, as scikit-learn's analyzer gives them with
    ``stop_words="english"``, ``strip_accents="unicode"`` and ``TOKEN_PATTERN``."""
    text = text.lower()
    if not text.isascii():  # (an ASCII text is its own decomposition)
        decomposed = unicodedata.normalize("NFKD", text)
        if decomposed != text:
            text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return list(filterfalse(STOP_WORDS.__contains__, WORD_RE.findall(text)))


class _Buckets(dict):
    """Each word's column (its hash), worked out the first time the word is looked up."""

    def __missing__(self, word: str) -> int:
        column = self[word] = zlib.crc32(word.encode("utf-8", "surrogatepass")) % BUCKETS
        return column


def term_counts(texts: list[str]):
    """A CSR matrix of each text's word counts by hashed word (``BUCKETS`` columns)."""
    import numpy as np
    import scipy.sparse as sp

    indptr, indices, data = [0], [], []
    column = _Buckets().__getitem__
    for text in texts:
        # Looked up and counted by C loops (map, Counter): a step per word took a third.
        counted = Counter(map(column, words(text)))
        indices.extend(counted)
        data.extend(counted.values())
        indptr.append(len(indices))
    counts = sp.csr_matrix((np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)), shape=(len(texts), BUCKETS))
    counts.sort_indices()
    return counts


def paper_text(paper) -> str:
    return f"{paper.title}\n{paper.abstract}"


def import_libraries() -> None:
    """What comparing papers needs (``papers.build.background.Primed``: imported in their
    process while the build loads the catalogue)."""
    import numpy  # noqa: F401
    import scipy.sparse  # noqa: F401
    import sparse_dot_topn  # noqa: F401


class TitleAndAbstract(NamedTuple):
    title: str
    abstract: str


class RelatedInput:
    """What ``related_papers`` reads of a catalogue entry, as sent to its process: its id,
    its page state and, as ``paper``, its title and abstract (read from its file when the
    build did not have them: the paper did not change, so they are rarely needed)."""

    __slots__ = ("arxiv_id", "page_state", "source_path", "_paper")

    def __init__(self, entry):
        self.arxiv_id, self.page_state, self.source_path = entry.arxiv_id, entry.page_state, entry.source_path
        paper = entry.__dict__.get("paper")  # parsed by this build (PaperEntry.paper is cached)
        self._paper = None if paper is None else TitleAndAbstract(paper.title, paper.abstract)

    @property
    def paper(self):
        if self._paper is None:
            self._paper = read_paper(self.source_path)
        return self._paper


def text_digest(paper) -> str:
    return hashlib.sha1(paper_text(paper).encode("utf-8", "surrogatepass")).hexdigest()


def weighted(counts):
    """TF-IDF rows of unit length from term counts (a CSR matrix), the words that tell
    papers apart only: scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` on them."""
    import numpy as np
    import scipy.sparse as sp

    papers = counts.shape[0]
    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    most = max(MAX_DOCUMENT_SHARE * papers, MIN_DOCUMENTS)
    kept = np.flatnonzero((documents >= MIN_DOCUMENTS) & (documents <= most))
    if not len(kept):  # no word tells two papers apart: none is related to another
        return sp.csr_matrix((papers, 0), dtype=np.float32)
    tfidf = counts[:, kept].tocsr()
    tfidf.data = 1 + np.log(tfidf.data)
    idf = (np.log((1 + papers) / (1 + documents[kept])) + 1).astype(np.float32)
    tfidf = (tfidf @ sp.diags(idf)).tocsr()
    lengths = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    lengths[lengths == 0] = 1
    return sp.csr_matrix(sp.diags(1 / lengths) @ tfidf, dtype=np.float32)


def nearest(vectors, rows: np.ndarray) -> dict[int, tuple]:
    """Each row's ``NEIGHBOURS`` nearest other rows with a similarity above 0, nearest first
    (ties by position): ``{row: ((other, similarity), …)}``.  sparse-dot-topn multiplies
    and keeps the top of each row as it goes (3x faster than the whole product here)."""
    import numpy as np
    from sparse_dot_topn import sp_matmul_topn

    # One more than wanted: a row is its own nearest, unless it has no word at all.
    top = sp_matmul_topn(vectors[rows], vectors.T.tocsr(), top_n=NEIGHBOURS + 1, threshold=1e-9, n_threads=1)
    others, similarities = top.indices.tolist(), np.round(top.data.astype(np.float64), 6).tolist()
    found = {}
    for n, row in enumerate(rows.tolist()):
        start, end = top.indptr[n], top.indptr[n + 1]
        ranked = sorted((-similarity, other) for other, similarity in zip(others[start:end], similarities[start:end]) if other != row)
        found[row] = tuple((other, -negative) for negative, other in ranked[:NEIGHBOURS])
    return found


def _rows_to_compare(vectors, fresh: list[int], lists: list[tuple], changed: set[str]) -> np.ndarray:
    """The rows whose neighbours must be found again: the fresh ones, those a fresh row
    comes nearer to than their last neighbour, and those listing a changed or gone paper."""
    import numpy as np

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
    code = source_version(__name__, extra=f"sparse-dot-topn {version('sparse-dot-topn')}")
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

    import numpy as np

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
    import numpy as np
    import scipy.sparse as sp

    kept = [i for i, row in enumerate(reused) if row >= 0]
    parts = [stored[[reused[i] for i in kept]]] if kept else []
    if fresh:
        parts.append(term_counts([paper_text(entries[i].paper) for i in fresh]))
    if not parts:
        return sp.csr_matrix((0, BUCKETS), dtype=np.float32)
    order = np.empty(len(entries), dtype=np.int64)
    order[kept] = np.arange(len(kept))
    order[fresh] = len(kept) + np.arange(len(fresh))
    return sp.vstack(parts, format="csr")[order]


# scikit-learn's English stop words (``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``;
# the test checks they are the same).
STOP_WORDS = frozenset("""
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone
    anything anyway anywhere are around as at back be became because become becomes becoming
    been before beforehand behind being below beside besides between beyond bill both bottom
    but by call can cannot cant co con could couldnt cry de describe detail do done down due
    during each eg eight either eleven else elsewhere empty enough etc even ever every
    everyone everything everywhere except few fifteen fifty fill find fire first five for
    former formerly forty found four from front full further get give go had has hasnt have
    he hence her here hereafter hereby herein hereupon hers herself him himself his how
    however hundred i ie if in inc indeed interest into is it its itself keep last latter
    latterly least less ltd made many may me meanwhile might mill mine more moreover most
    mostly move much must my myself name namely neither never nevertheless next nine no
    nobody none noone nor not nothing now nowhere of off often on once one only onto or
    other others otherwise our ours ourselves out over own part per perhaps please put
    rather re same see seem seemed seeming seems serious several she should show side since
    sincere six sixty so some somehow someone something sometime sometimes somewhere still
    such system take ten than that the their them themselves then thence there thereafter
    thereby therefore therein thereupon these they thick thin third this those though three
    through throughout thru thus to together too top toward towards twelve twenty two un
    under until up upon us very via was we well were what whatever when whence whenever
    where whereafter whereas whereby wherein whereupon wherever whether which while whither
    who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
""".split())
