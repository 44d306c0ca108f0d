"""The reader-facing reason a paper page gives for each of its paper themes
(``papers.themes.explain``): grouped by phrase, in plain words, short, and escaped."""

from __future__ import annotations

import re

import jinja2
import pytest
from bs4 import BeautifulSoup
from papers.themes.explain import MAX_PHRASES, PlainReason, plain_reasons

from tests.helpers import ROOT, build_site, replay, soup_of


def test_phrases_are_grouped_by_the_parts_they_were_found_in():
    reasons = ('title: "agent"', 'abstract: "agent"', 'abstract: "tool use"', "category: cs.MA")
    assert plain_reasons(reasons) == [
        PlainReason("agent", "in the title and abstract"),
        PlainReason("tool use", "in the abstract"),
        PlainReason("", "arXiv category cs.MA"),
    ]


def test_phrases_keep_the_order_first_seen_and_parts_the_order_title_keywords_abstract():
    reasons = ('keywords: "b"', 'abstract: "a"', 'abstract: "b"', 'keywords: "a"', 'title: "a"')
    assert plain_reasons(reasons) == [
        PlainReason("b", "in the keywords and abstract"),
        PlainReason("a", "in the title, keywords and abstract"),
    ]


@pytest.mark.parametrize(("phrases", "more"), [(MAX_PHRASES, None), (MAX_PHRASES + 1, "and 1 more phrase"), (7, "and 4 more phrases")])
def test_at_most_three_phrases_then_how_many_more(phrases, more):
    reasons = [f'abstract: "phrase {n}"' for n in range(phrases)] + ["category: cs.CL"]
    shown = plain_reasons(reasons)
    assert [r.phrase for r in shown if r.phrase] == [f"phrase {n}" for n in range(MAX_PHRASES)]
    assert shown[MAX_PHRASES] == PlainReason("", "arXiv category cs.CL")
    assert [r.where for r in shown[MAX_PHRASES + 1 :]] == ([more] if more else [])


def test_categories_are_named_once_each_after_the_phrases():
    assert plain_reasons(["category: cs.RO", 'title: "robot"', "category: cs.AI", "category: cs.RO"]) == [
        PlainReason("robot", "in the title"),
        PlainReason("", "arXiv categories cs.RO and cs.AI"),
    ]


def test_the_catch_all_and_unknown_reasons_are_shown_as_they_are():
    assert plain_reasons(["matches no theme"]) == [PlainReason("", "matches no theme")]
    odd = ['summary: "agent"', 'title: "unclosed', "category: ", "title:agent"]
    assert plain_reasons(odd) == [PlainReason("", odd[0]), PlainReason("", odd[1]), PlainReason("", odd[2]), PlainReason("", "and 1 more phrase")]
    assert plain_reasons([]) == []


def test_a_phrase_is_everything_between_the_first_colon_quote_and_the_last_quote():
    assert plain_reasons(['title: "say "hi": now"']) == [PlainReason('say "hi": now', "in the title")]


# The paper page's markup for one theme (theme/templates/article.html), read from the template
# itself so that this test checks what the site renders.
ARTICLE = (ROOT / "theme" / "templates" / "article.html").read_text(encoding="utf-8")
REASON_LINE = re.search(r"\{% set reasons = .*?</li>", ARTICLE, re.S).group(0)


def render_reasons(reasons) -> BeautifulSoup:
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["plain_reasons"] = plain_reasons
    template = env.from_string("{% for m in matches %}" + REASON_LINE + "{% endfor %}")
    theme = {"slug": "agents", "name": "Agents <b>&</b> tools"}
    html = template.render(SITEURL="", matches=[{"theme": theme, "reasons": reasons}])
    return BeautifulSoup(html, "html.parser")


def test_the_page_shows_phrases_emphasised_after_the_theme_link():
    li = render_reasons(('title: "agent"', 'abstract: "agent"', 'abstract: "tool use"', "category: cs.MA")).li
    assert li.contents[0].name == "a" and li.a["href"] == "/themes/agents/" and li.a.get_text() == "Agents <b>&</b> tools"
    assert [em.get_text() for em in li.select(".meta em")] == ["agent", "tool use"]
    assert li.get_text() == "Agents <b>&</b> tools: agent in the title and abstract; tool use in the abstract; arXiv category cs.MA"


@pytest.mark.parametrize(
    "reasons",
    [('title: "<script>alert(1)</script>"',), ('keywords: "a "quoted" & <i>odd</i> one"',), ('<img src=x onerror=alert(1)> "x"',)],
)
def test_every_piece_of_a_reason_is_escaped(reasons):
    soup = render_reasons(reasons)
    assert not soup.select("script, img, i, b")
    shown = soup.select_one(".meta")
    parsed = plain_reasons(reasons)[0]
    assert shown.get_text() == f"{parsed.phrase} {parsed.where}".strip()
    assert [em.get_text() for em in shown.select("em")] == ([parsed.phrase] if parsed.phrase else [])


def test_a_built_paper_page_gives_its_reasons_in_plain_words(content, tmp_path):
    """Every paper page of a recorded day: no reason left in the matcher's own format."""
    assert replay(content, "2026-08-21") == 0
    site = build_site(content, tmp_path / "output")
    pages = sorted((site / "papers").glob("*/index.html"))
    assert pages
    for page in pages:
        for li in soup_of(site, page.relative_to(site).as_posix()).select("main dl.facts ul.reasons > li"):
            assert li.contents[0].name == "a" and li.a["href"].startswith("/themes/")
            text = li.get_text()
            assert not re.search(r'(title|keywords|abstract): "|category: ', text), (page, text)
            assert li.select(".meta em") or "arXiv categor" in text or text.endswith(": matches no theme"), (page, text)
    envharness = soup_of(site, "papers/2608.19880/index.html").select_one("main dl.facts ul.reasons > li")
    assert envharness.get_text().startswith("Agents and tool use: agent in the title")
