"""Build the site's search index: lunr indexes (lunr.js 2.3.9's format), in shards by period.

One lunr index over every abstract of a two-year archive is ~6 MB gzipped, far more than a
reader should download before the first results show.  So the index is split twice:

- by period: one shard per half month (days 1-15, 16-end) of the day a paper was first
  featured.  The browser loads shards newest first and shows results as soon as the newest
  one is in, so what a reader downloads before the first results does not grow with the
  archive.  Building is incremental for the same reason: a shard whose papers did not
  change is copied from the cache instead of being indexed again.
- by tier: each period has a *meta* shard (a lunr index over title, authors, paper themes
  and keywords, as many as ``papers.render.display`` bounds, plus the records a result shows)
  and a *text* shard (the abstracts) that the browser loads when the meta shards find too few.

Terms are made here, not by lunr's pipeline, so that ``search.js`` can make the very same
terms from a query: Unicode-normalised lower-case runs of letters and digits, lunr's stop
words dropped, then lunr's Porter stemmer (the same algorithm as lunr.js's).  The indexes
are what lunr.py's builder makes with an empty pipeline (the terms come ready) and lunr's
default search pipeline, the stemmer; ``lunr_index`` makes them directly, four times faster.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import shutil
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import lunr
import msgspec
from lunr.stemmer import stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.token import Token

from papers.build.collector import collector_paused
from papers.build.fingerprint import source_version
from papers.render.display import CARD_AUTHORS, KEYWORDS, SEARCH_AUTHORS, first_names
from papers.store import atomic_write

MANIFEST_NAME = "manifest.json"
SHARDS_DIR = "shards"
FORMAT = 1
# Title words weigh ten times more than words elsewhere (issue 4: "title (boosted)").
META_FIELDS = (("title", 10), ("authors", 1), ("themes", 1), ("keywords", 1))
TEXT_FIELDS = (("abstract", 1),)
# What a result shows, in the order of each record's values (search.js reads them by name).
RECORD_FIELDS = ("id", "url", "title", "authors", "more_authors", "day", "themes", "snippet", "upvotes")
SNIPPET_CHARS = 180
# Indexing a shard again is needed when its papers, this code, the limits or lunr changed.
CODE_VERSION = source_version(__name__, "papers.render.display", extra=lunr.__VERSION__)[:12]
# lunr's BM25 parameters (lunr.Builder's defaults).
BM25_K1 = 1.2
BM25_B = 0.75
# What the inverted index holds for a term in a document's field: no metadata.  One dict
# for all of them (an index made here is serialised, never changed; lunr.py's search only
# reads it): a new one each took 0.2 s at archive scale.
NO_METADATA: dict = {}
# Below this many papers to index, worker processes cost more than they save.
PARALLEL_MIN_PAPERS = 2000

WORD_RE = re.compile(r"[^\W_]+")
# The same runs in ASCII text: letters and digits kept, any other byte made a space.
ASCII_WORD_BYTES = bytes(b if b < 128 and chr(b).isalnum() else ord(" ") for b in range(256))


@dataclass(frozen=True)
class SearchDocument:
    """What the search knows of one paper (all plain text, shown with textContent)."""

    arxiv_id: str
    url: str
    title: str
    authors: tuple[str, ...]
    day: str
    paper_themes: tuple[str, ...]  # names, best first, as shown
    indexed_themes: tuple[str, ...]  # names the index holds (the catch-all left out)
    keywords: tuple[str, ...]
    abstract: str
    upvotes: int | None = None  # on Hugging Face; None for a paper it did not feature

    @property
    def search_key(self) -> str:
        return to_json(vars(self))

    def search_document(self) -> SearchDocument:
        return self


def words(text: str) -> list[str]:
    """Lower-case runs of letters and digits, accents dropped (search.js: ``words``)."""
    text = text.lower()
    if text.isascii():  # most text is: a byte table and a split take 40% less than the regex
        return text.encode("ascii").translate(ASCII_WORD_BYTES).decode("ascii").split()
    text = unicodedata.normalize("NFKD", text)
    # The marks among its distinct characters, deleted by one translate (a step per
    # character of every abstract with one accent was a sixth of indexing).
    marks = {ord(ch): None for ch in set(text) if ch > "\x7f" and is_mark(ch)}
    return WORD_RE.findall(text.translate(marks) if marks else text)


@functools.lru_cache(maxsize=None)
def is_mark(ch: str) -> bool:
    """Whether ``ch`` is a combining mark (Unicode category M*), which ``words`` drops."""
    return unicodedata.category(ch).startswith("M")


@functools.lru_cache(maxsize=None)
def term(word: str) -> str | None:
    """The index term of a word: None for a stop word, else its Porter stem."""
    if word in STOP_WORDS:
        return None
    return stemmer(Token(word)).string


def index_terms(text: str) -> list[str]:
    return [t for t in map(term, words(text)) if t]


def period_of(day: str) -> str:
    """The shard of a day: ``2026-08a`` (1st-15th) or ``2026-08b`` (16th-end)."""
    return f"{day[:7]}{'a' if int(day[8:10]) <= 15 else 'b'}"


def snippet(abstract: str) -> str:
    text = " ".join(abstract.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def lunr_index(fields, documents: list[dict]) -> dict:
    """A lunr index (serialised, lunr.js 2.3.9's format) over pre-made term lists.

    Each document maps "ref" (unique) and every field name to a list of terms.  The result
    is equal, float for float, to ``Index.serialize()`` of lunr.py's ``Builder`` with ref
    "ref", an empty pipeline, these fields and boosts, and the stemmer as search pipeline
    (tests hold the two side by side).  It is made here with plain dicts and lists because
    lunr.py's builder spends most of its time on per-token objects and sorted vector
    inserts that a serialised index does not need (the archive's shards: 5.9 s to 1.5 s).
    """
    names = [name for name, _ in fields]
    inverted_index: dict[str, dict] = {}  # term -> {field: {ref: {}}, "_index": n}
    postings = {name: {} for name in names}  # field -> term -> the {ref: {}} in inverted_index
    term_numbers: dict[str, int] = {}  # term -> "_index": lunr numbers terms as first seen
    field_terms = []  # (field, boost, ref, length, [term number], [frequency])
    total_lengths = dict.fromkeys(names, 0)
    refs = set()
    for document in documents:
        ref = str(document["ref"])
        if ref in refs:
            raise ValueError(f"two documents with ref {ref!r}")
        refs.add(ref)
        for name, boost in fields:
            # lunr.py's tokenizer lower-cases the items of a list.
            frequencies = Counter(map(str.lower, document[name]))
            field_postings = postings[name]
            for t in frequencies:
                if t not in term_numbers:
                    term_numbers[t] = len(term_numbers)
                    inverted_index[t] = posting = {}
                    for n in names:
                        posting[n] = postings[n][t] = {}
                    posting["_index"] = term_numbers[t]
                field_postings[t][ref] = NO_METADATA
            length = frequencies.total()
            total_lengths[name] += length
            numbers = list(map(term_numbers.__getitem__, frequencies))
            field_terms.append((name, boost, ref, length, numbers, list(frequencies.values())))

    # BM25 as lunr.Builder computes it, operation for operation (the floats must be equal).
    count = len(documents)
    average_lengths = {name: total / max(count, 1) for name, total in total_lengths.items()}
    # lunr.idf counts a document once for each field the term is in.
    with_term = map(sum, zip(*(map(len, postings[name].values()) for name in names)))  # by term number
    idf = [math.log(1 + abs((count - n + 0.5) / (n + 0.5))) for n in with_term]
    saturation = BM25_K1 + 1
    field_vectors = []
    for name, boost, ref, length, numbers, tfs in field_terms:
        if not length:  # no terms to score (and, empty in every document, an average length of 0)
            field_vectors.append([f"{name}/{ref}", []])
            continue
        length_norm = BM25_K1 * (1 - BM25_B + BM25_B * (length / average_lengths[name]))
        pairs = sorted(zip(numbers, tfs))
        scores = [idf[number] * (saturation * tf) / (length_norm + tf) * boost for number, tf in pairs]
        elements = [0] * (2 * len(pairs))  # lunr.Vector: [term number, score, ...] by term number
        elements[::2] = [number for number, _ in pairs]
        elements[1::2] = thousandths(scores)
        field_vectors.append([f"{name}/{ref}", elements])

    return {
        "version": lunr.__TARGET_JS_VERSION__,
        "fields": names,
        "fieldVectors": field_vectors,
        "invertedIndex": [[t, inverted_index[t]] for t in sorted(inverted_index)],
        "pipeline": [stemmer.label],  # search.js makes stemmed terms; lunr.js stems queries too
    }


def thousandths(values: list[float]) -> list[float]:
    """``[round(x, 3) for x in values]`` (lunr's precision) for 0 <= x < 1e12, three times
    as fast.  ``round(x, 3)`` is the float nearest to R / 1000, R the integer nearest to the
    exact x * 1000 (ties to even); so is ``r / 1000``, a correctly rounded division, when
    r = round(y), y the float product x * 1000, is that R.  It is unless y is a half (then
    ``round`` decides): rounding is monotonic and halves are floats, so the exact product
    lies on the same side of every half as y."""
    return [r / 1000 if abs((y := x * 1000) - (r := round(y))) < 0.5 else round(x, 3) for x in values]


_json_encoder = msgspec.json.Encoder()


def to_json(data) -> str:
    """Compact JSON, text as is (not \\u-escaped): what ``json.dumps(data,
    ensure_ascii=False, separators=(",", ":"))`` writes for the index's data, made by
    msgspec in a quarter of the time (the shards of the archive are ~45 MB).  The two
    differ only in how they write floats below 1e-4 (lunr scores are rounded to 0.001)."""
    return _json_encoder.encode(data).decode("utf-8")


def lunr_documents(documents: list[SearchDocument]) -> tuple[list[dict], list[dict]]:
    """The documents of a shard's meta index and text index (refs: positions in the shard)."""
    meta_docs = [
        {
            "ref": str(ref),
            "title": index_terms(doc.title),
            "authors": index_terms(" ".join(first_names(doc.authors, SEARCH_AUTHORS))),
            "themes": index_terms(" ".join(doc.indexed_themes)),
            "keywords": index_terms(" ".join(first_names(doc.keywords, KEYWORDS))),
        }
        for ref, doc in enumerate(documents)
    ]
    text_docs = [{"ref": str(ref), "abstract": index_terms(doc.abstract)} for ref, doc in enumerate(documents)]
    return meta_docs, text_docs


def record(doc: SearchDocument) -> list:
    """What a result shows of a paper, in RECORD_FIELDS order."""
    shown = first_names(doc.authors, CARD_AUTHORS)
    return [
        doc.arxiv_id, doc.url, doc.title, shown, len(doc.authors) - len(shown),
        doc.day, list(doc.paper_themes), snippet(doc.abstract), doc.upvotes,
    ]


def shard_files(documents: list[SearchDocument]) -> dict[str, str]:
    """The meta and text files of one shard (refs are positions in its record list)."""
    with collector_paused():
        meta_docs, text_docs = lunr_documents(documents)
        return {
            "meta": to_json({"records": list(map(record, documents)), "index": lunr_index(META_FIELDS, meta_docs)}),
            "text": to_json({"index": lunr_index(TEXT_FIELDS, text_docs)}),
        }


def indexed_shards(shards: list[list[SearchDocument]], workers: int):
    """``shard_files`` of each shard, in order, as each is done (so they need not all be
    held in memory at once), in ``workers`` processes when more than one."""
    if workers <= 1:
        yield from map(shard_files, shards)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(shard_files, shards, chunksize=1)


def shard_key(papers) -> str:
    """Hash of everything a shard is made of: its papers and this code's version."""
    payload = to_json([CODE_VERSION, [p.search_key for p in papers]])
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def shard_file_name(period: str, key: str, tier: str) -> str:
    # The key in the name: a changed shard gets a new URL, so browsers may cache forever.
    return f"{period}-{key}.{tier}.json"


@dataclass
class BuildStats:
    shards: int = 0
    indexed: int = 0  # shards indexed in this build
    reused: int = 0  # shards copied from the cache


def build_search_index(papers, output_dir: Path, cache_dir: Path, *, workers: int | None = None) -> tuple[dict, BuildStats]:
    """Write the manifest and every shard for ``papers`` into ``output_dir``.

    Each paper is a ``SearchDocument`` or stands for one: it has ``arxiv_id``, ``day``,
    ``search_key`` (a text that changes whenever its document would) and
    ``search_document()``, called only for papers of a shard that must be indexed, so a
    rebuild reads no paper of an unchanged period.  Shards come from ``cache_dir`` when
    their key is there; new ones are indexed (in worker processes when there are many
    papers to index) and added to it.  Cache entries and shard files no longer used are
    deleted.  Returns the manifest and what was done.
    """
    output_dir, cache_dir = Path(output_dir), Path(cache_dir)
    periods: dict[str, list] = {}
    for paper in sorted(papers, key=lambda p: (p.day, p.arxiv_id), reverse=True):
        periods.setdefault(period_of(paper.day), []).append(paper)
    keys = {period: shard_key(docs) for period, docs in periods.items()}
    stats = BuildStats(shards=len(periods))

    missing = [p for p in periods if not all((cache_dir / shard_file_name(p, keys[p], t)).is_file() for t in ("meta", "text"))]
    stats.indexed, stats.reused = len(missing), len(periods) - len(missing)
    to_index = [[paper.search_document() for paper in periods[p]] for p in missing]
    if workers is None:
        workers = min(os.cpu_count() or 1, len(missing)) if sum(map(len, to_index)) >= PARALLEL_MIN_PAPERS else 1
    cache_dir.mkdir(parents=True, exist_ok=True)
    for period, files in zip(missing, indexed_shards(to_index, workers)):
        for tier, text in files.items():
            atomic_write(cache_dir / shard_file_name(period, keys[period], tier), text)

    shards_dir = output_dir / SHARDS_DIR
    shards_dir.mkdir(parents=True, exist_ok=True)
    wanted = {shard_file_name(p, keys[p], t) for p in periods for t in ("meta", "text")}
    for name in wanted:
        target = shards_dir / name
        if not target.is_file():  # same name, same content: written by an earlier build
            shutil.copyfile(cache_dir / name, target)
    for stale in (*shards_dir.glob("*.json"), *cache_dir.glob("*.json")):
        if stale.name not in wanted:
            stale.unlink()

    manifest = {
        "format": FORMAT,
        "papers": sum(map(len, periods.values())),
        "record_fields": list(RECORD_FIELDS),
        "shards": [
            {
                "period": period,
                "first_day": docs[-1].day,
                "last_day": docs[0].day,
                "papers": len(docs),
                # search.js looks an arXiv id up only in shards holding its YYMM prefix.
                "id_prefixes": sorted({d.arxiv_id[:4] for d in docs}),
                "meta": f"{SHARDS_DIR}/{shard_file_name(period, keys[period], 'meta')}",
                "text": f"{SHARDS_DIR}/{shard_file_name(period, keys[period], 'text')}",
            }
            for period, docs in periods.items()
        ],
    }
    text = to_json(manifest)
    manifest_path = output_dir / MANIFEST_NAME
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != text:
        atomic_write(manifest_path, text)
    return manifest, stats
