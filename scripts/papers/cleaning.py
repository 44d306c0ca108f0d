"""The rules that make untrusted upstream data safe to store: text, ids, URLs, counts, days
and times, each cleaned or refused, and the limits per field.

Everything a source returns is untrusted.  Text is cleaned (control characters dropped,
other whitespace made spaces, newlines normalised) but otherwise kept exactly: escaping
happens where it is shown, never here.  Ids must be arXiv ids in ASCII digits, days real
calendar days, URLs http(s); anything else is rejected with a reason that names the
offending value (cut short: ``shown_value``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlsplit

from papers.errors import Rejected

# New-style arXiv ids (YYMM.NNNN or YYMM.NNNNN), optionally versioned upstream.  ASCII
# digits only ([0-9], not \d: fullwidth or Arabic-Indic digits would pass \d and name
# folders no reader can type).
ARXIV_ID_RE = re.compile(r"^(?P<id>[0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?")
# The id as stored: versionless (what file names, URLs and citation keys are made of).
VERSIONLESS_ID_RE = re.compile(r"[0-9]{4}\.[0-9]{4,5}")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# arXiv categories, or an archive alone: cs.CL, eess.AS, astro-ph.CO, hep-th, q-bio, stat.ML, …
CATEGORY_RE = re.compile(r"^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$")
# Dates a paper can have: arXiv opened in 1991; nothing real is dated after 2100.
FIRST_YEAR, LAST_YEAR = 1991, 2100

# Limits per field, far above every real paper of both archives (3,303 authors, 44 keywords,
# 226-character titles, 3,488-character abstracts, a 512-character garbled author name),
# so that no real paper loses anything, and low enough that one entry cannot make a page,
# a feed or a search shard huge.  Longer texts reject the entry; longer lists keep their
# first items, with a warning.
MAX_TEXT = 20_000  # an abstract, a summary, a comment
MAX_TITLE = 1_000
MAX_NAME = 1_000  # an author's name, a keyword, an organization
MAX_AUTHORS = 5_000  # collaborations of thousands exist: all are stored, up to this
MAX_KEYWORDS = 100
MAX_COUNT = 10**9  # upvotes, comments, stars
TEXT_LIMITS = {"title": MAX_TITLE, "author name": MAX_NAME, "keyword": MAX_NAME, "organization": MAX_NAME}

# Characters that are never kept: control and format characters (NUL, escape, bidi
# overrides, zero-width joiners), surrogates, private use and unassigned code points.
DROPPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))


def _kept(ch: str) -> str:
    """A character as clean text keeps it: whitespace other than a line feed (tabs, U+2028
    and U+2029, NEL, vertical tab) is a space, a dropped category is nothing."""
    if ch == "\n":
        return ch
    if ch.isspace():
        return " "
    return "" if unicodedata.category(ch) in DROPPED_CATEGORIES else ch


def clean_text(value: object, *, what: str, multiline: bool = False) -> str:
    """Return ``value`` as safe plain text, or raise ``Rejected``.

    Control and format characters, surrogates and unassigned code points are dropped, other
    whitespace becomes spaces (``break\u2028save_as`` is "break save_as"); a title is folded
    onto one line, an abstract keeps its line breaks.  Longer than its limit (``MAX_TEXT``,
    ``TEXT_LIMITS``): ``Rejected``.
    """
    if not isinstance(value, str):
        raise Rejected(f"{what} is {type(value).__name__}, expected text")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if not (text.isascii() and text.isprintable()):
        text = "".join(map(_kept, text))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.replace("\t", " ").split("\n")).strip()
    else:
        text = " ".join(text.split())
    limit = TEXT_LIMITS.get(what, MAX_TEXT)
    if len(text) > limit:
        raise Rejected(f"{what} is {len(text):,} characters long (limit {limit:,})")
    return text


def clean_arxiv_id(value: object) -> str:
    """The versionless arXiv id, or ``Rejected`` naming what was given."""
    if not isinstance(value, str) or not ARXIV_ID_RE.fullmatch(value.strip()):
        raise Rejected(f"id {shown_value(value)} is not an arXiv id")
    return ARXIV_ID_RE.fullmatch(value.strip())["id"]


# Whitespace (\s is str.isspace) or a control character (category Cc): never in a URL.
URL_BREAKING_CHAR_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
MAX_URL = 2_000


def clean_url(value: object) -> str | None:
    """An absolute http(s) URL, or None for anything else (javascript:, data:, relative…,
    one holding whitespace, a control or format character such as a bidi override, a
    surrogate or an unassigned code point, or longer than ``MAX_URL``)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL or URL_BREAKING_CHAR_RE.search(url):
        return None
    if not url.isascii() and any(unicodedata.category(ch) in DROPPED_CATEGORIES for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


# A Hugging Face repo id (a model, dataset or Space): ``owner/name``, each part ASCII
# letters, digits, ``_.-`` not starting with a punctuation mark, at most 96 characters
# (Hugging Face's own limit), and no ``..``: pasted after ``https://huggingface.co/`` it
# names that repo and nothing else (no scheme, no other host, no path up).
HF_REPO_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}")


def valid_repo_id(value: object) -> bool:
    """Whether ``value`` is a Hugging Face repo id (``HF_REPO_ID_RE``, no ``..``)."""
    return isinstance(value, str) and HF_REPO_ID_RE.fullmatch(value) is not None and ".." not in value


def clean_count(value: object, *, what: str) -> int | None:
    """A count from 0 to ``MAX_COUNT``; None when absent, ``Rejected`` otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise Rejected(f"{what} is {shown_value(value)}, expected a whole number from 0 to {MAX_COUNT:,}")
    return value


def valid_day(text: object) -> bool:
    """Whether ``text`` is a real calendar day ``YYYY-MM-DD`` in ASCII digits, between
    ``FIRST_YEAR`` and ``LAST_YEAR``."""
    if not isinstance(text, str) or not DATE_RE.match(text):
        return False
    try:
        return FIRST_YEAR <= dt.date.fromisoformat(text).year <= LAST_YEAR
    except ValueError:
        return False


def clean_date(value: object, *, what: str, warnings: list[str] | None = None) -> str | None:
    """The ``YYYY-MM-DD`` part of an ISO timestamp, a real day (``valid_day``); None when
    absent.  Otherwise ``Rejected``, or, given ``warnings``, None with a warning there (a
    paper is not lost for a bad date: the field is)."""
    if value is None:
        return None
    if not isinstance(value, str) or not valid_day(value[:10]):
        problem = f"{what} is {shown_value(value)}, expected an ISO date from {FIRST_YEAR} to {LAST_YEAR}"
        if warnings is None:
            raise Rejected(problem)
        warnings.append(f"{problem}: dropped")
        return None
    return value[:10]


TIMESTAMP_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")


def utc_timestamp(when: dt.datetime) -> str:
    """``when`` as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC): how ``Paper.fetched`` records a time, in
    a form whose string order is time order."""
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def capped(items: list, limit: int, *, what: str, warnings: list[str]) -> list:
    """The first ``limit`` of ``items``, with a warning when there were more."""
    if len(items) <= limit:
        return items
    warnings.append(f"{what}: kept the first {limit:,} of {len(items):,} (the limit)")
    return items[:limit]


def shown_value(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages about huge values."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
