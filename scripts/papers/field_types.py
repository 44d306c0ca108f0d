"""The type of every field of a paper file, checked once, where a file is read.

A paper file is hand-editable YAML, so a well-formed file can still hold a number for a
title, a list for a DOI, a date YAML typed itself, a path for an id.  ``checked_fields``
turns the metadata YAML gave into what ``Paper`` holds, or raises ``Rejected`` naming the
field and what is wrong with it; the catalogue then reports the file and builds the rest.
A day written without quotes (``published: 2026-08-20``, which YAML reads as a date) is
taken as the day it names.
"""

from __future__ import annotations

import datetime as dt
import functools

from papers.cleaning import (
    CATEGORY_RE,
    MAX_AUTHORS,
    MAX_KEYWORDS,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    TIMESTAMP_RE,
    VERSIONLESS_ID_RE,
    clean_count,
    shown_value,
    valid_day,
    valid_repo_id,
)
from papers.errors import Rejected
from papers.model import Paper


def _kind(value: object) -> str:
    """How a maintainer would name a YAML value's type."""
    if isinstance(value, bool):
        return "true/false"
    return {int: "a number", float: "a number", list: "a list", dict: "a mapping", type(None): "empty"}.get(type(value), type(value).__name__)


def _text(value, where: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise Rejected(f"{where} is {_kind(value)} ({shown_value(value)}), expected text")
    if len(value) > limit:
        raise Rejected(f"{where} is {len(value):,} characters long (limit {limit:,})")
    return value


def _day(value, where: str) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.isoformat()  # written without quotes: YAML made it a date
    if not valid_day(value):
        raise Rejected(f"{where} is {shown_value(value)}, expected a day YYYY-MM-DD")
    return value


def _count(value, where: str) -> int | None:
    return clean_count(value, what=where)


def _arxiv_id(value, where: str) -> str:
    if not isinstance(value, str) or not VERSIONLESS_ID_RE.fullmatch(value):
        raise Rejected(f"{where} is {shown_value(value)}, expected an arXiv id such as 2608.19880")
    return value


def _repo_id(value, where: str) -> str:
    if not valid_repo_id(value):
        raise Rejected(f"{where} is {shown_value(value)}, expected a Hugging Face repo id such as owner/name")
    return value


def _category(value, where: str) -> str:
    if not isinstance(value, str) or not CATEGORY_RE.match(value):
        raise Rejected(f"{where} is {shown_value(value)}, expected an arXiv category such as cs.CL")
    return value


def _list_of(check, limit: int, non_empty: bool = False, chars: int = MAX_TEXT):
    """A check of a list of at most ``limit`` items; items of text at most ``chars`` long."""

    def checked(value, where: str) -> list:
        if not isinstance(value, list):
            raise Rejected(f"{where} is {_kind(value)} ({shown_value(value)}), expected a list")
        if non_empty and not value:
            raise Rejected(f"{where} is an empty list, expected at least one item")
        if len(value) > limit:
            raise Rejected(f"{where} has {len(value):,} items (limit {limit:,})")
        if check is _text:
            if all(type(item) is str and len(item) <= chars for item in value):
                return value  # the usual list of names, checked without a call per item
            return [_text(item, f"{where}[{n}]", chars) for n, item in enumerate(value, 1)]
        return [check(item, f"{where}[{n}]") for n, item in enumerate(value, 1)]

    return checked


def _names_to_texts(value, where: str) -> dict:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise Rejected(f"{where} is {shown_value(value)}, expected a mapping of names to texts")
    return value


def _times(value, where: str) -> dict:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and TIMESTAMP_RE.match(v) for k, v in value.items()):
        raise Rejected(f"{where} is {shown_value(value)}, expected a mapping of sources to times YYYY-MM-DDTHH:MM:SSZ")
    return value


def _title(value, where: str) -> str:
    if not _text(value, where, MAX_TITLE).strip():
        raise Rejected(f"{where} is empty")
    return value


FIELD_CHECKS = {
    "arxiv_id": _arxiv_id,
    "title": _title,
    "authors": _list_of(_text, MAX_AUTHORS, chars=MAX_NAME),
    # (ten years of days: each is a link on the paper's page)
    "featured": _list_of(_day, 3_660, non_empty=True),
    "sources": _list_of(_text, 100),
    "published": _day,
    "categories": _list_of(_category, 100),
    "arxiv_comment": _text,
    "journal_ref": _text,
    "doi": _text,
    "upvotes": _count,
    "num_comments": _count,
    "github_repo": _text,
    "github_stars": _count,
    "project_page": _text,
    "ai_summary": _text,
    "ai_keywords": _list_of(_text, MAX_KEYWORDS, chars=MAX_NAME),
    "organization": functools.partial(_text, limit=MAX_NAME),
    "organization_url": _text,
    "thumbnail": _text,
    # (the fetcher keeps 5 of each; a hand edit may list a few more)
    "hf_models": _list_of(_repo_id, 100),
    "hf_datasets": _list_of(_repo_id, 100),
    "hf_spaces": _list_of(_repo_id, 100),
    "hf_num_models": _count,
    "hf_num_datasets": _count,
    "hf_num_spaces": _count,
    "provenance": _names_to_texts,
    "fetched": _times,
}
REQUIRED = ("arxiv_id", "title", "featured", "sources")
assert FIELD_CHECKS.keys() == {f for f in Paper.__dataclass_fields__} - {"abstract"}


def checked_fields(meta: dict) -> dict:
    """The metadata of a paper file as ``Paper`` takes it; ``Rejected`` names the first
    field that is missing, unknown or of the wrong type."""
    unknown = sorted(str(k) for k in meta.keys() - FIELD_CHECKS.keys())
    if unknown:
        raise Rejected(f"unknown field(s) {', '.join(unknown)}")
    for name in REQUIRED:
        if name not in meta:
            raise Rejected(f"{name} is missing")
    return {name: FIELD_CHECKS[name](value, name) for name, value in meta.items()}
