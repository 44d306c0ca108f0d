"""The reader's pages, built from every recorded day: days, papers, themes, archives, links.

Uses the session's ``built_site`` (pelicanconf.py, SITEURL empty) read-only.
"""

from __future__ import annotations

import gzip
import json
import re

import html5lib
import pytest

from tests.helpers import build_site, check_paper_theme_pages, page_bibtex, script, soup_of

broken_links = script("check_site").broken_links

KNOWN = "2608.19880"  # EnvHarness, featured 2026-08-21, 17 authors, published 2026-08-20




def featured_days(content) -> dict[str, set[str]]:
    """Every featured day and the ids featured on it, read from the content files."""
    from papers.paperfile import parse_paper

    days: dict[str, set[str]] = {}
    for path in content.rglob("*.md"):
        paper = parse_paper(path.read_text(encoding="utf-8"))
        for day in paper.featured:
            days.setdefault(day, set()).add(paper.arxiv_id)
    return days


def test_every_paper_has_its_page_with_its_bibtex(replayed_content, built_site):
    for path in replayed_content.rglob("*.md"):
        bib = page_bibtex(built_site / "papers" / path.stem / "index.html")
        assert bib.startswith("@misc{") and f"eprint        = {{{path.stem}}}" in bib, path.stem
    assert not list(built_site.rglob("*.bib"))  # the page holds it (issue 14: no file per paper)


def test_no_broken_internal_link_and_every_page_parses(built_site):
    assert broken_links(built_site) == []


def test_the_checker_finds_broken_links_and_bad_html(built_site, tmp_path):
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    (tmp_path / "theme.css").write_text("", encoding="utf-8")
    page.write_text(
        '<!doctype html><html lang="en"><head><title>t</title><link rel="stylesheet" href="/site/theme.css"></head><body>'
        '<a href="/missing/">x</a> <a href="../a/?q=1#top">self</a> <a href="https://example.org/site/nope.html">abs</a>'
        '<a href="https://elsewhere.org/">ext</a> <img src="pic.png" alt=""> <a href="#nowhere">f</a> <a href="../../../etc/passwd">out</a>'
        "</div></body></html>",
        encoding="utf-8",
    )
    problems = broken_links(tmp_path, "https://example.org/site/")
    assert any("'/missing/'" in p for p in problems)
    assert any("nope.html" in p for p in problems)
    assert any("pic.png" in p for p in problems)
    assert any("#nowhere" in p for p in problems)
    assert any("leaves the site" in p for p in problems)
    assert any("does not parse as HTML5" in p for p in problems)
    assert not any("elsewhere" in p or "theme.css" in p or "../a/" in p for p in problems)


def test_day_pages_rank_papers_by_upvotes_like_hugging_face(replayed_content, built_site):
    days = featured_days(replayed_content)
    for day, ids in days.items():
        soup = soup_of(built_site, f"{day.replace('-', '/')}/index.html")
        listed = [a["href"].split("/")[-2] for a in soup.select("main .paper-title a")]
        assert sorted(listed) == sorted(ids), day  # every paper of the day, once
        upvotes = [int(s.get_text().strip("▲ \xa0")) for s in soup.select("main ol.ranked .upvotes")]
        assert len(upvotes) == len(ids) and upvotes == sorted(upvotes, reverse=True), day  # the top paper first
        # The filter names every theme of the day's papers once, with its count.
        counts = {a["data-theme"]: int(a.select_one(".count").get_text()) for a in soup.select("nav.theme-filter a[data-theme]")}
        chips = [a["href"].split("/")[-2] for a in soup.select("main ol.ranked ul.chips a")]
        assert counts == {slug: chips.count(slug) for slug in set(chips)}, day
        for link in soup.select("nav.theme-filter a[data-theme]"):
            assert link["href"] == f"/themes/{link['data-theme']}/"  # without JavaScript: the theme's page
        for card in soup.select("main li.paper"):
            assert card["data-themes"].split() == [a["href"].split("/")[-2] for a in card.select("ul.chips a")]
    soup = soup_of(built_site, "2026/08/21/index.html")
    first = soup.select_one("main ol.ranked > li")
    assert first.select_one(".paper-title a")["href"] == f"/papers/{KNOWN}/"  # ▲163, the day's top paper
    assert "Chengsong Huang" in first.select_one(".authors").get_text() and "and 12 more" in first.select_one(".authors").get_text()
    assert first.select_one(".org").get_text() == " · Google" and first.select_one(".authors").get_text().endswith("and 12 more")
    assert first.select_one(".summary").get_text().startswith("EnvHarness and EnvRigger dynamically reshape")
    assert first.select_one('a[href="https://github.com/google-research/envharness"]').get_text() == "Code\xa0★\xa08"
    assert first.select_one(f'a[href="https://huggingface.co/papers/{KNOWN}"]').get_text() == "Hugging Face"
    assert first.select_one(".comments").get_text() == "1\xa0comment"
    thumb = first.select_one("img.thumb")
    assert thumb["src"].startswith("https://cdn-thumbnails.huggingface.co/") and thumb["loading"] == "lazy" and thumb["alt"] == ""


def test_stars_show_only_when_there_are_some_and_remote_images_can_be_off(replayed_content, built_site, tmp_path):
    soup = soup_of(built_site, "2026/08/21/index.html")
    codes = [a.get_text() for a in soup.select("main li.paper a[rel~=nofollow]") if a.get_text().startswith("Code")]
    assert "Code" in codes and not any(c.endswith("★\xa00") for c in codes)
    site = build_site(replayed_content, tmp_path / "output", REMOTE_IMAGES=False)
    for page in ("index.html", "2026/08/21/index.html", "themes/agents/index.html", "weeks/index.html"):
        assert not soup_of(site, page).select("img"), page


def test_papers_only_arxiv_announced_are_a_compact_list_by_theme(content, tmp_path):
    """A day of arXiv's listing (no upvotes): its papers by theme, compactly, cut at
    DAY_ANNOUNCED_PER_THEME a theme, the rest on the theme's page."""
    from tests.helpers import FIXTURES, replay

    for feed in sorted((FIXTURES / "arxiv_rss").glob("2026-04-27_*.xml")):
        assert replay(content, "2026-04-27", input_path=feed, source="arxiv") == 0
    site = build_site(content, tmp_path / "output", DAY_ANNOUNCED_PER_THEME=3)
    soup = soup_of(site, "2026/04/27/index.html")
    announced = soup.select("main section.announced ul.compact > li")
    assert soup.select("main ol.ranked") == [] and len(announced) > 5
    assert soup.select_one("main section.announced h2").get_text() == "Announced on arXiv"
    assert all(li["data-themes"] for li in announced)
    for group in soup.select("main section.announced section.theme-group"):
        count = int(group.select_one("h3 .count").get_text())
        shown = len(group.select("ul.compact > li"))
        assert shown == min(count, 3)
        more = group.select_one("p.more a")
        assert (more is not None) == (count > 3) and (more is None or more.get_text().startswith(f"{count - 3} more in "))


def test_days_link_to_their_neighbours_and_archives_list_every_day(replayed_content, built_site):
    days = sorted(featured_days(replayed_content))
    for previous, day, following in zip([None] + days[:-1], days, days[1:] + [None]):
        soup = soup_of(built_site, f"{day.replace('-', '/')}/index.html")
        prev_link, next_link = soup.select_one('.day-nav a[rel="prev"]'), soup.select_one('.day-nav a[rel="next"]')
        assert (prev_link["href"] if prev_link else None) == (f"/{previous.replace('-', '/')}/" if previous else None)
        assert (next_link["href"] if next_link else None) == (f"/{following.replace('-', '/')}/" if following else None)
    archive = soup_of(built_site, "archives/index.html")
    listed = [t["datetime"] for t in archive.select("main table.calendar a time")]
    assert sorted(listed) == days
    assert [h.get_text() for h in archive.select("main caption h2")][:2] == ["August 2026", "July 2026"]
    august = archive.select_one("main table.calendar")
    assert "2026-08-15" not in listed  # a Saturday: shown without a link, not broken
    assert [s.get_text() for s in august.select(".no-digest")][:3] == ["1", "2", "3"]
    assert "15" in [s.get_text() for s in august.select(".no-digest")]


def test_home_is_the_latest_day_and_says_when_it_was_updated(replayed_content, built_site):
    latest = max(featured_days(replayed_content))
    home = soup_of(built_site, "index.html")
    day = soup_of(built_site, f"{latest.replace('-', '/')}/index.html")
    assert [a["href"] for a in home.select("main .paper-title a")] == [a["href"] for a in day.select("main .paper-title a")]
    assert home.select_one(".updated time")["datetime"] == latest
    assert soup_of(built_site, "about/index.html").select_one(".updated time")["datetime"] == latest
    assert day.select_one(".updated") is None
    assert home.select_one('header nav a[aria-current="page"]').get_text() == "Today"
    assert day.select_one('header nav a[aria-current="page"]').get_text() == "Archives"


def test_every_page_has_the_header_search_form_and_landmarks(built_site):
    for path in ["index.html", f"papers/{KNOWN}/index.html", "themes/index.html", "archives/index.html", "about/index.html", "subscribe/index.html", "404.html"]:
        soup = soup_of(built_site, path)
        assert [a.get_text() for a in soup.select("header.site-header nav a")] == ["Today", "This week", "Themes", "Archives", "Subscribe"], path
        assert soup.select_one('footer a[href="/subscribe/"]') and soup.select_one('footer a[href="/about/"]'), path
        form = soup.select_one('form[role="search"]')
        assert form["action"] == "/search/" and form["method"] == "get"
        field = form.select_one('input[type="search"][name="q"]')
        assert soup.select_one(f'label[for="{field["id"]}"]')
        assert soup.select_one("main#main") and soup.select_one("footer") and len(soup.find_all("h1")) == 1
        assert soup.select_one('link[rel="alternate"][type="application/atom+xml"][href="/feeds/all.atom.xml"]')
        # Every asset is the site's own (no stylesheet, script or image from elsewhere) but
        # Hugging Face's thumbnails (REMOTE_IMAGES), from its image CDN alone.
        for tag in soup.select("link[rel=stylesheet], script[src], img[src]:not(.thumb)"):
            assert (tag.get("href") or tag.get("src")).startswith("/"), tag
        assert all(img["src"].startswith("https://cdn-thumbnails.huggingface.co/") for img in soup.select("img.thumb"))


def test_paper_page_shows_everything_about_the_paper(built_site):
    soup = soup_of(built_site, f"papers/{KNOWN}/index.html")
    main = soup.select_one("main")
    assert main.h1.get_text() == "EnvHarness: Awakening Static Worlds for Agent Learning"
    authors = main.select_one(".authors").get_text().split(", ")
    assert len(authors) == 17 and authors[0] == "Chengsong Huang" and authors[-1] == "Chen-Yu Lee"
    assert main.select_one(".abstract p").get_text().startswith("LLM agents learn by interacting with environments")
    links = {a.get_text(): a["href"] for a in main.select("ul.links a")}
    assert links == {
        "arXiv abstract": f"https://arxiv.org/abs/{KNOWN}",
        "PDF": f"https://arxiv.org/pdf/{KNOWN}",
        "Hugging Face": f"https://huggingface.co/papers/{KNOWN}",
        "GitHub google-research/envharness ★ 8": "https://github.com/google-research/envharness",
        "Project page": "https://envharness.com/",
    }
    facts = {dt.get_text(): dt.find_next_sibling("dd") for dt in main.select("dl.facts dt")}
    assert facts["Featured"].a["href"] == "/2026/08/21/"
    assert "LLM agents" in facts["Keywords"].get_text()
    themes = facts["Paper themes"].select("li")
    # Why, in plain words: the phrase emphasised and where it was found.
    reason = themes[0].select_one(".meta")
    assert themes and themes[0].a["href"].startswith("/themes/") and reason.em and " in the " in reason.get_text()
    assert 'title: "' not in reason.get_text()
    bibtex = main.select_one("pre#bibtex").get_text()
    assert bibtex.startswith("@misc{") and bibtex.endswith("}\n")
    assert f"doi           = {{10.48550/arXiv.{KNOWN}}}" in bibtex and "Chengsong Huang and Zifeng Wang and" in bibtex
    assert bibtex.count(" and ") == 16
    # Shown by theme/js/copy.js, which saves the entry above as a file; the page works without it.
    assert main.select_one("button[data-copy=bibtex][hidden]")
    assert main.select_one("button[data-save=bibtex][hidden]")["data-filename"] == f"{KNOWN}.bib"
    assert soup.select_one('script[src="/theme/js/copy.js"]')


def test_paper_page_metadata_for_zotero_scholar_and_social_cards(built_site):
    soup = soup_of(built_site, f"papers/{KNOWN}/index.html")

    def meta(name, attr="name"):
        return [m["content"] for m in soup.find_all("meta", attrs={attr: name})]

    assert meta("citation_title") == ["EnvHarness: Awakening Static Worlds for Agent Learning"]
    assert len(meta("citation_author")) == 17 and meta("citation_author")[1] == "Zifeng Wang"
    assert meta("citation_publication_date") == ["2026/08/20"]
    assert meta("citation_arxiv_id") == [KNOWN]
    assert meta("citation_pdf_url") == [f"https://arxiv.org/pdf/{KNOWN}"]
    assert meta("citation_abstract")[0].startswith("LLM agents learn by interacting")
    assert meta("og:title", "property") == ["EnvHarness: Awakening Static Worlds for Agent Learning"]
    assert meta("og:url", "property") == [f"/papers/{KNOWN}/"]
    assert soup.select_one('link[rel="canonical"]')["href"] == f"/papers/{KNOWN}/"
    [script] = soup.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@type"] == "ScholarlyArticle" and data["headline"] == meta("citation_title")[0]
    assert [a["name"] for a in data["author"]] == meta("citation_author")
    # The abstract is the page's text and citation_abstract's, not repeated here (issue 14).
    assert data["datePublished"] == "2026-08-20" and "abstract" not in data
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": f"10.48550/arXiv.{KNOWN}"} in data["identifier"]






def test_paper_theme_pages_list_their_papers_newest_first(built_site):
    check_paper_theme_pages(built_site, per_page=50)


def test_sitemap_robots_and_404(replayed_content, built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert {f"/papers/{p.stem}/" for p in replayed_content.rglob("*.md")} <= set(locs)
    assert "/2026/08/21/" in locs and "/themes/" in locs and "/subscribe/" in locs and len(locs) == len(set(locs))
    assert not any(loc.endswith("email.html") for loc in locs)  # the day's page is the one to find
    assert "Sitemap: /sitemap.xml" in (built_site / "robots.txt").read_text(encoding="utf-8")
    assert soup_of(built_site, "404.html").h1.get_text() == "Page not found"


@pytest.mark.parametrize("path", [f"papers/{KNOWN}/index.html", "2026/08/21/index.html"])
def test_page_weight_budget(built_site, path):
    """A page with its stylesheet stays under 30 KB gzipped."""
    html = (built_site / path).read_bytes()
    css = (built_site / "theme/css/site.css").read_bytes()
    assert len(gzip.compress(html)) + len(gzip.compress(css)) < 30_000


def test_latex_titles_render_as_mathml(built_site):
    pages = [p for p in (built_site / "papers").glob("*/index.html") if "<math" in p.read_text(encoding="utf-8")]
    assert pages
    for page in pages:
        html5lib.HTMLParser(strict=True).parse(page.read_text(encoding="utf-8"))


def test_an_arxiv_only_paper_shows_its_arxiv_fields(content, tmp_path):
    """A paper from arXiv alone: no Hugging Face link or upvotes; categories, DOI, journal
    reference and comment shown; the primary category in the BibTeX entry."""
    from papers.model import Paper
    from papers.paperfile import dump_paper
    from papers.store import ContentStore, atomic_write

    paper = Paper(
        arxiv_id="2608.30001",
        title="Sparse $k$-Means at Scale",
        authors=["Ada Lovelace", "Alan Turing"],
        abstract="We study $k$-means. It scales.\n\nA second paragraph.",
        featured=["2026-08-21"],
        sources=["arxiv"],
        categories=["cs.LG", "stat.ML"],
        doi="10.1000/xyz-1",
        journal_ref="J. Sparse Stud. 1 (2026)",
        arxiv_comment="12 pages, 3 figures",
    )
    atomic_write(ContentStore(content).paper_path(paper.arxiv_id, "2026-08-21"), dump_paper(paper))
    out = build_site(content, tmp_path / "output")
    assert broken_links(out) == []
    soup = soup_of(out, "papers/2608.30001/index.html")
    main = soup.select_one("main")
    assert main.h1.math is not None
    assert [a.get_text() for a in main.select("ul.links a")] == ["arXiv abstract", "PDF"]
    assert main.select_one(".upvotes") is None
    facts = {dt.get_text(): dt.find_next_sibling("dd") for dt in main.select("dl.facts dt")}
    assert facts["arXiv categories"].get_text() == "cs.LG, stat.ML"
    assert facts["DOI"].a["href"] == "https://doi.org/10.1000/xyz-1"
    assert facts["Journal reference"].get_text() == "J. Sparse Stud. 1 (2026)"
    assert facts["Comment"].get_text() == "12 pages, 3 figures"
    assert "primaryClass  = {cs.LG}," in main.select_one("#bibtex").get_text()
    assert [p.get_text() for p in main.select(".abstract p")][1] == "A second paragraph."
    # On its day, a paper only arXiv announced is in the compact list: title and authors.
    day = soup_of(out, "2026/08/21/index.html").select_one('a[href="/papers/2608.30001/"]').find_parent("li")
    assert day.find_parent("section", class_="announced") and day.select_one(".upvotes") is None
    assert day.select_one(".authors").get_text() == "Ada Lovelace, Alan Turing"


def test_the_search_page_has_one_box_and_a_real_example_id(built_site):
    soup = soup_of(built_site, "search/index.html")
    assert len(soup.select('form[role="search"]')) == 1 and soup.select_one("header form") is None
    # The example of an arXiv id is the site's newest paper (the all-papers feed's first).
    newest = re.search(r"<entry>.*?<link href=\"/papers/([^/]+)/\"", (built_site / "feeds/all.atom.xml").read_text(encoding="utf-8"), re.S)[1]
    assert soup.select_one("#search")["data-example-id"] == newest
    assert "2608.12313" not in (built_site / "theme/js/search.js").read_text(encoding="utf-8")


def test_the_build_says_what_it_wrote_not_pelicans_article_count(content, tmp_path, capsys):
    from tests.helpers import build_site, replay

    assert replay(content, "2026-08-21") == 0
    build_site(content, tmp_path / "output")
    out = capsys.readouterr().out
    assert "Processed 0 articles" not in out
    assert re.search(r"Pages: [\d,]+ written, 0 unchanged since the last build\. Done in [\d.]+ seconds\.", out)


def test_a_paper_page_lists_its_hugging_face_models_datasets_and_spaces(content, tmp_path, built_site):
    """The repos Hugging Face links to a paper: each kind with its count and first ids, "all
    N" when there are more; a kind with none is left out, a paper without any has no section."""
    from papers.model import Paper
    from papers.paperfile import dump_paper
    from papers.store import ContentStore, atomic_write

    models = ["meta-llama/Llama-3.1-8B", "org/model_v1.5", "a/b", "c/d", "e/f"]
    abstracts = ["Language models reason over grids in context.", "Interactive demos show language models at work.", "Datasets of grids for evaluating demos."]
    with_links = Paper(
        arxiv_id="2608.30002", title="Linked", authors=["Ada Lovelace"], featured=["2026-08-21"], sources=["hf"],
        abstract=abstracts[0], hf_models=models, hf_num_models=12, hf_datasets=["WhySoCodius/in-context-grid-reasoning"], hf_num_datasets=1,
        hf_spaces=[], hf_num_spaces=0,
    )
    counted = Paper("2608.30003", "Counted", ["Ada Lovelace"], abstracts[1], ["2026-08-21"], ["hf"], hf_spaces=["s/one"], hf_num_spaces=None)
    without = Paper("2608.30004", "Without", ["Ada Lovelace"], abstracts[2], ["2026-08-21"], ["hf"], hf_num_models=0)
    store = ContentStore(content)
    for paper in (with_links, counted, without):
        atomic_write(store.paper_path(paper.arxiv_id, "2026-08-21"), dump_paper(paper))
    out = build_site(content, tmp_path / "output")
    assert broken_links(out) == []

    section = soup_of(out, "papers/2608.30002/index.html").select_one('main section[aria-labelledby="hf-h"]')
    assert section.select_one("h2#hf-h").get_text() == "On Hugging Face"
    kinds = {dt.get_text(): dt.find_next_sibling("dd") for dt in section.select("dt")}
    assert list(kinds) == ["Models (12)", "Datasets (1)"]  # no Spaces: none linked
    assert [(a.get_text(), a["href"]) for a in kinds["Models (12)"].select("li a")] == [(m, f"https://huggingface.co/{m}") for m in models]
    [everything] = [a for a in kinds["Models (12)"].find_all("a", recursive=False)]
    assert (everything.get_text(), everything["href"]) == ("all 12", "https://huggingface.co/papers/2608.30002")
    [dataset] = kinds["Datasets (1)"].select("a")  # all shown: no "all" link
    assert dataset["href"] == "https://huggingface.co/datasets/WhySoCodius/in-context-grid-reasoning"
    # Without a count, the ids listed are the count; a Space's link has its own path.
    section = soup_of(out, "papers/2608.30003/index.html").select_one('main section[aria-labelledby="hf-h"]')
    assert [dt.get_text() for dt in section.select("dt")] == ["Spaces (1)"]
    assert [a["href"] for a in section.select("dd a")] == ["https://huggingface.co/spaces/s/one"]
    # Nothing linked (a count of 0), or never asked (every recorded day): no section.
    assert soup_of(out, "papers/2608.30004/index.html").select_one("#hf-h") is None
    assert soup_of(built_site, f"papers/{KNOWN}/index.html").select_one("#hf-h, section.hf-repos") is None


def code_items(soup) -> list[tuple[str, str, str]]:
    """(link text, URL, source note) of each code link in a paper page's list of links."""
    items = [li for li in soup.select("main ul.links li") if li.select_one("span.meta")]
    for li in items:
        assert li.a["rel"] == ["nofollow", "noopener"]
    return [(li.a.get_text(), li.a["href"], li.select_one("span.meta").get_text()) for li in items]


def test_code_links_from_the_comment_and_abstract_each_once_with_their_source(content, tmp_path):
    """An arXiv-only paper gets the code links its comment and abstract name; a Hugging Face
    paper whose abstract repeats its repository (another case, a deep link) lists it once, with
    Hugging Face's stars.  Cards link the first, saying where a link not from Hugging Face came from."""
    from papers.model import Paper
    from papers.paperfile import dump_paper
    from papers.store import ContentStore, atomic_write

    arxiv_only = Paper(
        arxiv_id="2608.30011", title="Tiny coders for sparse kernels", authors=["Ada Lovelace"], featured=["2026-08-21"], sources=["arxiv"],
        categories=["cs.LG"], arxiv_comment="Accepted at ACL 2026. Code: \\url{https://github.com/Acme-Lab/Tiny\\_Coder}",
        abstract="Tiny coders write sparse kernels. The benchmark is at https://huggingface.co/datasets/acme-lab/tiny-bench.",
    )
    on_hf = Paper(
        arxiv_id="2608.30012", title="Big models for sparse kernels", authors=["Alan Turing"], featured=["2026-08-21"], sources=["hf", "arxiv"],
        upvotes=7, github_repo="https://github.com/Acme-Lab/Big-Model", github_stars=42,
        abstract="Big models write sparse kernels too. Code: https://github.com/acme-lab/big-model/tree/main.",
    )
    store = ContentStore(content)
    for paper in (arxiv_only, on_hf):
        atomic_write(store.paper_path(paper.arxiv_id, "2026-08-21"), dump_paper(paper))
    out = build_site(content, tmp_path / "output")
    assert broken_links(out) == []

    page = soup_of(out, "papers/2608.30011/index.html")
    assert code_items(page) == [
        ("GitHub Acme-Lab/Tiny_Coder", "https://github.com/Acme-Lab/Tiny_Coder", "from the arXiv comment"),
        ("Hugging Face dataset acme-lab/tiny-bench", "https://huggingface.co/datasets/acme-lab/tiny-bench", "from the abstract"),
    ]
    assert code_items(soup_of(out, "papers/2608.30012/index.html")) == [
        ("GitHub Acme-Lab/Big-Model ★ 42", "https://github.com/Acme-Lab/Big-Model", "via Hugging Face"),
    ]
    # The day's card of the Hugging Face paper: its link and its stars, nothing more.
    day = soup_of(out, "2026/08/21/index.html")
    card = day.select_one('main ol.ranked a[href="/papers/2608.30012/"]').find_parent("li", class_="paper")
    [code] = card.select('a[href^="https://github.com/"]')
    assert (code["href"], code.get_text(), code.get("title")) == ("https://github.com/Acme-Lab/Big-Model", "Code\xa0★\xa042", None)
    # The arXiv-only paper's card (on its theme's page): its first link, from the comment, no stars.
    theme = page.select_one("main dl.facts ul.reasons a")["href"]
    card = soup_of(out, f"{theme.strip('/')}/index.html").select_one('main a[href="/papers/2608.30011/"]').find_parent("li", class_="paper")
    [code] = card.select('a[href^="https://github.com/"], a[href^="https://huggingface.co/datasets/"]')
    assert (code["href"], code.get_text()) == ("https://github.com/Acme-Lab/Tiny_Coder", "Code (from arXiv comment)")
    assert code["title"] == "Found in the paper's arXiv comment" and code["rel"] == ["nofollow", "noopener"]
    # And its line in the day's compact list of papers only arXiv announced links it too.
    line = day.select_one('main section.announced a[href="/papers/2608.30011/"]').find_parent("li")
    [code] = line.select("a.code")
    assert (code["href"], code.get_text(), code["title"]) == ("https://github.com/Acme-Lab/Tiny_Coder", "Code", "Code, found in the paper's arXiv comment")
