"""Related papers on a paper page: five links to other papers of the site, nearest first."""

from __future__ import annotations

from papers.render.mathtext import MATHML_ELEMENTS
from tests.helpers import build_site, soup_of


def related_links(site, arxiv_id):
    section = soup_of(site, f"papers/{arxiv_id}/index.html").find("section", class_="related")
    return [] if section is None else [a["href"] for a in section.find_all("a")]


def test_each_paper_page_links_its_related_papers(built_site):
    pages = sorted((built_site / "papers").glob("*/index.html"))
    assert len(pages) > 300
    listed = 0
    for page in pages:
        arxiv_id = page.parent.name
        links = related_links(built_site, arxiv_id)
        assert len(links) <= 5 and len(set(links)) == len(links)
        for href in links:
            other = href.rstrip("/").rsplit("/", 1)[-1]
            assert other != arxiv_id
            assert (built_site / "papers" / other / "index.html").exists(), href
        listed += bool(links)
    assert listed > 0.9 * len(pages)


def test_related_titles_are_shown_with_their_math(built_site):
    # 2406.14347 is ∇²DFT: wherever it is listed as related, its formula is MathML, not TeX.
    for page in (built_site / "papers").glob("*/index.html"):
        section = soup_of(built_site, page.relative_to(built_site).as_posix()).find("section", class_="related")
        for a in section.find_all("a") if section else []:
            if a["href"].rstrip("/").endswith("2406.14347"):
                assert a.find("math") is not None and "$" not in a.get_text()
                return


HOSTILE_TITLE = '<script>alert(1)</script> {filename}[x] $\\href{javascript:alert(1)}{x}$ Sparse graph pooling \u202e\u0000'


def test_a_hostile_title_among_the_related_papers_is_shown_as_text(content, tmp_path):
    """A related paper's title is shown as its text where another page lists it: no
    element, no javascript: link, no Pelican placeholder."""
    from papers.model import Paper
    from papers.paperfile import dump_paper
    from papers.store import ContentStore, atomic_write

    store = ContentStore(content)
    abstract = "Sparse graph pooling with hierarchical message passing on molecular graphs."
    for arxiv_id, title in (("2608.30021", HOSTILE_TITLE), ("2608.30022", "Hierarchical graph pooling"), ("2608.30023", "Speech synthesis")):
        paper = Paper(arxiv_id=arxiv_id, title=title, authors=["Ada Lovelace"], featured=["2026-08-21"], sources=["arxiv"],
                      abstract=abstract if arxiv_id != "2608.30023" else "Text to speech with vocoders.")
        atomic_write(store.paper_path(arxiv_id, "2026-08-21"), dump_paper(paper))
    out = build_site(content, tmp_path / "output")
    section = soup_of(out, "papers/2608.30022/index.html").find("section", class_="related")
    [link] = [a for a in section.find_all("a") if a["href"].endswith("/2608.30021/")]
    assert {tag.name for tag in link.find_all(True)} <= MATHML_ELEMENTS  # a formula at most, never an element
    assert not [value for tag in section.find_all(True) for value in tag.attrs.values() if "javascript:" in str(value)]
    text = link.get_text()
    # Braces group text-mode TeX (papers.render.textmode): "{filename}" reads "filename",
    # never Pelican's link placeholder.
    assert "<script>alert(1)</script> filename[x] x Sparse graph pooling" in text
    assert not section.find_all(href=lambda href: href is not None and "filename" in href)
