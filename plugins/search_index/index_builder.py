"""Build the site's search index: lunr indexes written by lunr.py, in shards by period.

One lunr index over every abstract of a two-year archive is ~6 MB gzipped, far more than a
reader should download before the first results show.  So the index is split twice:

- by period: one shard per half month (days 1-15, 16-end) of the day a paper was first
  featured.  The browser loads shards newest first and shows results as soon as the newest
  one is in, so what a reader downloads before the first results does not grow with the
  archive.  Building is incremental for the same reason: a shard whose papers did not
  change is copied from the cache instead of being indexed again.
- by tier: each period has a *meta* shard (a lunr index over title, authors, paper themes
  and keywords, plus the records a result shows) and a *text* shard (a lunr index over the
  abstracts) that the browser loads only when the meta shards find too few papers.

Terms are made here, not by lunr's pipeline, so that ``search.js`` can make the very same
terms from a query: Unicode-normalised lower-case runs of letters and digits, lunr's stop
words dropped, then lunr's Porter stemmer (the same algorithm as lunr.js's).  The indexes
are built with an empty pipeline (the terms come ready) and name lunr's default search
pipeline, the stemmer.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import lunr
from lunr.builder import Builder
from lunr.stemmer import stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.token import Token
from papers.store import atomic_write

MANIFEST_NAME = "manifest.json"
SHARDS_DIR = "shards"
FORMAT = 1
# Title words weigh ten times more than words elsewhere (issue 4: "title (boosted)").
META_FIELDS = (("title", 10), ("authors", 1), ("themes", 1), ("keywords", 1))
TEXT_FIELDS = (("abstract", 1),)
# What a result shows, in the order of each record's values (search.js reads them by name).
RECORD_FIELDS = ("id", "url", "title", "authors", "more_authors", "day", "themes", "snippet")
SHOWN_AUTHORS = 5
SNIPPET_CHARS = 180
# Indexing a shard again is needed when its papers or this code (or lunr) changed.
CODE_VERSION = hashlib.sha1(Path(__file__).read_bytes() + lunr.__VERSION__.encode()).hexdigest()[:12]
# Below this many papers to index, worker processes cost more than they save.
PARALLEL_MIN_PAPERS = 2000

WORD_RE = re.compile(r"[^\W_]+")


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


def words(text: str) -> list[str]:
    """Lower-case runs of letters and digits, accents dropped (search.js: ``words``)."""
    text = text.lower()
    if not text.isascii():  # most text is: skip the per-character pass
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.category(ch).startswith("M"))
    return WORD_RE.findall(text)


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


class SerialisingBuilder(Builder):
    """A lunr.py Builder for an index that is only serialised.  ``build()`` also makes the
    token set that lunr.py needs to search in Python; the serialised index leaves it out
    (lunr.js makes its own on load), and making it took 15% of the index build."""

    def _create_token_set(self):
        self.token_set = None


def lunr_index(fields, documents: list[dict]) -> dict:
    """A lunr index (serialised, lunr.js 2.3.9's format) over pre-made term lists."""
    builder = SerialisingBuilder()
    builder.ref("ref")
    builder.search_pipeline.add(stemmer)
    for name, boost in fields:
        builder.field(name, boost)
    for document in documents:
        builder.add(document)
    return builder.build().serialize()


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def shard_files(documents: list[SearchDocument]) -> dict[str, str]:
    """The meta and text files of one shard (refs are positions in its record list)."""
    meta_docs, text_docs, records = [], [], []
    for ref, doc in enumerate(documents):
        meta_docs.append({
            "ref": str(ref),
            "title": index_terms(doc.title),
            "authors": index_terms(" ".join(doc.authors)),
            "themes": index_terms(" ".join(doc.indexed_themes)),
            "keywords": index_terms(" ".join(doc.keywords)),
        })
        text_docs.append({"ref": str(ref), "abstract": index_terms(doc.abstract)})
        shown = list(doc.authors[:SHOWN_AUTHORS])
        records.append([
            doc.arxiv_id, doc.url, doc.title, shown, len(doc.authors) - len(shown),
            doc.day, list(doc.paper_themes), snippet(doc.abstract),
        ])
    return {
        "meta": to_json({"records": records, "index": lunr_index(META_FIELDS, meta_docs)}),
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


def shard_key(documents: list[SearchDocument]) -> str:
    """Hash of everything a shard is made of: its papers and this code's version."""
    payload = to_json([CODE_VERSION, [vars(d) for d in documents]])
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def shard_file_name(period: str, key: str, tier: str) -> str:
    # The key in the name: a changed shard gets a new URL, so browsers may cache forever.
    return f"{period}-{key}.{tier}.json"


@dataclass
class BuildStats:
    shards: int = 0
    indexed: int = 0  # shards indexed in this build
    reused: int = 0  # shards copied from the cache


def build_search_index(documents, output_dir: Path, cache_dir: Path, *, workers: int | None = None) -> tuple[dict, BuildStats]:
    """Write the manifest and every shard for ``documents`` into ``output_dir``.

    Shards come from ``cache_dir`` when their key is there; new ones are indexed (in worker
    processes when there are many papers to index) and added to it.  Cache entries and
    shard files no longer used are deleted.  Returns the manifest and what was done.
    """
    output_dir, cache_dir = Path(output_dir), Path(cache_dir)
    periods: dict[str, list[SearchDocument]] = {}
    for doc in sorted(documents, key=lambda d: (d.day, d.arxiv_id), reverse=True):
        periods.setdefault(period_of(doc.day), []).append(doc)
    keys = {period: shard_key(docs) for period, docs in periods.items()}
    stats = BuildStats(shards=len(periods))

    missing = [p for p in periods if not all((cache_dir / shard_file_name(p, keys[p], t)).is_file() for t in ("meta", "text"))]
    stats.indexed, stats.reused = len(missing), len(periods) - len(missing)
    to_index = [periods[p] for p in missing]
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
        "papers": len(documents),
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
