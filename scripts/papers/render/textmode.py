"""The text-mode LaTeX of titles and abstracts (outside formulas) as readable text.

Authors write ``\\textbf{…}``, ``\\emph{…}``, ``>97\\%``, ````scaling cliff''``, ``4--8``,
``\\'e`` and their own macros (``\\ours{}``) into arXiv's metadata.  ``text_runs`` reads
such text into runs of plain text, each with a style (bold, italic, small caps,
typewriter or none): known commands become their text or style, escaped characters
themselves, TeX quotes and dashes typographic ones, and an unknown command its argument
or, without one, its name (``\\ours{}`` reads "ours"), so no backslash command is left to
show.  Nothing here builds markup: ``runs_html`` escapes every run.
"""

from __future__ import annotations

import html
import re
import unicodedata

STYLE_COMMANDS = {
    "textbf": "b", "bf": "b", "bfseries": "b", "textit": "i", "emph": "i", "it": "i", "itshape": "i", "em": "i",
    "textsl": "i", "textsc": "sc", "sc": "sc", "texttt": "tt", "tt": "tt",
    "textrm": None, "textsf": None, "textup": None, "textnormal": None, "mbox": None, "text": None, "mathrm": None,
}
# Commands whose argument is not text a reader wants: a citation key, a label.
DROPPED_COMMANDS = frozenset("cite citep citet citealp ref eqref autoref cref Cref label footnote footnotemark vspace hspace".split())
WORD_COMMANDS = {
    "LaTeX": "LaTeX", "TeX": "TeX", "ldots": "…", "dots": "…", "textellipsis": "…", "textendash": "–", "textemdash": "—",
    "times": "×", "pm": "±", "approx": "≈", "sim": "~", "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥", "rightarrow": "→",
    "to": "→", "textasciitilde": "~", "textbackslash": "\\", "S": "§", "copyright": "©", "textregistered": "®", "textdegree": "°",
    "degree": "°", "infty": "∞", "newline": " ", "par": " ", "quad": " ", "qquad": " ",
}
ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b"}
ESCAPED = set("%&#_{}$")
SPECIAL_RE = re.compile(r"[\\{}]")
COMMAND_RE = re.compile(r"\\([A-Za-z]+)\*?|\\(.)", re.S)
TYPOGRAPHY = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"))
# TeX's unbreakable space ("Fig.~3", "et al.~[4]"), not the tilde of a URL ("/~user").
TIE_RE = re.compile(r"(?<=[\w.,;:)\]])~(?=[\w(\[])")


def _argument(text: str, i: int) -> tuple[str | None, int]:
    """The braced group starting at ``text[i]`` (after spaces), and the index after it."""
    j = i
    while j < len(text) and text[j] == " ":
        j += 1
    if j >= len(text) or text[j] != "{":
        return None, i
    depth, k = 0, j
    while k < len(text):
        if text[k] == "\\":
            k += 2
            continue
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return text[j + 1 : k], k + 1
        k += 1
    return None, i  # unbalanced: read the brace as text


def _typography(text: str) -> str:
    for tex, char in TYPOGRAPHY:
        text = text.replace(tex, char)
    return TIE_RE.sub("\u00a0", text) if "~" in text else text


def text_runs(text: str, style: str | None = None) -> list[tuple[str | None, str]]:
    """``text`` as (style, text) runs (see the module docstring)."""
    if "\\" not in text and "{" not in text and "}" not in text:  # most text: quotes and dashes at most
        return [(style, _typography(text))] if text else []
    runs: list[tuple[str | None, str]] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            runs.append((style, _typography("".join(plain))))
            plain.clear()

    i = 0
    while i < len(text):
        special = SPECIAL_RE.search(text, i)
        if special is None:  # plain text to the end: copied at once, not a character at a time
            plain.append(text[i:])
            break
        if special.start() > i:
            plain.append(text[i : special.start()])
            i = special.start()
        ch = text[i]
        if ch == "{":  # a group: its text, in the style a declaration inside it sets
            group, end = _argument(text, i)
            if group is not None:
                flush()
                declared = re.match(r"\\(bf|it|em|sc|tt|bfseries|itshape)\b\s*", group)
                inner = STYLE_COMMANDS[declared[1]] if declared else style
                runs += text_runs(group[declared.end():] if declared else group, inner or style)
                i = end
                continue
        if ch == "}":  # a brace that closes nothing: not shown
            i += 1
            continue
        match = COMMAND_RE.match(text, i)
        if match is None:  # a backslash at the very end
            i += 1
            continue
        name, symbol = match[1], match[2]
        i = match.end()
        if symbol is not None:
            if symbol in ACCENTS and i < len(text):
                letter, end = _argument(text, i)
                if letter is None:
                    letter, end = text[i], i + 1
                plain.append(unicodedata.normalize("NFC", letter + ACCENTS[symbol]) if len(letter) == 1 else letter)
                i = end
            elif symbol in ESCAPED:
                plain.append(symbol)
            elif symbol == "\\":
                plain.append(" ")
            elif symbol in " ,;:!":
                plain.append(" " if symbol in " ;:" else "")
            continue
        argument, end = _argument(text, i)
        if name in ACCENTS and argument is not None and len(argument) == 1:  # \c{c}, \v{s}
            plain.append(unicodedata.normalize("NFC", argument + ACCENTS[name]))
            i = end
        elif name in DROPPED_COMMANDS:
            i = end if argument is not None else i
        elif name in STYLE_COMMANDS and argument is not None:
            flush()
            runs += text_runs(argument, STYLE_COMMANDS[name] or style)
            i = end
        elif name in WORD_COMMANDS:
            plain.append(WORD_COMMANDS[name])
            if argument == "":
                i = end  # \LaTeX{}
        elif name == "href" and argument is not None:
            shown, after = _argument(text, end)
            flush()
            runs += text_runs(shown if shown is not None else argument, style)
            i = after if shown is not None else end
        elif argument:  # an unknown command: its argument
            flush()
            runs += text_runs(argument, style)
            i = end
        else:  # an unknown command without one (\ours{}, \method): its name
            plain.append(name)
            i = end if argument is not None else i
    flush()
    return [run for run in runs if run[1]]


def runs_text(runs) -> str:
    return "".join(text for _, text in runs)


TAGS = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>"), "sc": ('<span class="sc">', "</span>"), "tt": ("<code>", "</code>")}


def runs_html(runs) -> str:
    """The runs as escaped HTML, each styled run in its element."""
    out = []
    for style, text in runs:
        opening, closing = TAGS.get(style, ("", ""))
        out.append(f"{opening}{html.escape(text, quote=False)}{closing}")
    return "".join(out)
