"""Why a paper is in a paper theme, in plain words for readers of its page.

``match_paper_themes`` gives each match the reasons it was made, one a phrase and part:
``title: "agent"``, ``abstract: "agent"``, ``abstract: "tool use"``, ``category: cs.MA``;
exact, but it reads like a debug log.  ``plain_reasons(reasons)`` says the same, shorter:
each phrase once with the parts it was found in (*agent* "in the title and abstract",
*tool use* "in the abstract"), then the arXiv category ("arXiv category cs.MA"), at most
``MAX_PHRASES`` phrases and "and N more phrases" for the rest.

It returns pieces of text, never markup: the paper page's template (a Jinja filter of
``plugins/paper_pages``) puts each phrase in ``<em>`` and escapes everything, phrases being
whatever ``themes.yml`` holds.  A reason in no known format (the catch-all's "matches no
theme") is kept as it is.
"""

from __future__ import annotations

from typing import NamedTuple

from papers.themes.taxonomy import TEXT_FIELDS

MAX_PHRASES = 3  # a reason is read at a glance: its first few phrases say enough
CATEGORY_PREFIX = "category: "


class PlainReason(NamedTuple):
    """One piece of a plain reason: a phrase (shown emphasised; "" for none) and where."""

    phrase: str
    where: str  # "in the title and abstract", "arXiv category cs.MA", "and 2 more phrases"


def parse_phrase_reason(reason: str) -> tuple[str, str] | None:
    """``(part, phrase)`` of ``title: "agent"``; None for a reason that is not a phrase's.

    The phrase is everything between the first ``: "`` and the last ``"``, whatever it holds.
    """
    part, separator, quoted = reason.partition(': "')
    if not separator or part not in TEXT_FIELDS or not quoted.endswith('"'):
        return None
    return part, quoted[:-1]


def english_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def plain_reasons(reasons) -> list[PlainReason]:
    """The reasons of a paper theme match, grouped by phrase, in plain words (module docstring).

    Phrases (and reasons in no known format) come in the order first seen, each with its
    parts in the order title, keywords, abstract; then the categories; then how many
    phrases were left out.
    """
    # (kind, text) -> the parts a phrase was found in, in the order first seen; kind is
    # "phrase", or "other" for a reason in no known format (which may look like a phrase).
    items: dict[tuple[str, str], set[str]] = {}
    categories: dict[str, None] = {}  # in the order first seen
    for reason in reasons:
        parsed = parse_phrase_reason(reason)
        if parsed:
            part, phrase = parsed
            items.setdefault(("phrase", phrase), set()).add(part)
        elif reason.startswith(CATEGORY_PREFIX) and reason != CATEGORY_PREFIX:
            categories[reason.removeprefix(CATEGORY_PREFIX)] = None
        else:
            items.setdefault(("other", reason), set())
    out = []
    for (kind, text), parts in list(items.items())[:MAX_PHRASES]:
        if kind == "phrase":
            out.append(PlainReason(text, f"in the {english_list([p for p in TEXT_FIELDS if p in parts])}"))
        else:
            out.append(PlainReason("", text))
    if categories:
        out.append(PlainReason("", f"arXiv categor{'ies' if len(categories) > 1 else 'y'} {english_list(list(categories))}"))
    left_out = len(items) - MAX_PHRASES
    if left_out > 0:
        out.append(PlainReason("", f"and {left_out} more phrase{'s' if left_out > 1 else ''}"))
    return out
