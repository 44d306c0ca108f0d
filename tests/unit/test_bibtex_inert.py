"""Every field of every ``.bib`` file is inert TeX, whatever the fetched title, authors and
category hold (issue 13): plain text, or a formula made only of allowlisted characters and
plain math commands.  The checker keeps its own allowlists, so a module allowlist grown too
wide fails here."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from papers.model import Paper
from papers.paperfile import read_paper
from papers.render import bibtex
from papers.render.bibtex import author_field, bibtex_entry, cite_key, latex_text

PAPERS = Path(__file__).resolve().parents[2] / "content" / "papers"

# What text may hold after a backslash: the fixed escapes of LaTeX's specials and "@".
TEXT_ESCAPES = (
    r"\textbackslash{}", r"\textbraceleft{}", r"\textbraceright{}", r"\textasciitilde{}",
    r"\textasciicircum{}", r"\symbol{64}", r"\&", r"\%", r"\$", r"\#", r"\_",
)
# Plain math: symbols and layout.  Written here, not imported: nothing defines, reads, writes,
# expands or changes catcodes.
ALLOWED_MATH = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta "
    "Lambda Xi Pi Sigma Upsilon Phi Psi Omega times cdot pm mp div ast star circ bullet oplus "
    "otimes leq geq le ge neq ne approx sim simeq equiv propto ll gg subset subseteq supset "
    "supseteq cup cap setminus in notin ni forall exists neg land lor sum prod int oint to "
    "rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow mapsto longrightarrow "
    "uparrow downarrow left right langle rangle lfloor rfloor lceil rceil vert Vert mid log ln exp "
    "sin cos tan min max arg lim sup inf det dim ker Pr ell partial nabla infty prime hbar "
    "emptyset top bot perp parallel ldots cdots dots vdots quad qquad frac sqrt mathbf mathrm "
    "mathcal mathbb mathit mathsf mathtt boldsymbol text textit textbf textrm hat bar tilde vec "
    "dot ddot overline underline widehat widetilde , ; ! |".split()
)
NEVER_ALLOWED = frozenset(
    "def edef gdef xdef let futurelet newcommand renewcommand providecommand catcode lccode uccode "
    "mathcode csname endcsname input include openin openout read readline write write18 immediate "
    "special usepackage RequirePackage char string expandafter uppercase lowercase scantokens "
    "detokenize unexpanded noexpand begingroup endgroup href url verb makeatletter jobname "
    "pdfprimitive directlua shellescape everypar everymath".split()
)
MATH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-=()[]<>|,.;:'!/*_^{}")
BAD_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
FIELD_RE = re.compile(r"  ([A-Za-z]+) += \{(.*)\},")
MATH_COMMAND_RE = re.compile(r"\\([A-Za-z]+|[^A-Za-z])")


def check_value(value: str) -> list[str]:
    """Assert that one field value is inert; return the formulas it keeps."""
    assert "^^" not in value
    assert value == value.strip() and "  " not in value
    formulas: list[str] = []
    math: list[str] | None = None  # the formula being read, None in text
    depth = i = 0
    while i < len(value):
        ch = value[i]
        assert unicodedata.category(ch) not in BAD_CATEGORIES, (value, ch)
        assert not ch.isspace() or ch == " ", (value, ch)
        if ch == "\\" and math is None:
            escape = next((e for e in TEXT_ESCAPES if value.startswith(e, i)), None)
            assert escape, f"{value[i:i + 30]!r} is no text escape in {value!r}"
            i += len(escape)
            continue
        if ch == "\\":
            match = MATH_COMMAND_RE.match(value, i)
            assert match and match[1] in ALLOWED_MATH, f"{value[i:i + 30]!r} is no allowed math command in {value!r}"
            math.append(match[0])
            i = match.end()
            continue
        if ch == "$":
            if math is not None:
                assert math and depth == 0, value  # a formula is non-empty, its braces closed
                formulas.append("".join(math))
            math = [] if math is None else None
        elif math is not None:
            assert ch in MATH_CHARS, (value, ch)
            depth += (ch == "{") - (ch == "}")
            assert depth >= 0, value
            math.append(ch)
        else:  # text: every TeX or BibTeX special is escaped
            assert ch not in "{}%#~&@^_", (value, ch)
        i += 1
    assert math is None, f"odd number of dollars in {value!r}"
    return formulas


def author_names(value: str) -> list[str]:
    """The names BibTeX reads in an author field (split at " and " outside braces), each
    checked: plain text, or plain text in one pair of braces (a comma or "and" in it)."""
    names, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and value[i:i + 5].lower() == " and ":
            names.append(value[start:i])
            start = i + 5
    names.append(value[start:])
    for name in names:
        assert name and name == name.strip(), value
        if name.startswith("{") and name.endswith("}") and check_braces_enclose(name):
            name = name[1:-1]
        else:
            assert "," not in name and not re.search(r"(?i)(?<!\S)and(?!\S)", name), name
        assert check_value(name) == [], name  # names never keep formulas
    return names


def check_braces_enclose(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def is_inert(bib: str) -> dict[str, str]:
    """Assert that ``bib`` is one inert entry; return its fields."""
    lines = bib.split("\n")
    assert re.fullmatch(r"@misc\{[a-z0-9]+,", lines[0]), lines[0]
    assert lines[-2:] == ["}", ""], bib
    assert bib.count("@") == 1  # no second entry start, even for a tool that ignores braces
    fields = {}
    for line in lines[1:-2]:
        match = FIELD_RE.fullmatch(line)
        assert match, line
        if match[1] == "author":
            author_names(match[2])
        else:
            check_value(match[2])
        assert match[1] not in fields
        fields[match[1]] = match[2]
    for name in ("eprint", "year", "doi", "url", "primaryClass"):  # machine fields: ASCII, no TeX at all
        if name in fields:
            assert re.fullmatch(r"[A-Za-z0-9./:_-]+", fields[name]), fields[name]
    return fields


def paper(title: str = "A title", authors: list[str] | None = None, **more) -> Paper:
    return Paper(arxiv_id="2608.00001", title=title, authors=["Ann Author"] if authors is None else authors,
                 abstract="", featured=["2026-08-21"], sources=["hf"], **more)


def formulas_of(title: str) -> list[str]:
    return check_value(latex_text(title))


HOSTILE_TITLES = [
    r"Leaky $x^^5cinput^^7b/etc/hostname^^7d$",
    r"$^^5cinput^^7b/etc/passwd^^7d$ plain ^^5cinput^^7b/etc/passwd^^7d",
    r"$x^^^^005cinput$ and ^^^^005cwrite18",
    r"$a^^Mb$ and ^^M and ^^J",
    r"$\catcode`\^=7 x$ \catcode`\@=11",
    r"$\csname input\endcsname{/etc/passwd}$ \csname input\endcsname",
    r"$\def\x{\input{/etc/passwd}}\x$ \def\x{y}",
    r"$\input{/etc/passwd}$ \input{/etc/passwd} \include{x}",
    r"$\write18{rm -rf ~}$ \immediate\write18{rm -rf ~}",
    r"$\immediate\openin5=/etc/passwd \read5 to\x$ \openin \read",
    r"Closing }, note = {pwned} title",
    r"}}}}@misc{evil, title={x}",
    "@misc{evil,\n  title = {x}}",
    r"50% of the time % comment eats the brace",
    r"Macro #1 and ## and $#1$",
    r"Line \\ break $a \\ b$",
    r"$\alpha \input{x}$ and $\alpha \def$",
    r"$\char92 input$ \string\input \expandafter\uppercase\lowercase",
    r"$\scantokens{\input x}$ $\detokenize{x}$ \usepackage{shellesc} \special{x}",
    r"Odd $x$ dollars $y",
    r"$ $ $$ $$ $$$ $\$x$ $x\$",
    "Control \x00\x01\x07\x1b[31m\x7f\x85\x9f characters",
    "Line\u2028separator\u2029paragraph\r\nand\ttabs\x0bnow",
    "Bidi \u202ecod.exe\u202c \u2066isolate\u2069 \u200bzero\u200dwidth \ufeffbom",
    "Lone \ud800 surrogate \udfff and private \ue000 and unassigned \U000e0080",
    "$" + "x+" * 400 + "x$",
    "$" + "{" * 300 + "x" + "}" * 300 + "$",
    r"$\left\{ x \right\}$ and $\{x$ and $x\}$",
    r"Tilde ~ and active \~{} chars and $x~y$",
    r"Quote \" and {\"o} and $\"a$",
    r"$x^$ and $\frac$ and ${$ and $}$ and $}{$",
    r"$\text{\input x}$ $\mathrm{\string}$",
    r"$x$\input{y}$z$",
    "$\\alpha\u00a0\\beta$ and $x\u200b^^5c$",
    "Greek $τ\\input$ and $α^^5c$",
]
HOSTILE_AUTHORS = [
    "}, title = {x", "@misc{x,", "Ann and Bob", "King, Jr.", "\\input{/etc/passwd}", "a^^5cinput",
    "100% #1 ~ & $x$", "", " ", "\u202eBidi", "Lone \ud800", "Tab\tand\nnewline", "A a\u200bnd B", "AND", "and",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_give_inert_entries(title):
    fields = is_inert(bibtex_entry(paper(title, HOSTILE_AUTHORS)))
    for command in NEVER_ALLOWED:
        assert not re.search(r"\\" + re.escape(command) + r"(?![A-Za-z])", fields.get("title", "")), command


@pytest.mark.parametrize(
    "title",
    [
        r"Leaky $x^^5cinput^^7b/etc/hostname^^7d$", r"$\catcode`\^=7$", r"$\csname input\endcsname$",
        r"$\alpha \input{x}$", r"$x^^M$", r"$a^^^^005c$", r"$\write18{ls}$", r"$a \\ b$", r"${x$", r"$x}{$",
        "$" + "x" * 500 + "$", r"$\alpha\$", r"$\{x\}$", r"$\char`\\$",
    ],
)
def test_unsafe_formulas_become_text(title):
    assert formulas_of(title) == []
    assert r"\$" in latex_text(title)  # shown as its source, dollars and all


@pytest.mark.parametrize(
    "title,formula",
    [
        (r"$\alpha$-RLHF", r"\alpha"),
        (r"Sorting in $O(n\log n)$ time", r"O(n\log n)"),
        (r"$x^2$ is a square", "x^2"),
        (r"Tracking $\mathbf{x}_t$ online", r"\mathbf{x}_t"),
        (r"$\nabla^2$DFT", r"\nabla^2"),
        (r"LLM$\times$MapReduce", r"\times"),
        (r"$\text{Transformer}^2$: Self-adaptive LLMs", r"\text{Transformer}^2"),
        (r"$\textit{Trans-LoRA}$: towards", r"\textit{Trans-LoRA}"),
        (r"A $L_2$ Norm", "L_2"),
        (r"$\frac{1}{\sqrt{d}}$ scaling with $\left(\sum_{i=1}^{n} x_i\right)$", r"\frac{1}{\sqrt{d}}"),
        (r"$f$-Divergence", "f"),
        (r"$$E = mc^2$$ display", "E = mc^2"),
        ("$τ$-bench", r"\tau"),  # Unicode Greek becomes its command
        ("Top-$nσ$: logits", r"n\sigma"),
        ("$γ-$MoD", r"\gamma -"),
    ],
)
def test_safe_formulas_of_real_titles_stay_formulas(title, formula):
    assert formula in formulas_of(title)


def test_text_is_escaped_and_folded():
    assert latex_text("a\\b {c} & 50% #1 ~x^y_z @k $5") == (
        r"a\textbackslash{}b \textbraceleft{}c\textbraceright{} \& 50\% \#1 \textasciitilde{}x\textasciicircum{}y\_z \symbol{64}k \$5"
    )
    assert latex_text("  one\n\ttwo\u2028three\u00a0 four\x00\u202e\ud800  ") == "one two three four"
    assert latex_text("Ünïcode Łódź 東京 π") == "Ünïcode Łódź 東京 π"  # letters stay UTF-8


def test_authors_are_escaped_and_braced_only_when_bibtex_would_split_them():
    assert author_field("Ann and Bob") == "{Ann and Bob}" and author_field("King, Jr.") == "{King, Jr.}"
    assert author_field("A a\u200bnd B") == "{A and B}"  # the dropped character would have hidden an "and"
    assert author_field("Alexander Anderson") == "Alexander Anderson"
    fast = bibtex.authors_field(["José Müller", "B_C"])
    slow = bibtex.authors_field(["José Müller", "B_C", "x\x00"])
    assert fast == "José Müller and B\\_C" and slow == fast + " and x"
    assert bibtex.authors_field(["A", "", " ", "B"]) == "A and B"


ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates too: a str can hold them


NAME_PART = st.text(ANY_CHARACTER, max_size=4) | st.sampled_from([" ", ",", "and", "AND", "{", "\\", "@", "\u200b", "\t"])


@given(st.lists(st.lists(NAME_PART, max_size=5).map("".join), max_size=6))
def test_fast_author_path_agrees_with_the_per_name_rule(names):
    assert bibtex.authors_field(names) == " and ".join(a for a in map(author_field, names) if a)


def test_cite_key_is_ascii_letters_and_digits():
    assert cite_key(paper("Ünïcode $x$ Title", ["José Müller"])) == "muller2026unicode"
    assert cite_key(paper("标题", ["张三"])) == "arxiv260800001"
    assert cite_key(paper("x", [])) == "arxiv260800001"
    assert cite_key(dataclasses.replace(paper("x", ["A B"]), arxiv_id="../../x}")) == "arxiv"


def test_fields_from_an_invalid_id_or_category_are_left_out():
    fields = is_inert(bibtex_entry(dataclasses.replace(paper(categories=["cs.LG"]), arxiv_id="2608.00001}, x={")))
    assert "eprint" not in fields and "doi" not in fields and "url" not in fields and "year" not in fields
    assert fields["primaryClass"] == "cs.LG"
    for bad in ["cs.LG}", "cs LG", "../x", "cs.LG\n", "\\input", "x" * 100, ""]:
        assert "primaryClass" not in is_inert(bibtex_entry(paper(categories=[bad, "cs.LG"])))
    fields = is_inert(bibtex_entry(paper(categories=["astro-ph.CO"])))
    assert fields["primaryClass"] == "astro-ph.CO" and fields["eprint"] == "2608.00001"
    assert fields["doi"] == "10.48550/arXiv.2608.00001" and fields["url"] == "https://arxiv.org/abs/2608.00001"


def test_the_module_allowlist_is_no_wider_than_plain_math():
    commands = bibtex.MATH_COMMANDS | bibtex.MATH_SYMBOLS
    assert commands <= ALLOWED_MATH and not commands & NEVER_ALLOWED
    assert bibtex.MATH_CHARS - {"\\"} <= MATH_CHARS
    assert set(bibtex.GREEK.values()) <= commands


@given(st.text(ANY_CHARACTER, max_size=120), st.lists(st.text(ANY_CHARACTER, max_size=30), max_size=5), st.lists(st.text(max_size=12), max_size=2))
def test_any_unicode_gives_an_inert_entry(title, authors, categories):
    is_inert(bibtex_entry(paper(title, authors, categories=categories)))


@st.composite
def tex_soup(draw) -> str:
    tokens = st.sampled_from("\\{}$^_%#&~@ \"'`abcxyz019") | st.sampled_from(
        [r"\alpha", r"\input", r"\def", "^^5c", "^^M", "^^^^005c", r"\\", "$x$", r"\csname ", r"\catcode", r"\frac{", "\u2028", "\x00", "\ud800"]
    )
    return "".join(draw(st.lists(tokens, max_size=60)))


@given(tex_soup(), st.lists(tex_soup(), max_size=4))
def test_tex_specials_give_an_inert_entry(title, authors):
    is_inert(bibtex_entry(paper(title, authors)))


@st.composite
def safe_formula(draw) -> str:
    atoms = st.sampled_from(["x", "n", "2", "10", r"\alpha", r"\log n", r"\mathbf{x}", r"\frac{1}{2}", r"\sqrt{d}", r"\times", "(a+b)", "[0,1]", "f'"])
    body = " ".join(draw(st.lists(atoms, min_size=1, max_size=6)))
    return body + draw(st.sampled_from(["", "^2", "_t", "^{n}", "_{i=1}"]))


@given(safe_formula(), st.sampled_from(["", "RLHF", "Net:"]), st.text(alphabet="abcdefgh ", max_size=20))
def test_safe_formulas_stay_formulas(formula, suffix, words):
    title = f"{words} ${formula}$-{suffix}" if words.strip() else f"${formula}${suffix}"
    assert formula in formulas_of(title)
    is_inert(bibtex_entry(paper(title)))


def test_real_papers_keep_their_fields():
    files = sorted(PAPERS.rglob("*.md"))
    assert len(files) > 100
    for path in files:
        fields = is_inert(bibtex_entry(read_paper(path)))
        assert {"title", "author", "year", "eprint", "archivePrefix", "doi", "url"} <= fields.keys(), path


@pytest.mark.parametrize(
    "value",
    [
        r"Leaky $x^^5cinput^^7b/etc/hostname^^7d$", r"\input{/etc/passwd}", r"$\input{x}$", r"$\alpha \def$", r"x}", r"{x",
        r"$x", r"$x}{$", "50% off", "#1", "~", "a & b", "@misc{", r"a \\ b", r"$\{x$", "a\u202eb", "a\x00b", "a\tb",
        r"\textbackslash", r"$\mathbf{x}\char92$", "$\u00e9$",
    ],
)
def test_the_checker_rejects_live_tex(value):
    with pytest.raises(AssertionError):
        is_inert(f"@misc{{k,\n  title         = {{{value}}},\n}}\n")
