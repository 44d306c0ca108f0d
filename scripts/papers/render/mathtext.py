"""Text with ``$…$`` math, as safe HTML: escaped text and MathML built at build time.

Titles and abstracts keep the LaTeX their authors wrote.  ``split_math`` finds the formulas,
``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]``, with Pandoc's rule for dollars (an
opening ``$`` has a non-space character on its right, a closing one a non-space on its left
and no digit after it), so ``$60 GPUs`` and ``\\$100`` stay dollars.  The text between
formulas is text-mode LaTeX (``papers.render.textmode``: ``\\textbf``, ``\\%``, TeX
quotes…), shown as the text and styles it stands for.  ``math_html`` converts each formula with latex2mathml and rebuilds its
MathML from an allowlist of elements and attributes, escaping every text node: the data
cannot add markup (latex2mathml itself passes ``\\text{<script>}`` and ``\\href{…}``
straight through).  A formula that does not convert is shown as the text it is.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element
from markupsafe import Markup

from papers.render.textmode import runs_html, runs_text, text_runs

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
# Longer formulas are shown as text: bounds the converter's time and recursion on hostile input.
MAX_FORMULA = 2_000

MATHML_ELEMENTS = frozenset(
    "math mrow mi mn mo ms mtext mspace msup msub msubsup mfrac msqrt mroot mover munder "
    "munderover mtable mtr mtd mstyle menclose mpadded mphantom merror mmultiscripts "
    "mprescripts none semantics annotation".split()
)
# Layout attributes only: no links (latex2mathml turns \href into href=), no colours or styles.
MATHML_ATTRIBUTES = frozenset(
    "display mathvariant stretchy fence separator lspace rspace accent accentunder "
    "movablelimits largeop symmetric minsize maxsize columnalign columnlines columnspacing "
    "rowalign rowlines rowspacing frame framespacing displaystyle scriptlevel linethickness "
    "width height depth voffset notation linebreak".split()
)
# latex2mathml writes characters as numeric references inside its text nodes.
CHAR_REF_RE = re.compile(r"&#x([0-9A-Fa-f]{1,6});")


class Segment(NamedTuple):
    kind: str  # "text", "inline" or "display"
    text: str  # the text (a literal "\$" already turned into "$"), or the formula's LaTeX
    source: str  # exactly what the input held, dollars included


def _closing_inline(text: str, start: int) -> int:
    """Index of the ``$`` closing an inline formula that opens at ``start - 1``, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "$":
            after = text[i + 1 : i + 2]
            if text[i - 1].isspace() or after.isdigit() or i == start:
                return -1
            return i
        i += 1
    return -1


def _closing_display(text: str, start: int) -> int:
    i = start
    while i < len(text) - 1:
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith("$$", i):
            return i if i > start and text[start:i].strip() else -1
        i += 1
    return -1


def split_math(text: str) -> list[Segment]:
    """``text`` cut into plain-text runs and formulas (see the module docstring)."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:  # nearly every title and abstract
        return [Segment("text", text, text)] if text else []
    segments: list[Segment] = []
    plain: list[str] = []
    plain_source: list[str] = []

    def flush() -> None:
        if plain:
            segments.append(Segment("text", "".join(plain), "".join(plain_source)))
            plain.clear()
            plain_source.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("\\$", i):
            plain.append("$")
            plain_source.append("\\$")
            i += 2
            continue
        if text.startswith(("\\(", "\\["), i):  # LaTeX's own delimiters
            closing = "\\)" if text[i + 1] == "(" else "\\]"
            end = text.find(closing, i + 2)
            if end > i + 2:
                flush()
                kind = "inline" if closing == "\\)" else "display"
                segments.append(Segment(kind, text[i + 2 : end].strip(), text[i : end + 2]))
                i = end + 2
                continue
        if text.startswith("$$", i):
            end = _closing_display(text, i + 2)
            if end >= 0:
                flush()
                segments.append(Segment("display", text[i + 2 : end].strip(), text[i : end + 2]))
                i = end + 2
                continue
        elif ch == "$" and i + 1 < len(text) and not text[i + 1].isspace():
            end = _closing_inline(text, i + 1)
            if end >= 0:
                flush()
                segments.append(Segment("inline", text[i + 1 : end], text[i : end + 1]))
                i = end + 1
                continue
        plain.append(ch)
        plain_source.append(ch)
        i += 1
    flush()
    return segments


def _char_ref(match: re.Match) -> str:
    code = int(match[1], 16)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return chr(code)
    return ""


def _node_text(value: str | None) -> str:
    return html.escape(CHAR_REF_RE.sub(_char_ref, value or ""))


def _serialise(element: Element, out: list[str]) -> None:
    """Append ``element`` as MathML; ValueError when it holds anything off the allowlist."""
    if element.tag not in MATHML_ELEMENTS:
        raise ValueError(f"element {element.tag!r} is not allowed")
    attributes = "".join(
        f' {name}="{html.escape(value, quote=True)}"'
        for name, value in sorted(element.attrib.items())
        if name in MATHML_ATTRIBUTES
    )
    if element.tag == "math":
        attributes = f' xmlns="{MATHML_NS}"' + attributes
    out.append(f"<{element.tag}{attributes}>{_node_text(element.text)}")
    for child in element:
        _serialise(child, out)
        out.append(_node_text(child.tail))
    out.append(f"</{element.tag}>")


def _formula_tree(latex: str, display: bool = False) -> Element | None:
    if not latex.strip() or len(latex) > MAX_FORMULA:
        return None
    try:
        return convert_to_element(latex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of errors (and RecursionError) on bad input
        return None


def formula_mathml(latex: str, *, display: bool = False) -> str | None:
    """One formula as MathML, or None when it does not convert."""
    tree = _formula_tree(latex, display)
    if tree is None:
        return None
    out: list[str] = []
    try:
        _serialise(tree, out)
    except (ValueError, RecursionError):
        return None
    return "".join(out)


SUPERSCRIPTS = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
SUBSCRIPTS = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")


def _script(base: str, script: str, table: dict, mark: str) -> str:
    """``base`` with ``script`` raised or lowered: in Unicode's super/subscript characters
    when it has them all ("x²"), else after ``mark`` ("x_RT", "n^(1.5)")."""
    if script and all(ord(ch) in table for ch in script):
        return base + script.translate(table)
    return f"{base}{mark}{script if script.isalnum() else '(' + script + ')'}"


def _tree_text(element: Element, depth: int = 0) -> str:
    """A formula's MathML read as plain text: symbols as latex2mathml spelt them,
    scripts as Unicode super/subscripts where they exist, fractions with a slash."""
    if depth > 50:
        raise RecursionError("formula nested too deep")
    children = [_tree_text(child, depth + 1) for child in element]
    tag = element.tag
    if tag in ("msup", "msub") and len(children) == 2:
        return _script(children[0], children[1], SUPERSCRIPTS if tag == "msup" else SUBSCRIPTS, "^" if tag == "msup" else "_")
    if tag == "msubsup" and len(children) == 3:
        return _script(_script(children[0], children[1], SUBSCRIPTS, "_"), children[2], SUPERSCRIPTS, "^")
    if tag == "mfrac" and len(children) == 2:
        a, b = (c if len(c) == 1 else f"({c})" for c in children)
        return f"{a}/{b}"
    if tag == "msqrt":
        inner = "".join(children)
        return "√" + (inner if len(inner) == 1 else f"({inner})")
    text = CHAR_REF_RE.sub(_char_ref, element.text or "")
    for child, child_text in zip(element, children):
        text += child_text + CHAR_REF_RE.sub(_char_ref, child.tail or "")
    return text


def formula_text(latex: str) -> str:
    """One formula as plain text (``10^{19}`` is "10¹⁹", ``\\alpha`` "α"): for titles in
    feeds, metadata and emails, which cannot hold MathML.  A formula that does not convert
    is read as text-mode LaTeX, so no command is left to show."""
    tree = _formula_tree(latex)
    if tree is not None:
        try:
            return " ".join(_tree_text(tree).split())
        except RecursionError:
            pass
    return runs_text(text_runs(latex))


def math_html(text: str) -> Markup:
    """``text`` as HTML: escaped, with each formula as MathML or, failing that, as text."""
    parts = []
    for segment in split_math(text):
        mathml = None if segment.kind == "text" else formula_mathml(segment.text, display=segment.kind == "display")
        if mathml is not None:
            parts.append(mathml)
        elif segment.kind == "text":
            parts.append(runs_html(text_runs(segment.text)))
        else:
            parts.append(html.escape(formula_text(segment.text)))
    return Markup("".join(parts))


def plain_text(text: str) -> str:
    """``text`` as plain text: text-mode LaTeX read as its text, formulas as text."""
    return "".join(runs_text(text_runs(s.text)) if s.kind == "text" else formula_text(s.text) for s in split_math(text))
