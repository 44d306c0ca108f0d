"""The paper record, and how two records of one paper merge: which source is the authority
for which field, and what an older response may change (``Paper.merged_with``).

What makes upstream data safe to store in the first place: ``papers.cleaning``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

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
UNATTRIBUTED_FIELDS = frozenset(("arxiv_id", "featured", "sources", "provenance", "fetched"))
COUNT_FIELDS = ("upvotes", "num_comments", "github_stars")
# The models, datasets and Spaces Hugging Face links to a paper (its per-paper API,
# ``papers.sources.hf_paper``): reception fields too, from "hf".  Unlike COUNT_FIELDS, each
# list and its count is a snapshot of what links to the paper now, and both may shrink when
# a repo is deleted or unlinked, so the newer fetch wins (an older response still only
# fills what is missing); taking the larger count would keep pointing at a deleted repo.  An
# empty list beside its count was fetched and found empty ("none any more"): it replaces a
# stored list, and is not refilled by an older response.  Each list maps to its count.
LINKED_REPO_FIELDS = {"hf_models": "hf_num_models", "hf_datasets": "hf_num_datasets", "hf_spaces": "hf_num_spaces"}


def _authority_rank(name: str, source: str | None) -> int:
    order = BIBLIOGRAPHIC_AUTHORITY if name in BIBLIOGRAPHIC_FIELDS else RECEPTION_AUTHORITY
    return order.index(source) if source in order else len(order)


def _is_empty(value: object) -> bool:
    return value in (None, [], "", {})


def _holds(paper: "Paper", name: str) -> bool:
    """Whether ``paper`` has a value for field ``name``: one that is not empty, or a linked
    repo list that its count says was fetched and found empty."""
    if not _is_empty(getattr(paper, name)):
        return True
    count = LINKED_REPO_FIELDS.get(name)
    return count is not None and getattr(paper, count) is not None


def _source(paper: "Paper", name: str) -> str | None:
    """Where the value of field ``name`` came from (an empty linked repo list: its count's source)."""
    return paper.provenance.get(name) or paper.provenance.get(LINKED_REPO_FIELDS.get(name, ""))


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
    # From Hugging Face's per-paper API: the first few linked repo ids (``owner/name``) in
    # its order, and how many it links in all.
    hf_models: list[str] = field(default_factory=list)
    hf_datasets: list[str] = field(default_factory=list)
    hf_spaces: list[str] = field(default_factory=list)
    hf_num_models: int | None = None
    hf_num_datasets: int | None = None
    hf_num_spaces: int | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    # When each source's data was current (``YYYY-MM-DDTHH:MM:SSZ``): the response's own
    # time, or when it was fetched.  An older response never overwrites a newer one's values.
    fetched: dict[str, str] = field(default_factory=dict)

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
        """A paper from a file's metadata, its types checked (``papers.field_types``)."""
        # Empty lists are left out of the file; read them back as empty.
        return cls(abstract=abstract, **{"authors": [], **data})

    def attributed_to(self, source: str, as_of: str | None = None) -> "Paper":
        """This freshly parsed paper with every field it has marked as coming from
        ``source``, its data current ``as_of`` (a ``YYYY-MM-DDTHH:MM:SSZ`` time) if known."""
        provenance = {
            f.name: source
            for f in dataclasses.fields(self)
            if f.name not in UNATTRIBUTED_FIELDS and not _is_empty(getattr(self, f.name))
        }
        return dataclasses.replace(self, sources=[source], provenance=provenance, fetched={source: as_of} if as_of else {})

    def merged_with(self, newer: "Paper") -> "Paper":
        """This stored paper updated with a newer fetch of the same paper (any source).

        A field the newer fetch lacks never erases a stored one.  When both have a field,
        the newer value wins unless the stored one came from a source with more authority
        for that field (``BIBLIOGRAPHIC_AUTHORITY``, ``RECEPTION_AUTHORITY``): a Hugging
        Face fetch never overwrites arXiv's title, and a refetch from the same source
        updates it, unless its data is older (``fetched``) than the stored value's from that
        source: an older response only fills what is missing.  Counts (``COUNT_FIELDS``) take
        the larger value: snapshots are taken at different times of day and a replayed older
        day must not roll upvotes back (linked repos do not: ``LINKED_REPO_FIELDS``).
        ``featured`` and ``sources`` are unions; ``provenance`` follows the values;
        ``fetched`` keeps each source's newest time, but only changes with a value: data
        fetched again unchanged leaves the record (and its file) as it was.
        """
        assert newer.arxiv_id == self.arxiv_id
        merged = dataclasses.replace(self, provenance=dict(self.provenance), fetched=dict(self.fetched))
        for source, when in newer.fetched.items():
            if when > merged.fetched.get(source, ""):
                merged.fetched[source] = when
        merged.fetched = dict(sorted(merged.fetched.items()))  # the same file whatever the order of fetches
        for f in dataclasses.fields(self):
            name = f.name
            if name in ("arxiv_id", "provenance", "fetched"):
                continue
            old, new = getattr(self, name), getattr(newer, name)
            if name in ("featured", "sources"):
                setattr(merged, name, sorted(set(old) | set(new)))
                continue
            if not _holds(newer, name):
                continue
            old_source, new_source = _source(self, name), _source(newer, name)
            if name in COUNT_FIELDS and old is not None:
                take_new = new > old
            elif not _holds(self, name):
                take_new = True
            elif new_source is not None and new_source == old_source and newer.fetched.get(new_source, "~") < self.fetched.get(old_source, ""):
                take_new = False  # the same source, as it was before the stored value: older
            else:
                take_new = _authority_rank(name, new_source) <= _authority_rank(name, old_source)
            if take_new:
                setattr(merged, name, new)
                if new_source and not _is_empty(new):
                    merged.provenance[name] = new_source
                else:
                    merged.provenance.pop(name, None)
        merged.provenance = {
            f.name: merged.provenance[f.name] for f in dataclasses.fields(self) if f.name in merged.provenance
        }
        if newer.fetched.keys() <= self.fetched.keys() and dataclasses.replace(merged, fetched=self.fetched) == self:
            # Nothing but the time changed: the stored file stays as it is, so that a daily
            # refetch of the same data is "unchanged" and commits nothing.
            return self
        return merged

