"""The fuzz test's check of a paper page's BibTeX entry: one entry, one field a line, and no TeX but the
fixed text escapes and allowlisted math commands (``papers.render.bibtex``)."""

from __future__ import annotations

import re
from papers.render import bibtex

from tests.site.fuzz.check_fetch import check_text_chars

TEXT_ESCAPES = tuple(bibtex.LATEX_SPECIALS.values())
MATH_ALLOWED = bibtex.MATH_COMMANDS | bibtex.MATH_SYMBOLS
NEVER_IN_BIB = (
    "^^",
    "\\csname",
    "\\input",
    "\\write",
    "\\catcode",
    "\\def",
    "\\immediate",
    "\\openout",
    "\\include",
    "\\href",
    "\\url",
    "\\let",
    "\\newcommand",
    "\\read",
    "\\special",
)
BIB_FIELD_RE = re.compile(r"^  ([A-Za-z]+) += \{(.*)\},$")
TEX_COMMAND_RE = re.compile(r"\\([A-Za-z]+|[^A-Za-z])")


def check_bib(text: str, where: str) -> list[str]:
    problems = []
    lines = text.split("\n")
    if not re.fullmatch(r"@misc\{[A-Za-z0-9]+,", lines[0]) or lines[-2:] != ["}", ""]:
        problems.append(f"{where}: not one @misc entry: {text[:200]!r}")
    for needle in NEVER_IN_BIB:
        if needle in text:
            problems.append(f"{where}: holds {needle!r}: {text[max(text.find(needle) - 60, 0) : text.find(needle) + 60]!r}")
    problems += check_text_chars(text, where)
    for line in lines[1:-2]:
        field = BIB_FIELD_RE.match(line)
        if not field:
            problems.append(f"{where}: not a field line: {line[:200]!r}")
            continue
        name, value = field[1], field[2]
        i, in_math, depth, group = 0, False, 0, False
        while i < len(value):
            ch = value[i]
            if ch == "\\":
                escape = next((e for e in TEXT_ESCAPES if value.startswith(e, i)), None)
                if escape and not in_math:
                    i += len(escape)
                    continue
                command = TEX_COMMAND_RE.match(value, i)
                if not in_math or not command or command[1] not in MATH_ALLOWED:
                    problems.append(f"{where}: {name} holds the command {value[i : i + 30]!r}")
                i = command.end() if command else i + 1
                continue
            if ch == "$":
                if name != "title":
                    problems.append(f"{where}: {name} holds a formula: {value[:200]!r}")
                in_math = not in_math
                depth = 0
            elif ch in "{}" and in_math:
                depth += 1 if ch == "{" else -1
                if depth < 0:
                    problems.append(f"{where}: {name} closes a brace it did not open: {value[:200]!r}")
            # Outside formulas, braces only group one whole author (a name with "and" or a comma).
            elif ch == "{" and name == "author" and not group and (i == 0 or value.endswith(" and ", 0, i)):
                group = True
            elif ch == "}" and name == "author" and group and (i == len(value) - 1 or value.startswith(" and ", i + 1)):
                group = False
            elif ch in "{}":
                problems.append(f"{where}: {name} has a brace outside a formula: {value[:200]!r}")
            i += 1
        if in_math or depth or group:
            problems.append(f"{where}: {name} leaves a formula or a brace open: {value[:200]!r}")
    return problems
