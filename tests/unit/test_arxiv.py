"""arXiv parsing: RSS items, both generations of the API's Atom output, safe XML, sources.yml."""

from __future__ import annotations

import dataclasses

import pytest
from papers.errors import ConfigError, SourceError
from papers.model import Paper
from papers.sources import arxiv, arxiv_feeds
from papers.sources.config import load_sources_config

from tests.helpers import FIXTURES

API = FIXTURES / "arxiv_api"
RSS = FIXTURES / "arxiv_rss"
LEGACY = sorted(API.glob("*_legacy.xml"))
CURRENT = sorted(set(API.glob("*.xml")) - set(LEGACY))


def parse(path, day="2026-08-03") -> arxiv.Feed:
    return arxiv.parse_response(path.read_text(encoding="utf-8"), day)


def papers(path, day="2026-08-03") -> dict[str, Paper]:
    return {e.paper.arxiv_id: e.paper for e in parse(path, day).entries}


# --- The API, both generations ----------------------------------------------------------


def test_legacy_api_entry_parses_with_wraps_joined_and_links_read():
    paper = papers(API / "2020-09-04_id_list-1601.00001_legacy.xml")["1601.00001"]
    assert paper.title == "Inelastic effects in molecular transport junctions: The probe technique at high bias"
    assert paper.authors == ["Michael Kilgour", "Dvira Segal"]
    assert paper.abstract.startswith('We extend the Landauer-B\\"uttiker probe formalism for conductances to the high bias regime, and')
    assert paper.abstract.endswith("on molecular electronic transport far-from-equilibrium.")
    assert "\n" not in paper.abstract and "  " not in paper.abstract
    assert (paper.published, paper.categories) == ("2015-12-26", ["cond-mat.mes-hall"])
    assert (paper.doi, paper.journal_ref) == ("10.1063/1.4944470", "J. Chem. Phys. 144, 124107 (2016)")
    assert paper.featured == ["2026-08-03"] and paper.sources == ["arxiv"]


def test_legacy_comment_wrapped_over_two_lines_is_one_line():
    paper = papers(API / "2025-10-17_cat-cs.RO-AND-neural_max2_legacy.xml")["2510.14968"]
    assert paper.arxiv_comment == "39th Conference on Neural Information Processing Systems (NeurIPS 2025); Project Website: rdd-neurips.github.io"
    assert paper.title == "RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks"
    assert paper.categories == ["cs.RO", "cs.AI", "cs.CV", "cs.LG", "cs.SY", "eess.SY"]


def test_current_api_entry_with_everything_in_its_own_order():
    paper = papers(API / "2026-04-30_cat-cs.LG-OR-cs.AI_max20.xml")["2604.26888"]
    assert paper.title == "Multiple Additive Neural Networks for Structured and Unstructured Data"
    assert paper.authors == ["Janis Mohr", "Jörg Frochte"]
    assert paper.doi == "10.1007/978-3-031-85252-7_10"
    assert paper.journal_ref.startswith("In: Bäck, T. et al. (eds.), Computational Intelligence")
    assert paper.arxiv_comment == "Accepted author manuscript; page layout differs from the published Springer version"
    assert (paper.published, paper.categories) == ("2026-04-29", ["cs.LG"])


def test_primary_category_comes_first_even_when_listed_later():
    paper = papers(API / "2026-08-02_cat-cs.AI-OR-cs.LG-OR-cs.CL_max25.xml")["2607.28628"]
    assert paper.categories == ["hep-th", "cs.AI", "cs.LG", "hep-ph"]
    first = papers(API / "2026-04-30_cat-cs.LG-OR-cs.AI_max20.xml")["2604.26951"]
    assert first.categories[0] == "cs.CL"  # primary, though listed after nothing else
    assert first.arxiv_comment == "15 pages, 3 figures. Code: https://github.com/PKU-YuanGroup/TIDE"


@pytest.mark.parametrize("path", LEGACY + CURRENT, ids=lambda p: p.name)
def test_every_recorded_entry_parses_to_clean_versionless_records(path):
    feed = parse(path)
    assert feed.kind == "api" and not feed.rejected
    assert len(feed.entries) == path.read_text(encoding="utf-8").count("<entry>")
    for entry in feed.entries:
        paper = entry.paper
        assert "v" not in paper.arxiv_id
        assert paper.title and "\n" not in paper.title and paper.authors and paper.abstract
        # Hard wraps are joined; real paragraph breaks (current generation: "\n  ") are kept.
        assert all(p and "\n" not in p and "  " not in p for p in paper.abstract.split("\n\n"))
        assert paper.categories and paper.published
        assert set(paper.provenance) == {*paper.to_dict(), "abstract"} - {"arxiv_id", "featured", "sources", "provenance", "fetched"}


def test_both_generations_fill_the_same_fields():
    fields = [{name for path in group for p in papers(path).values() for name in p.to_dict()} for group in (LEGACY, CURRENT)]
    assert fields[0] == fields[1]
    assert {"categories", "doi", "journal_ref", "arxiv_comment", "published"} <= fields[0]


# The legacy 1601.00001 entry as the current API would write it: namespaces on the root,
# the current element order, https links, one-line text, a doi.org link (README §3).
CURRENT_LAYOUT_OF_1601_00001 = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/x</id>
  <title>arXiv Query: search_query=&amp;id_list=1601.00001&amp;start=0&amp;max_results=10</title>
  <updated>2026-04-30T17:33:16Z</updated>
  <link href="https://arxiv.org/api/query?id_list=1601.00001" type="application/atom+xml"/>
  <opensearch:itemsPerPage>10</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>http://arxiv.org/abs/1601.00001v1</id>
    <title>Inelastic effects in molecular transport junctions: The probe technique at high bias</title>
    <updated>2015-12-26T21:19:45Z</updated>
    <link href="https://arxiv.org/abs/1601.00001v1" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/1601.00001v1" rel="related" type="application/pdf" title="pdf"/>
    <summary>We extend the Landauer-B\\"uttiker probe formalism for conductances to the high bias regime, and study the effects of environmentally-induced elastic and inelastic scattering on charge current in single molecule junctions, focusing on high-bias effects. The probe technique phenomenologically incorporates incoherent elastic and inelastic effects to the fully coherent case, mimicking a rich physical environment at trivial cost. We further identify environmentally-induced mechanisms which generate an asymmetry in the current, manifested as a weak diode behavior. This rectifying behavior, found in two types of molecular junction models, is absent in the coherent-elastic limit, and is only active in the case with incoherent-inelastic scattering. Our work illustrates that in the low bias - linear response regime, the commonly used "dephasing probe" (mimicking only elastic decoherence effects) operates nearly indistinguishably from a "voltage probe" (admitting inelastic-dissipative effects). However, these probes realize fundamentally distinct $I$-$V$ characteristics at high biases, reflecting the central roles of dissipation and inelastic scattering processes on molecular electronic transport far-from-equilibrium.</summary>
    <category term="cond-mat.mes-hall" scheme="http://arxiv.org/schemas/atom"/>
    <published>2015-12-26T21:19:45Z</published>
    <arxiv:primary_category term="cond-mat.mes-hall"/>
    <arxiv:journal_ref>J. Chem. Phys. 144, 124107 (2016)</arxiv:journal_ref>
    <author>
      <name>Michael Kilgour</name>
    </author>
    <author>
      <name>Dvira Segal</name>
    </author>
    <link rel="related" href="https://doi.org/10.1063/1.4944470" title="doi"/>
  </entry>
</feed>
"""


def test_the_same_entry_in_either_generation_is_the_same_paper():
    legacy = papers(API / "2020-09-04_id_list-1601.00001_legacy.xml")["1601.00001"]
    current = {e.paper.arxiv_id: e.paper for e in arxiv.parse_response(CURRENT_LAYOUT_OF_1601_00001, "2026-08-03").entries}
    # (no <arxiv:doi> element here: the DOI comes from the doi.org link alone)
    assert dataclasses.replace(current["1601.00001"], fetched={}) == dataclasses.replace(legacy, fetched={})
    # Each is as of its own response's time (the feed's <updated>).
    assert (legacy.fetched, current["1601.00001"].fetched) == ({"arxiv": "2020-09-04T04:00:00Z"}, {"arxiv": "2026-04-30T17:33:16Z"})


def test_paragraph_breaks_survive_and_hard_wraps_do_not():
    multi = [p for path in CURRENT for p in papers(path).values() if "\n\n" in p.abstract]
    assert multi  # real multi-paragraph abstracts in the current generation
    assert arxiv_feeds.unwrap_abstract("  First line\nwrapped here.\n  Second paragraph\nwrapped.\n") == "First line wrapped here.\n\nSecond paragraph wrapped."
    assert arxiv_feeds.unwrap_abstract("One line paragraph.\n  Another one.") == "One line paragraph.\n\nAnother one."


def test_an_api_error_feed_is_a_source_error():
    error = """<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v</id><title>Error</title>
      <summary>incorrect id format for 1234.12345v</summary></entry></feed>"""
    with pytest.raises(SourceError, match="incorrect id format"):
        arxiv.parse_response(error)


# --- RSS -----------------------------------------------------------------------------------


def test_rss_items_give_the_abstract_without_the_announcement_prefix():
    feed = parse(RSS / "2026-04-27_cs.AI_trimmed.xml")
    assert (feed.kind, feed.day) == ("rss", "2026-04-27")
    assert [e.announce_type for e in feed.entries] == ["new", "new", "new"]
    paper = feed.entries[0].paper
    assert paper.arxiv_id == "2604.21935"
    assert paper.abstract.startswith("Although language models demonstrate remarkable proficiency")
    assert paper.abstract.endswith("emergent numerical reasoning capabilities.")
    assert paper.featured == ["2026-04-27"] and paper.categories == ["cs.AI", "cs.LG"]
    for path in RSS.glob("*.xml"):
        for entry in parse(path).entries:
            assert "arXiv:" not in entry.paper.abstract[:20] and "Announce Type" not in entry.paper.abstract


def test_rss_authors_are_split_from_the_creator_string():
    by_id = {e.paper.arxiv_id: e.paper for path in RSS.glob("*.xml") for e in parse(path).entries}
    assert by_id["2604.21935"].authors == ["Michael Cooper", "Samuel Cooper"]
    medical = by_id["2604.21936"].authors
    assert len(medical) == 18 and medical[0] == "Lianrui Zuo" and medical[-1] == "Bennett A. Landman"
    # A real double space and a one-word name: "Ratna Kandala,  Deepti, Sheza Munir".
    assert by_id["2604.22002"].authors == ["Anamta Khan", "Ratna Kandala", "Deepti", "Sheza Munir", "Joyojeet Pal"]


@pytest.mark.parametrize(
    "creators,names",
    [
        ("Ann Lee and Bob Ray", ["Ann Lee", "Bob Ray"]),
        ("Ann Lee, Bob Ray, and Cy Dee", ["Ann Lee", "Bob Ray", "Cy Dee"]),
        ("Martin Luther King, Jr., Ann Lee", ["Martin Luther King, Jr.", "Ann Lee"]),
        ("Ann Lee (MIT, Cambridge), Bob Ray (ETH and EPFL)", ["Ann Lee (MIT, Cambridge)", "Bob Ray (ETH and EPFL)"]),
        ("Alexander Andersen, Randa Sandberg", ["Alexander Andersen", "Randa Sandberg"]),
        ("", []),
    ],
)
def test_author_splitting_rules(creators, names):
    assert arxiv_feeds.split_authors(creators) == names


def test_an_empty_feed_has_no_entries_and_no_day_problem():
    text = (RSS / "2026-04-27_cs.AI_trimmed.xml").read_text(encoding="utf-8")
    empty = text[: text.index("<item>")] + "</channel>\n</rss>"
    feed = arxiv.parse_response(empty)
    assert feed.kind == "rss" and feed.entries == [] and not feed.rejected


def test_a_bad_item_is_rejected_by_name_and_the_others_kept():
    text = (RSS / "2026-04-27_cs.AI_trimmed.xml").read_text(encoding="utf-8")
    text = text.replace("https://arxiv.org/abs/2604.21936", "https://arxiv.org/abs/../../etc/passwd", 1)
    text = text.replace("<title>MolClaw", "<title>", 1).replace("<title>: An Autonomous", "<title> ", 1)
    feed = arxiv.parse_response(text)
    assert [e.paper.arxiv_id for e in feed.entries] == ["2604.21935", "2604.21937"]
    assert feed.rejected == ["item 2: id '../../etc/passwd' is not an arXiv id"]


# --- Unsafe and broken bodies ----------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><item><title>&lol3;</title></item></channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title></channel></rss>"""


@pytest.mark.parametrize(
    "body,problem",
    [
        (BILLION_LAUGHS, "unsafe XML"),
        (EXTERNAL_ENTITY, "unsafe XML"),
        ("<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>", "not well-formed|not an arXiv"),
        ("<html><body>Rate exceeded.</body></html>", "not an arXiv RSS or Atom feed"),
        ((API / "2026-08-02_cat-cs.AI-OR-cs.LG-OR-cs.CL_max25.xml").read_text(encoding="utf-8")[:20000], "not well-formed"),
        ("", "empty"),
        ('{"error": "not xml"}', "not well-formed"),
    ],
    ids=["billion-laughs", "external-entity", "html-error-page", "html-fragment", "truncated", "empty", "json"],
)
def test_unusable_bodies_are_source_errors(body, problem):
    with pytest.raises(SourceError, match=problem):
        arxiv.parse_response(body)


# --- The announcement schedule ------------------------------------------------------------------


def test_announcement_windows_follow_the_weekday_schedule():
    # Monday's feed: Thursday 14:00 to Friday 14:00 US Eastern (EDT in April: UTC-4).
    start, end = arxiv.announcement_window("2026-04-27")
    assert (start.isoformat(), end.isoformat()) == ("2026-04-23T18:00:00+00:00", "2026-04-24T18:00:00+00:00")
    # Tuesday's feed takes the weekend's submissions; in January New York is UTC-5.
    start, end = arxiv.announcement_window("2026-01-13")
    assert (start.isoformat(), end.isoformat()) == ("2026-01-09T19:00:00+00:00", "2026-01-12T19:00:00+00:00")
    assert arxiv.announcement_window("2026-08-01") is None and arxiv.announcement_window("2026-08-02") is None


def test_the_paper_in_both_fixtures_was_announced_in_the_window_of_its_day():
    paper = papers(API / "2026-08-02_cat-cs.AI-OR-cs.LG-OR-cs.CL_max25.xml")["2607.28582"]
    start, end = arxiv.announcement_window("2026-07-31")  # the day Hugging Face featured it
    assert start.date().isoformat() <= paper.published <= end.date().isoformat()


# --- sources.yml ------------------------------------------------------------------------------------


def write(tmp_path, text):
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_sources_yml_is_valid():
    from tests.helpers import ROOT

    config = load_sources_config(ROOT / "sources.yml")
    assert config.sources == ["hf", "arxiv"]
    assert config.arxiv.categories and config.arxiv.announce_types == ["new", "cross"]


@pytest.mark.parametrize(
    "text,where",
    [
        ("sources: [hf, arxiv]\narxiv:\n  categories: [cs.CL]\n  catgories: [cs.AI]\n", r"sources.yml:4: arxiv.catgories: unknown key"),
        ("sources: [hf, arxiv]\narxiv:\n  categories:\n  - cs.CL\n  - CS AI\n", r"sources.yml:5: arxiv.categories: 'CS AI' is not an arXiv category"),
        ("sources: [hf, arxiv]\narxiv:\n  categories: [cs.CL]\n  announce_types: [new, crosslist]\n", r"sources.yml:4: arxiv.announce_types: 'crosslist' is not one of"),
        ("sources: [hf, arxv]\n", r"sources.yml:1: sources: 'arxv' is not one of: hf, arxiv"),
        ("sources: hf\n", r"sources.yml:1: sources: expected a list"),
        ("# nothing\narxiv:\n  categories: [cs.CL]\n", r"sources.yml:2: sources: missing"),
        ("sources: [arxiv]\narxiv:\n  include: [agent]\n", r"sources.yml:3: arxiv.categories: arxiv is a source but no categories"),
        ("sources: [hf]\narxiv:\n  complete: maybe\n", r"sources.yml:3: arxiv.complete: expected true or false"),
        ("sources: [hf]\narxiv:\n  exclude: [~]\n", r"sources.yml:3: arxiv.exclude: expected a non-empty text"),
        ("sources: [hf\narxiv: x\n", r"sources.yml:2: not valid YAML"),
        ("", r"sources.yml:1: the file is empty"),
    ],
)
def test_config_errors_name_file_line_and_key(tmp_path, text, where):
    with pytest.raises(ConfigError, match=where):
        load_sources_config(write(tmp_path, text))


def test_keywords_match_whole_words_case_insensitively(tmp_path):
    config = load_sources_config(write(tmp_path, "sources: [arxiv]\narxiv:\n  categories: [cs.AI]\n  include: [agent, C++]\n  exclude: [survey]\n")).arxiv

    def paper(title, abstract="x"):
        return Paper("2601.00001", title, ["A"], abstract, ["2026-01-05"], ["arxiv"])

    assert config.keeps(paper("An AGENT framework"))
    assert config.keeps(paper("Fast", "compiled from C++ sources"))
    assert not config.keeps(paper("Multi-agents and reagents"))  # not the word "agent"
    assert not config.keeps(paper("Agent benchmarks: a Survey"))
    assert not config.keeps(paper("Unrelated"))
