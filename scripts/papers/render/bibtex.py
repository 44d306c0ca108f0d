"""A BibTeX entry for a paper: every author, the arXiv eprint and arXiv's DOI.

The fields come from untrusted data and end up in someone's LaTeX run, so text is escaped
for LaTeX (braces included: BibTeX counts them even after a backslash) and a ``$…$``
formula is kept only when every command in it is a known math command, never one that
defines, links or reads (``\\def``, ``\\href``, ``\\input``, …).
"""

from __future__ import annotations

import re
import unicodedata

import latex2mathml.commands
import latex2mathml.symbols_parser
from papers.render.mathtext import split_math

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
LATEX_SPECIALS_TABLE = str.maketrans(LATEX_SPECIALS)
COMMAND_RE = re.compile(r"\\(?:[A-Za-z]+\*?|.)")
WHITESPACE_RE = re.compile(r"\s+")
# Unicode category Cc, except the characters str.isspace() counts as whitespace: deleted
CONTROL_TABLE = dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x1C), *range(0x7F, 0x85), *range(0x86, 0xA0)])
AND_RE = re.compile(r"\band\b", re.IGNORECASE)
UNSAFE_COMMANDS = {
    r"\def", r"\newcommand", r"\newenvironment", r"\DeclareMathOperator", r"\href", r"\class",
    r"\style", r"\verb", r"\unicode", r"\color", r"\textcolor", r"\colorbox", r"\fcolorbox",
}
SAFE_MATH_COMMANDS = (
    {v for v in vars(latex2mathml.commands).values() if isinstance(v, str) and v.startswith("\\")}
    | {k for k in latex2mathml.symbols_parser.SYMBOLS if k.startswith("\\")}
) - UNSAFE_COMMANDS


def one_line(text: str) -> str:
    """Whitespace runs as one space, control characters dropped: one field, one line."""
    return WHITESPACE_RE.sub(" ", text.translate(CONTROL_TABLE))


def latex_escape(text: str) -> str:
    return one_line(text).translate(LATEX_SPECIALS_TABLE)


def _braces_balance(latex: str) -> bool:
    depth = 0
    for ch in latex:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _safe_formula(latex: str) -> bool:
    return _braces_balance(latex) and all(c in SAFE_MATH_COMMANDS for c in COMMAND_RE.findall(latex))


def latex_text(text: str) -> str:
    """Untrusted text as a LaTeX field value, its safe formulas kept as formulas."""
    out = []
    for segment in split_math(text):
        if segment.kind != "text" and _safe_formula(segment.text):
            out.append(f"${one_line(segment.text)}$")
        else:
            out.append(latex_escape(segment.text if segment.kind == "text" else segment.source))
    return "".join(out)


def author_field(name: str) -> str:
    """One author: braced when BibTeX would otherwise split it (an "and" or a comma)."""
    escaped = latex_escape(name)
    if "," in name or AND_RE.search(name):
        return "{" + escaped + "}"
    return escaped


def cite_key(paper) -> str:
    """arXiv's style: first author's last name, year, first word of the title (ASCII)."""

    def ascii_word(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return next(iter(re.findall(r"[A-Za-z]+", folded)), "").lower()

    last_name = ascii_word(paper.authors[0].split()[-1]) if paper.authors and paper.authors[0].split() else ""
    title_word = ascii_word(re.sub(r"\$[^$]*\$", " ", paper.title))
    return f"{last_name}20{paper.arxiv_id[:2]}{title_word}" if last_name else f"arxiv{paper.arxiv_id}"


def bibtex_entry(paper) -> str:
    fields = [
        ("title", latex_text(paper.title)),
        ("author", " and ".join(author_field(a) for a in paper.authors)),
        ("year", f"20{paper.arxiv_id[:2]}"),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
    ]
    categories = getattr(paper, "categories", None)
    if categories:
        fields.append(("primaryClass", latex_escape(categories[0])))
    fields += [
        ("doi", f"10.48550/arXiv.{paper.arxiv_id}"),
        ("url", f"https://arxiv.org/abs/{paper.arxiv_id}"),
    ]
    body = "".join(f"  {name:<13} = {{{value.strip()}}},\n" for name, value in fields if value.strip())
    return f"@misc{{{cite_key(paper)},\n{body}}}\n"
