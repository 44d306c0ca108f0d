"""The words of a paper and of a phrase (``papers.themes.matching``): tokens, and when a
word of a paper is a form of a word of a phrase.

Two words are forms of one word when lunr's Porter stemmer (the one the search uses) gives
them the same stem *and* one is the other with an inflection (``inflects``): Porter alone
joins cousins that name other things.  An acronym, a word written in capitals in a phrase,
has no forms but its plural.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict

from lunr.stemmer import stemmer
from lunr.token import Token

TOKEN_RE = re.compile(r"\w+|[^\w\s-]")
# The ASCII characters that are tokens of their own (not letters, digits, "_", spaces, "-"):
# str.translate tables keeping only them, and making each of them MARK and hyphens spaces.
ASCII_MARKS = "".join(ch for ch in map(chr, range(128)) if re.fullmatch(r"[^\w\s-]", ch))
ASCII_MARKS_ONLY = str.maketrans("", "", "".join(ch for ch in map(chr, range(128)) if ch not in ASCII_MARKS))
MARK = "\x00"  # stands for every mark (itself one, so never part of a word)
ASCII_MARKS_TO_MARK = str.maketrans({"-": " ", **{mark: MARK for mark in ASCII_MARKS}})


def tokens(text: str) -> list[str]:
    """The tokens ``TOKEN_RE`` finds in ``text`` lowercased."""
    text = text.lower()
    if not text.isascii():
        return TOKEN_RE.findall(text)
    # The same tokens from str methods, faster than the regex on ASCII text (almost every
    # paper): each mark spaced out, hyphens made spaces, then split on whitespace.
    for mark in set(text.translate(ASCII_MARKS_ONLY)):
        text = text.replace(mark, f" {mark} ")
    return text.replace("-", " ").split()


def words_and_marks(text: str) -> list[str]:
    """``tokens(text)``, but with each ASCII mark ("," "(" ...) as ``MARK``: faster still, and
    enough for phrases without marks, which find the same runs of tokens in either."""
    text = text.lower()
    if not text.isascii():
        return TOKEN_RE.findall(text)
    return text.translate(ASCII_MARKS_TO_MARK).replace(MARK, f" {MARK} ").split()


def is_mark(token: str) -> bool:
    return not (token[0].isalnum() or token[0] == "_")



@functools.lru_cache(maxsize=None)
def stem(word: str) -> str:
    """``word``'s Porter stem (lunr's stemmer, the one the search uses); a mark is its own."""
    return stemmer(Token(word)).string if word[0].isalnum() else word


# The endings that make a word's inflections (and "-ion" and "-al", so that "evaluate"
# finds "evaluation" and "retrieve" "retrieval"): what ``inflects`` allows beyond a shared
# Porter stem.
ENDINGS = frozenset({"s", "es", "ed", "ing", "ings"})
E_ENDINGS = frozenset({"es", "ed", "ing", "ings", "ion", "ions", "al", "als"})  # after a final "e" dropped
Y_ENDINGS = frozenset({"ies", "ied"})  # after a final "y" dropped


def inflects(a: str, b: str) -> bool:
    """Whether two words of the same stem are forms of one word, not cousins: the longer is
    the shorter with an ending ("agent", "agents"; "plan", "planning"), with its final "e"
    dropped ("evaluate", "evaluating", "evaluation") or its final "y" ("policy", "policies").
    Two forms of a third word are not each other's ("pre-trained" models are not about
    "pre-training").
    Porter's stems alone join "optimizer" with "optimal", "tokenizer" with "tokens" and
    "verifier" with "verify"."""
    short, long = sorted((a, b), key=len)
    if short == long:
        return True
    rest = long[len(short) :] if long.startswith(short) else None
    if rest in ENDINGS or (rest and rest[0] == short[-1] and rest[1:] in ("ing", "ed")):
        return True
    head, last, tail = short[:-1], short[-1], long[len(short) - 1 :]
    return long.startswith(head) and ((last == "e" and tail in E_ENDINGS) or (last == "y" and tail in Y_ENDINGS))


class WordForms(dict):
    """text word -> the phrase word it is a form of (``inflects``; the first one of its stem
    found), else itself, worked out the first time it is asked for: a paper's words are
    looked up with one C-level map over this dict.  Phrase words that are forms of each
    other are one word: the shortest of them.  An acronym (a word written in capitals in a
    phrase: "RAG", "AIME") has no forms but its plural: "ragged" and "aims" are other words."""

    def __init__(self, phrase_words, acronyms=frozenset()):
        super().__init__()
        self.acronyms = frozenset(acronyms)
        self.by_stem: dict[str, list[str]] = defaultdict(list)
        for word in sorted(set(phrase_words), key=lambda w: (len(w), w)):
            self.by_stem[stem(word)].append(word)

    def __missing__(self, word: str) -> str:
        form = next((known for known in self.by_stem.get(stem(word), ()) if self.is_form(word, known)), word)
        if form != word:
            form = self[form] if form in self else form
        self[word] = form
        return form

    def is_form(self, word: str, known: str) -> bool:
        if known in self.acronyms or word in self.acronyms:
            return word in (known, known + "s") or known == word + "s"
        return inflects(word, known)
