"""A BibTeX entry for a paper: every author, the arXiv eprint and arXiv's DOI.

Title, authors and category are untrusted data that end up in a reader's BibTeX and LaTeX
run, so every field is inert TeX, built from an allowlist rather than a list of bad commands
(TeX can spell any command without a backslash: ``^^5c`` is one, ``\\csname`` builds names,
``\\catcode`` changes what characters mean):

- Text is plain text under every catcode regime a standard document has: the LaTeX specials
  and ``@`` (BibTeX's entry start, for any tool that does not count braces) become fixed
  commands; braces become ``\\textbrace…`` because BibTeX counts a brace even after a
  backslash, so ``\\{`` could close the field.  Control, format, surrogate, private-use and
  unassigned characters are dropped (they are invisible, or unencodable, or unknown);
  whitespace, line separators included, is folded to single spaces: one field, one line.
  Other non-ASCII characters stay as UTF-8, which LaTeX reads.
- A ``$…$`` formula (``split_math``) is kept only when it is small, made of ASCII
  letters, digits and a few math punctuation characters, its braces balance, it holds no
  ``^^`` and every command is in ``MATH_COMMANDS``: symbols and layout only, nothing that
  defines, reads, writes, expands or changes catcodes.  Greek letters written as Unicode
  become their commands first (pdflatex has no glyph for them in math).  Anything else is
  shown as its source text, dollars included.
- The cite key is ASCII letters and digits; ``year``, ``eprint``, ``doi`` and ``url`` come
  from the arXiv id only when it has arXiv's form, ``primaryClass`` only when it is an
  arXiv category: a field that cannot be trusted is left out.
"""

from __future__ import annotations

import re
import unicodedata

from papers.cleaning import VERSIONLESS_ID_RE
from papers.render.display import PAGE_AUTHORS, shown_names
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
    "@": r"\symbol{64}",
}
LATEX_SPECIALS_TABLE = str.maketrans(LATEX_SPECIALS)
# Invisible or unencodable: control and format characters (bidi overrides, zero-width
# joiners), surrogates, private use, unassigned.  Zl and Zp are whitespace, folded anyway.
DROPPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
WHITESPACE_RE = re.compile(r"\s+")

MATH_COMMANDS = frozenset(
    # Greek letters
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
    # operators and relations
    "times cdot pm mp div ast star circ bullet oplus otimes leq geq le ge neq ne approx sim "
    "simeq equiv propto ll gg subset subseteq supset supseteq cup cap setminus in notin ni "
    "forall exists neg land lor sum prod int oint "
    # arrows and delimiters
    "to rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow mapsto "
    "longrightarrow uparrow downarrow left right langle rangle lfloor rfloor lceil rceil "
    "vert Vert mid "
    # functions, symbols, dots and spaces
    "log ln exp sin cos tan min max arg lim sup inf det dim ker Pr ell partial nabla infty "
    "prime hbar emptyset top bot perp parallel ldots cdots dots vdots quad qquad "
    # layout of an argument that is itself checked like the rest of the formula
    "frac sqrt mathbf mathrm mathcal mathbb mathit mathsf mathtt boldsymbol text textit "
    "textbf textrm hat bar tilde vec dot ddot overline underline widehat widetilde".split()
)
MATH_SYMBOLS = frozenset(",;!|")  # \, \; \! (spaces) and \| (a double bar)
MATH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-=()[]<>|,.;:'!/*_^{}\\")
MATH_COMMAND_RE = re.compile(r"\\([A-Za-z]+|.?)")
MAX_FORMULA = 200  # real titles' formulas are a few characters; bounds hostile ones
GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho varsigma sigma "
    "tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
GREEK = dict(zip("αβγδεζηθικλμνξπρςστυφχψωΓΔΘΛΞΠΣΥΦΨΩ", GREEK_NAMES.split(), strict=True))
GREEK_TABLE = str.maketrans({ch: f"\\{name} " for ch, name in GREEK.items()})  # space: \tau x, not \taux

AND_RE = re.compile(r"\band\b", re.IGNORECASE)
CATEGORY_RE = re.compile(r"[a-z][a-z-]{0,15}(?:\.[A-Za-z][A-Za-z-]{0,15})?")


def one_line(text: str) -> str:
    """Dropped categories removed, every whitespace run one space: one field, one line."""
    # Printable means no dropped category and no whitespace but spaces: nearly every field.
    if not text.isprintable():
        text = "".join(
            " " if ch.isspace() else ch
            for ch in text
            if ch.isspace() or unicodedata.category(ch) not in DROPPED_CATEGORIES
        )
    return WHITESPACE_RE.sub(" ", text) if "  " in text else text


def latex_escape(text: str) -> str:
    return one_line(text).translate(LATEX_SPECIALS_TABLE)


def _safe_formula(latex: str) -> bool:
    """Whether ``latex`` is small, allowlisted math: see the module docstring."""
    if len(latex) > MAX_FORMULA or "^^" in latex or not MATH_CHARS.issuperset(latex):
        return False
    depth = 0
    for ch in latex:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    if depth:
        return False
    return all(name in MATH_COMMANDS or name in MATH_SYMBOLS for name in MATH_COMMAND_RE.findall(latex))


def latex_text(text: str) -> str:
    """Untrusted text as a LaTeX field value, its safe formulas kept as formulas."""
    out = []
    for segment in split_math(one_line(text).strip()):
        if segment.kind != "text":
            formula = segment.text.translate(GREEK_TABLE).strip() if not segment.text.isascii() else segment.text
            if _safe_formula(formula):
                out.append(f"${formula}$")
                continue
        out.append((segment.text if segment.kind == "text" else segment.source).translate(LATEX_SPECIALS_TABLE))
    return "".join(out)


def author_field(name: str) -> str:
    """One author: braced when BibTeX would otherwise split it (an "and" or a comma)."""
    escaped = latex_escape(name).strip()
    if "," in escaped or AND_RE.search(escaped):  # the cleaned name: a dropped U+200B can join "a nd"
        return "{" + escaped + "}"
    return escaped


def authors_field(names: list[str]) -> str:
    """The author field: ``author_field`` for each name its page lists (``PAGE_AUTHORS``),
    joined by " and ", then "and others" when there are more.  "others" is BibTeX's own
    name for the rest (styles print "et al.", most of them after a few names anyway), as in
    INSPIRE-HEP's entries of collaboration papers.  The entry is shown on the page, which
    5,000 long names would make megabytes; the paper file and arXiv keep every name."""
    names, more = shown_names(names, PAGE_AUTHORS)
    others = ["others"] if more else []
    joined = " and ".join(names)
    # Fast path, taken for most papers, same result: no name has anything to drop or fold
    # (isprintable), to trim, a comma, or an "and" anywhere (the separators hold them all).
    if (
        joined.isprintable()
        and "," not in joined
        and "  " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and joined.lower().count("and") == len(names) - 1
    ):
        return " and ".join([joined.translate(LATEX_SPECIALS_TABLE), *others])
    return " and ".join([*filter(None, map(author_field, names)), *others])


def _ascii_word(text: str) -> str:
    """The first run of ASCII letters in ``text`` (accents folded: Müller is muller), lowercase."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    match = re.search(r"[A-Za-z]+", text)
    return match[0].lower() if match else ""


def cite_key(paper) -> str:
    """arXiv's style: first author's last name, year, first word of the title; ASCII letters
    and digits only, so that any tool takes it as a key."""
    arxiv_id = paper.arxiv_id if VERSIONLESS_ID_RE.fullmatch(paper.arxiv_id) else ""
    names = paper.authors[0].split() if paper.authors else []
    last_name = _ascii_word(names[-1]) if names else ""
    if last_name and arxiv_id:
        return f"{last_name}20{arxiv_id[:2]}{_ascii_word(re.sub(r'[$][^$]*[$]', ' ', paper.title))}"
    return "arxiv" + arxiv_id.replace(".", "")


def bibtex_entry(paper) -> str:
    arxiv_id = paper.arxiv_id if VERSIONLESS_ID_RE.fullmatch(paper.arxiv_id) else None
    categories = getattr(paper, "categories", None)
    primary = categories[0] if categories and isinstance(categories[0], str) and CATEGORY_RE.fullmatch(categories[0]) else None
    fields = [
        ("title", latex_text(paper.title)),
        ("author", authors_field(paper.authors)),
        ("year", arxiv_id and f"20{arxiv_id[:2]}"),
        ("eprint", arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", primary),
        ("doi", arxiv_id and f"10.48550/arXiv.{arxiv_id}"),
        ("url", arxiv_id and f"https://arxiv.org/abs/{arxiv_id}"),
    ]
    body = "".join(f"  {name:<13} = {{{value.strip()}}},\n" for name, value in fields if value and value.strip())
    return f"@misc{{{cite_key(paper)},\n{body}}}\n"
