"""The paper record and the rules that make untrusted upstream data safe to store.

Everything a source returns is untrusted.  Text is cleaned (control characters dropped,
newlines normalised) but otherwise kept exactly: escaping happens where it is shown, never
here.  Ids must be arXiv ids and URLs must be http(s); anything else is rejected with a
reason that names the offending value.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from papers.errors import Rejected

# New-style arXiv ids (YYMM.NNNN or YYMM.NNNNN), optionally versioned upstream.
ARXIV_ID_RE = re.compile(r"^(?P<id>\d{4}\.\d{4,5})(?:v\d+)?")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# arXiv categories, or an archive alone: cs.CL, eess.AS, astro-ph.CO, hep-th, q-bio, stat.ML, …
CATEGORY_RE = re.compile(r"^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$")
MAX_TEXT = 20_000  # longer than any real abstract; bounds what one entry can make us store


def clean_text(value: object, *, what: str, multiline: bool = False) -> str:
    """Return ``value`` as safe plain text, or raise ``Rejected``.

    Control and format characters (NUL, escape, bidi overrides, zero-width joiners, …) are
    dropped; a title is folded onto one line, an abstract keeps its line breaks.
    """
    if not isinstance(value, str):
        raise Rejected(f"{what} is {type(value).__name__}, expected text")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    )
    if multiline:
        text = "\n".join(line.rstrip() for line in text.replace("\t", " ").split("\n")).strip()
    else:
        text = " ".join(text.split())
    if len(text) > MAX_TEXT:
        raise Rejected(f"{what} is {len(text)} characters long (limit {MAX_TEXT})")
    return text


def clean_arxiv_id(value: object) -> str:
    """The versionless arXiv id, or ``Rejected`` naming what was given."""
    if not isinstance(value, str) or not ARXIV_ID_RE.fullmatch(value.strip()):
        raise Rejected(f"id {value!r} is not an arXiv id")
    return ARXIV_ID_RE.fullmatch(value.strip())["id"]


# Whitespace (\s is str.isspace) or a control character (category Cc): never in a URL.
URL_BREAKING_CHAR_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def clean_url(value: object) -> str | None:
    """An absolute http(s) URL, or None for anything else (javascript:, data:, relative…)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or URL_BREAKING_CHAR_RE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def clean_count(value: object, *, what: str) -> int | None:
    """A non-negative integer count; None when absent, ``Rejected`` when of the wrong type."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Rejected(f"{what} is {value!r}, expected a non-negative integer")
    return value


def clean_date(value: object, *, what: str) -> str | None:
    """The ``YYYY-MM-DD`` part of an ISO timestamp; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str) or not DATE_RE.match(value[:10]):
        raise Rejected(f"{what} is {value!r}, expected an ISO date")
    return value[:10]


# Which source is the authority for a field when two sources both have it.  arXiv is the
# record of the paper itself (bibliographic fields: the authors' own title, abstract, author
# list, dates, categories); Hugging Face is the record of its reception (upvotes, comments,
# code links, AI summary), fields arXiv does not have at all.  Earlier in a tuple wins; a
# source not listed ranks last.  A field one source lacks never erases what another gave.
BIBLIOGRAPHIC_FIELDS = frozenset(
    ("title", "authors", "abstract", "published", "categories", "arxiv_comment", "journal_ref", "doi")
)
BIBLIOGRAPHIC_AUTHORITY = ("arxiv", "hf")
RECEPTION_AUTHORITY = ("hf", "arxiv")
# Fields that are not "from" one source: the id is the key, featured days and sources are
# unions over every fetch, provenance is this bookkeeping itself.
UNATTRIBUTED_FIELDS = frozenset(("arxiv_id", "featured", "sources", "provenance"))
COUNT_FIELDS = ("upvotes", "num_comments", "github_stars")


def _authority_rank(name: str, source: str | None) -> int:
    order = BIBLIOGRAPHIC_AUTHORITY if name in BIBLIOGRAPHIC_FIELDS else RECEPTION_AUTHORITY
    return order.index(source) if source in order else len(order)


def _is_empty(value: object) -> bool:
    return value in (None, [], "")


@dataclass
class Paper:
    """One paper, whatever the sources: the unit of ``content/`` (one file per paper).

    Fields that are None or empty are simply absent from the file.  ``featured`` lists the
    days a source featured or announced the paper; the first one places the file.
    ``provenance`` maps every stored field to the source it came from (``hf``, ``arxiv``).
    """

    arxiv_id: str
    title: str
    authors: list[str]
    abstract: str
    featured: list[str]
    sources: list[str]
    published: str | None = None
    # From arXiv (absent when unknown): categories primary first, the authors' comment
    # ("12 pages, 3 figures"), the journal reference and the DOI of the published version.
    categories: list[str] = field(default_factory=list)
    arxiv_comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    upvotes: int | None = None
    num_comments: int | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    ai_keywords: list[str] = field(default_factory=list)
    organization: str | None = None
    organization_url: str | None = None
    thumbnail: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def first_featured(self) -> str:
        return self.featured[0]

    def to_dict(self) -> dict:
        """The stored fields in a fixed order, absent ones left out (the file's metadata)."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name != "abstract" and not _is_empty(value):
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict, abstract: str) -> "Paper":
        unknown = data.keys() - _METADATA_FIELDS
        if unknown:
            raise Rejected(f"unknown field(s) {', '.join(sorted(unknown))}")
        provenance = data.get("provenance", {})
        if not isinstance(provenance, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in provenance.items()
        ):
            raise Rejected("provenance is not a mapping of field names to sources")
        # Empty lists are left out of the file; read them back as empty.
        return cls(abstract=abstract, **{"authors": [], **data})

    def attributed_to(self, source: str) -> "Paper":
        """This freshly parsed paper with every field it has marked as coming from ``source``."""
        provenance = {
            f.name: source
            for f in dataclasses.fields(self)
            if f.name not in UNATTRIBUTED_FIELDS and not _is_empty(getattr(self, f.name))
        }
        return dataclasses.replace(self, sources=[source], provenance=provenance)

    def merged_with(self, newer: "Paper") -> "Paper":
        """This stored paper updated with a newer fetch of the same paper (any source).

        A field the newer fetch lacks never erases a stored one.  When both have a field,
        the newer value wins unless the stored one came from a source with more authority
        for that field (``BIBLIOGRAPHIC_AUTHORITY``, ``RECEPTION_AUTHORITY``): a Hugging
        Face fetch never overwrites arXiv's title, and a refetch from the same source
        updates it.  Counts take the larger value: snapshots are taken at different times
        of day and a replayed older day must not roll upvotes back.  ``featured`` and
        ``sources`` are unions; ``provenance`` follows the values.
        """
        assert newer.arxiv_id == self.arxiv_id
        merged = dataclasses.replace(self, provenance=dict(self.provenance))
        for f in dataclasses.fields(self):
            name = f.name
            if name in ("arxiv_id", "provenance"):
                continue
            old, new = getattr(self, name), getattr(newer, name)
            if name in ("featured", "sources"):
                setattr(merged, name, sorted(set(old) | set(new)))
                continue
            if _is_empty(new):
                continue
            old_source, new_source = self.provenance.get(name), newer.provenance.get(name)
            if name in COUNT_FIELDS and old is not None:
                take_new = new > old
            else:
                take_new = _is_empty(old) or _authority_rank(name, new_source) <= _authority_rank(name, old_source)
            if take_new:
                setattr(merged, name, new)
                if new_source:
                    merged.provenance[name] = new_source
                else:
                    merged.provenance.pop(name, None)
        merged.provenance = {
            f.name: merged.provenance[f.name] for f in dataclasses.fields(self) if f.name in merged.provenance
        }
        return merged


# The fields a paper file's metadata may hold (the abstract is its body); worked out once,
# as from_dict runs for every file of the archive.
_METADATA_FIELDS = frozenset(f.name for f in dataclasses.fields(Paper)) - {"abstract"}
