"""Hugging Face's per-paper API: the models, datasets and Spaces linked to one paper.

``https://huggingface.co/api/papers/<arxiv_id>`` answers one paper's record (no ``paper``
wrapper, see tests/fixtures/README.md) with ``linkedModels``, ``linkedDatasets`` and
``linkedSpaces`` (repo objects: ``id``, ``downloads``, ``likes``, …) and the totals
``numTotalModels``, ``numTotalDatasets``, ``numTotalSpaces``.

When it runs: during a live fetch of a Hugging Face day, once per paper of the day, after
the day's list is parsed (``collect_paper_links``, from ``papers.fetching``, with the day's polite
client); never when a saved response is replayed (``--input``), nor with
``--no-paper-links``.  What it gives is stored as reception fields from "hf"
(``Paper.hf_models``, ``hf_num_models``, …; ``papers.model.LINKED_REPO_FIELDS`` says how
they merge).

Everything in the body is untrusted: ids are kept only in Hugging Face's ``owner/name``
form (``papers.cleaning.valid_repo_id``), the others dropped with a warning naming them;
counts go through ``clean_count``; a field of the wrong type is not stored, with a
warning.  Only a body that is not a JSON object (or is another paper's) is a
``SourceError``: the caller then stores the paper without its links.
"""

from __future__ import annotations

from typing import NamedTuple

from papers.cleaning import clean_arxiv_id, clean_count, shown_value, valid_repo_id
from papers.errors import Rejected, SourceError
from papers.model import Paper
from papers.sources import hf
from papers.sources.http import PoliteClient

PAPER_URL = "https://huggingface.co/api/papers/{id}"
# Ids kept per kind, in the API's order (the page shows them and links to the rest).
MAX_LINKED = 5
# Seconds between two requests of the Hugging Face client (``scripts/fetch.py``): a day
# asks once per paper, and an anonymous client gets 500 API requests per 5 minutes
# (https://huggingface.co/docs/hub/rate-limits); this stays at 300.
MIN_INTERVAL = 1.0
# A day asks once per paper; once this many requests fail alike (no DNS, an outage, a
# changed API), the day's other papers are not asked.
MAX_LINK_FAILURES_ALIKE = 3
# Per kind: the Paper's ids and count fields, the API's list and count keys.
KINDS = (
    ("hf_models", "hf_num_models", "linkedModels", "numTotalModels"),
    ("hf_datasets", "hf_num_datasets", "linkedDatasets", "numTotalDatasets"),
    ("hf_spaces", "hf_num_spaces", "linkedSpaces", "numTotalSpaces"),
)


class PaperLinks(NamedTuple):
    fields: dict  # Paper field name -> value, only those the response gave
    warnings: list[str]
    as_of: str  # when the server answered (``utc_timestamp``)


def fetch_paper_links(client: PoliteClient, arxiv_id: str) -> PaperLinks:
    """The links of paper ``arxiv_id`` (a versionless id); ``SourceError`` (``FetchError``
    for a request that failed after the client's retries) when there are none to be had."""
    response = client.get(PAPER_URL.format(id=arxiv_id))
    fields, warnings = parse_paper_links(response.text, arxiv_id)
    return PaperLinks(fields, warnings, hf.response_time(response.headers.get("Date")))


def collect_paper_links(client, papers: list[Paper]) -> tuple[list[Paper], list[str]]:
    """``papers`` each merged with the models, datasets and Spaces Hugging Face links to it
    (``fetch_paper_links``), as of that response, and the warnings.  A paper whose links cannot be
    had (a failed request, a body that is not its record, a bug) is kept as it was, with a
    one-line warning; after ``MAX_LINK_FAILURES_ALIKE`` failures alike the others are kept
    without asking, with one warning saying so."""
    done: list[Paper] = []
    warnings: list[str] = []
    failures: dict[str, int] = {}
    for n, paper in enumerate(papers):
        try:
            links = fetch_paper_links(client, paper.arxiv_id)
            record = Paper(paper.arxiv_id, "", [], "", [], [], **links.fields).attributed_to(hf.SOURCE, links.as_of)
            done.append(paper.merged_with(record))
            warnings += links.warnings
            continue
        except SourceError as exc:
            problem = str(exc)
        except Exception as exc:  # nothing about links may cost a paper
            problem = f"unexpected {type(exc).__name__}: {exc}"
        done.append(paper)
        problem = " ".join(problem.split())[:300]  # one line, whatever the error says
        warnings.append(f"{paper.arxiv_id}: linked models, datasets and Spaces not fetched: {problem}")
        alike = problem.replace(paper.arxiv_id, "<id>")
        failures[alike] = failures.get(alike, 0) + 1
        if failures[alike] >= MAX_LINK_FAILURES_ALIKE and n + 1 < len(papers):
            done += papers[n + 1 :]
            warnings.append(
                f"stopped asking for linked models, datasets and Spaces after {failures[alike]} failures alike "
                f"({alike}): the other {len(papers) - n - 1} papers are stored without them"
            )
            break
    return done, warnings


def parse_paper_links(body: str | object, arxiv_id: str) -> tuple[dict, list[str]]:
    """The fields to store from a response ``body`` (its text, or the JSON already decoded)
    about paper ``arxiv_id``, and warnings (each naming the paper) about what was dropped.

    Per kind: the first ``MAX_LINKED`` valid distinct ids, and the count, raised to the
    number of valid ids listed when it is lower.
    """
    data = hf.decode_json(body) if isinstance(body, (str, bytes)) else body
    if not isinstance(data, dict):
        raise SourceError(f"response is {_kind(data)} in JSON, expected a paper object")
    if "id" in data:
        try:
            same = clean_arxiv_id(data["id"]) == arxiv_id
        except Rejected:
            same = False
        if not same:
            raise SourceError(f"response is about paper {shown_value(data['id'])}, not {arxiv_id}")
    fields: dict = {}
    warnings: list[str] = []
    for ids_field, count_field, list_key, count_key in KINDS:
        ids = _repo_ids(data.get(list_key), arxiv_id, list_key, warnings)
        try:
            count = clean_count(data.get(count_key), what=f"{arxiv_id}: {count_key}")
        except Rejected as exc:
            warnings.append(f"{exc}: not stored")
            count = None
        if ids is not None:
            fields[ids_field] = ids[:MAX_LINKED]
        if count is not None:
            fields[count_field] = max(count, len(ids or ()))
    return fields, warnings


def _kind(value: object) -> str:
    return hf.JSON_KINDS.get(type(value), "a list" if isinstance(value, list) else "a JSON value")


def _repo_ids(value: object, arxiv_id: str, list_key: str, warnings: list[str]) -> list[str] | None:
    """Every valid distinct id of a ``linked…`` list, in order; None (with a warning) when
    the list is absent or not a list of objects with a text ``id``."""
    if value is None:
        return None
    what = f"{arxiv_id}: {list_key}"
    if not isinstance(value, list):
        warnings.append(f"{what} is {_kind(value)} ({shown_value(value)}), expected a list: not stored")
        return None
    ids: dict[str, None] = {}  # (an ordered set)
    dropped = []
    for n, item in enumerate(value, 1):
        repo_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(repo_id, str):
            shown = f"{what}[{n}].id is {shown_value(repo_id)}" if isinstance(item, dict) else f"{what}[{n}] is {shown_value(item)}"
            warnings.append(f"{shown}, expected a repo object with a text id: {list_key} not stored")
            return None
        if valid_repo_id(repo_id):
            ids.setdefault(repo_id)
        else:
            dropped.append(repo_id)
    if dropped:
        names = ", ".join(shown_value(d, 60) for d in dropped[:3]) + (f" and {len(dropped) - 3:,} more" if len(dropped) > 3 else "")
        warnings.append(f"{what}: dropped {names} (not a Hugging Face repo id owner/name)")
    return list(ids)
