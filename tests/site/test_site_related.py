"""Related papers on a paper page: five links to other papers of the site, nearest first."""

from __future__ import annotations

from tests.helpers import soup_of


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
