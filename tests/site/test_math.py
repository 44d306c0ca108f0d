"""Math in titles and abstracts: MathML at build time, dollars stay dollars, no markup from
data; and the BibTeX entry stays valid and inert whatever the title holds."""

from __future__ import annotations

import re

import html5lib
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from papers.model import Paper
from papers.render.bibtex import author_field, bibtex_entry, latex_text
from papers.render.mathtext import MATHML_ATTRIBUTES, MATHML_ELEMENTS, math_html, plain_text, split_math

HOSTILE_FORMULAS = [
    r"\text{<script>alert(1)</script>}",
    r"\href{javascript:alert(1)}{x}",
    r"\mathrm{a&b}<c>",
    r"\operatorname{<img src=x onerror=alert(1)>}",
    r'\textbf{\"><svg onload=alert(1)>}',
    r"\color{red}{x}\style{color:red}{y}",
    r"\text{&#x3C;script&#x3E;}",
    r"\text{</math><script>alert(1)</script>}",
]


def fragment(html: str):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parseFragment(html)


def local(tag: str) -> str:
    """An element's name without the namespace html5lib gives MathML elements."""
    return tag.rsplit("}", 1)[-1]


def attributes(element) -> set[str]:
    return {local(name) for name in element.attrib}


def kinds(text):
    return [(s.kind, s.text) for s in split_math(text)]


def test_dollars_that_are_not_math_stay_dollars():
    assert kinds("Serving LLaMA-70B on $60 GPUs") == [("text", "Serving LLaMA-70B on $60 GPUs")]
    assert kinds("between $20,000 and $30,000") == [("text", "between $20,000 and $30,000")]
    assert kinds(r"costs \$100 or \$5") == [("text", "costs $100 or $5")]
    assert kinds("pay $5 for $x$") == [("text", "pay $5 for "), ("inline", "x")]
    assert kinds("$x$ and $$\\sum_i x_i$$.") == [("inline", "x"), ("text", " and "), ("display", "\\sum_i x_i"), ("text", ".")]
    assert kinds("a $ b $ c") == [("text", "a $ b $ c")]
    assert kinds(r"$a\$b$") == [("inline", r"a\$b")]


def test_formulas_render_as_mathml_and_bad_ones_as_text():
    html = math_html(r"$\nabla^2$DFT and $$\frac{a}{b}$$")
    tree = fragment(html)
    maths = [e for e in tree.iter() if local(e.tag) == "math"]
    assert [m.get("display") for m in maths] == ["inline", "block"]
    assert "msup" in {local(e.tag) for e in maths[0].iter()} and "mfrac" in {local(e.tag) for e in maths[1].iter()}
    # A formula that does not convert is read as text: no command is left to show.
    assert math_html(r"$\frac{1}{$ and $x_$") == "1 and x_"
    assert math_html("<b>$60</b> & co") == "&lt;b&gt;$60&lt;/b&gt; &amp; co"


def test_hostile_formulas_cannot_add_markup():
    for formula in HOSTILE_FORMULAS:
        html = str(math_html(f"before ${formula}$ after"))
        tree = fragment(html)
        for element in tree.iter():
            if element is tree:
                continue
            assert local(element.tag) in MATHML_ELEMENTS, (formula, element.tag)
            assert attributes(element) <= MATHML_ATTRIBUTES | {"xmlns"}, (formula, element.attrib)
        assert "href" not in html
        assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "&lt;script&gt;" in math_html(r"$\text{<script>alert(1)</script>}$")


@given(st.text(alphabet="$\\{}^_<>&\"' abx1</script>=", max_size=60))
def test_any_text_gives_only_text_and_allowlisted_mathml(text):
    tree = fragment(str(math_html(text)))
    for element in tree.iter():
        if element is not tree:
            assert local(element.tag) in MATHML_ELEMENTS and attributes(element) <= MATHML_ATTRIBUTES | {"xmlns"}


def test_built_titles_with_math_and_with_dollars(built_site):
    def h1(arxiv_id):
        page = (built_site / "papers" / arxiv_id / "index.html").read_text(encoding="utf-8")
        return BeautifulSoup(page, "html.parser").select_one("main h1")

    nabla = h1("2406.14347")
    assert nabla.math is not None and nabla.math.msup is not None and nabla.get_text().endswith("DFT: A Universal Quantum Chemistry Dataset of Drug-Like Molecules and a Benchmark for Neural Network Potentials")
    assert h1("2501.06252").math.mtext.get_text() == "Transformer"
    gpus = h1("2608.14614")
    assert gpus.math is None and gpus.get_text() == "DumpsterCluster: From Dumpster Diving to Serving LLaMA-70B on $60 GPUs"


def braces_balance(text: str) -> bool:
    """Strip innermost {…} pairs until none is left: balanced when no brace remains."""
    while True:
        stripped = re.sub(r"\{[^{}]*\}", "", text)
        if stripped == text:
            return "{" not in text and "}" not in text
        text = stripped


def test_bibtex_keeps_safe_math_and_escapes_everything_else():
    assert latex_text(r"$\mathcal{D}$-Net: 100% & more_x") == r"$\mathcal{D}$-Net: 100\% \& more\_x"
    assert latex_text(r"$\input{/etc/passwd}$ {") == r"\$\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}\$ \textbraceleft{}"
    assert latex_text(r"$\href{javascript:x}{y}$") .startswith(r"\$\textbackslash{}href")
    assert author_field("Ann and Bob") == "{Ann and Bob}" and author_field("King, Jr.") == "{King, Jr.}"
    paper = Paper(arxiv_id="2608.19880", title="Ünïcode $x$ Title", authors=["José Müller", "B C"], abstract="", featured=["2026-08-21"], sources=["hf"])
    entry = bibtex_entry(paper)
    assert entry.startswith("@misc{muller2026unicode,\n")
    assert "author        = {José Müller and B C}," in entry and "doi           = {10.48550/arXiv.2608.19880}," in entry


@given(st.text(max_size=80), st.lists(st.text(max_size=20), min_size=1, max_size=4))
def test_bibtex_braces_always_balance(title, authors):
    paper = Paper(arxiv_id="2608.00001", title=title, authors=authors, abstract="", featured=["2026-08-21"], sources=["hf"])
    entry = bibtex_entry(paper)
    assert braces_balance(entry)
    for line in entry.splitlines()[1:-1]:
        assert braces_balance(line)  # no field can run into the next one


def test_latex_delimiters_and_text_mode_commands():
    assert kinds(r"the \(TPP\) and \[x^2\] forms") == [("text", "the "), ("inline", "TPP"), ("text", " and "), ("display", "x^2"), ("text", " forms")]
    cases = {
        r"\ours{} reaches >97\% on the ``scaling cliff'' with 4--8 GPUs": "ours reaches >97% on the “scaling cliff” with 4–8 GPUs",
        r"\textbf{Bold}, \emph{it} and \textsc{AIEV-Instruct}": "Bold, it and AIEV-Instruct",
        r"Schr\"odinger, \'{e}t\'e, \c{c}a and Fig.~3": "Schrödinger, été, ça and Fig.\u00a03",
        r"$\alpha$-CLIP at $10^{19}$ FLOPs, AnyTalk$_{RT}$, $\frac{1}{2}$": "α-CLIP at 10¹⁹ FLOPs, AnyTalk_RT, 1/2",
        r"see https://x.org/~me, a {\bf bold} {BERT} model\cite{devlin}": "see https://x.org/~me, a bold BERT model",
    }
    for latex, text in cases.items():
        assert plain_text(latex) == text, latex
    html = str(math_html(r"\textbf{B} \emph{I} \textsc{S} \texttt{T} <b>x</b>"))
    assert html == '<b>B</b> <i>I</i> <span class="sc">S</span> <code>T</code> &lt;b&gt;x&lt;/b&gt;'
    assert str(math_html(r"\textbf{<script>alert(1)</script>}")) == "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>"


COMMAND_RE = re.compile(r"\\[A-Za-z]+|\\[%&#_{}$]")


def visible_text(html: str) -> str:
    """The text of an HTML fragment outside its MathML."""
    out = []

    def walk(element):
        if isinstance(element.tag, str) and local(element.tag) == "math":
            return
        out.append(element.text or "")
        for child in element:
            walk(child)
            out.append(child.tail or "")

    walk(fragment(html))
    return "".join(out)


def test_no_command_stays_visible_in_real_arxiv_titles_and_abstracts():
    """250 real titles and abstracts with TeX, from the arXiv listings archive
    (tests/fixtures/latex_abstracts.json): shown as text, no backslash command is left."""
    import json

    from papers.render.display import abstract_html, abstract_text
    from tests.helpers import FIXTURES

    papers = json.loads((FIXTURES / "latex_abstracts.json").read_text(encoding="utf-8"))
    assert len(papers) == 250 and sum("\\" in p["abstract"] for p in papers) > 150
    for paper in papers:
        for shown in (plain_text(paper["title"]), abstract_text(paper["abstract"]), visible_text(str(math_html(paper["title"]))),
                      visible_text(str(abstract_html(paper["abstract"])))):
            assert not COMMAND_RE.search(shown), (paper["id"], COMMAND_RE.search(shown)[0])


# The titles of the bundled content's math day (tests/fixtures/README.md), after their formula.
BUNDLED_MATH_DAY = "2024-06-21"
BUNDLED_MATH_TITLES = {
    "2406.14347": ("msup", "DFT: A Universal Quantum Chemistry Dataset of Drug-Like Molecules and a Benchmark for Neural Network Potentials"),
    "2406.12045": ("mi", "-bench: A Benchmark for Tool-Agent-User Interaction in Real-World Domains"),
}


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory):
    """The site `make site` builds: the bundled content/ itself (read-only use)."""
    from tests.helpers import ROOT, build_site

    return build_site(ROOT / "content", tmp_path_factory.mktemp("bundled") / "output")


def test_the_bundled_content_shows_its_math_day_as_mathml(bundled_site):
    """A fresh checkout's site has titles with `$…$` math (the MathML /about/ promises): on
    their day's page and their own, each formula is MathML and no `$` or backslash is left
    in the title's visible text."""
    from tests.helpers import BUNDLED_DAYS

    assert BUNDLED_MATH_DAY in BUNDLED_DAYS
    year, month, day = BUNDLED_MATH_DAY.split("-")
    day_page = (bundled_site / year / month / day / "index.html").read_text(encoding="utf-8")
    for arxiv_id, (element, after) in BUNDLED_MATH_TITLES.items():
        paper_page = (bundled_site / "papers" / arxiv_id / "index.html").read_text(encoding="utf-8")
        titles = [
            BeautifulSoup(paper_page, "html.parser").select_one("main h1"),
            BeautifulSoup(day_page, "html.parser").select_one(f'main .paper-title:has(> a[href="/papers/{arxiv_id}/"])'),
        ]
        for title in titles:
            assert title is not None, arxiv_id
            maths = [e for e in fragment(str(title)).iter() if local(e.tag) == "math"]
            assert len(maths) == 1 and element in {local(e.tag) for e in maths[0].iter()}, (arxiv_id, str(title))
            shown = visible_text(str(title))
            assert shown == after and "$" not in shown and "\\" not in shown, (arxiv_id, shown)
