"""The cleaning rules for untrusted upstream values."""

import pytest
from papers.cleaning import clean_arxiv_id, clean_count, clean_text, clean_url
from papers.errors import Rejected
from papers.model import Paper


@pytest.mark.parametrize("raw,expected", [("2608.12313", "2608.12313"), ("2608.12313v2", "2608.12313"), (" 2403.1289 ", "2403.1289"), ("2608.12313\n", "2608.12313")])
def test_arxiv_ids_are_versionless(raw, expected):
    assert clean_arxiv_id(raw) == expected


@pytest.mark.parametrize("raw", ["../../etc/passwd", "2608.12313/../x", "hep-th/9901001", "", None, 2608.12313, "2608.123", "2608.12313x"])
def test_anything_but_a_new_style_arxiv_id_is_rejected(raw):
    with pytest.raises(Rejected, match="not an arXiv id"):
        clean_arxiv_id(raw)


@pytest.mark.parametrize("url", ["https://github.com/a/b", "http://example.org/x?y=1#z"])
def test_http_urls_are_kept(url):
    assert clean_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil.example", "/relative", "https://", "https://a b", "ftp://x.org", 42, None, "https://x.org/\nSet-Cookie: a"])
def test_other_urls_are_dropped(url):
    assert clean_url(url) is None


def test_text_drops_control_and_bidi_characters_and_folds_titles():
    assert clean_text("A\x00B\x1b[31m\u202eC\u200b", what="t") == "AB[31mC"
    assert clean_text("  line one\n  Key: value\r\n", what="title") == "line one Key: value"
    assert clean_text("para one\r\n\r\n  para two  ", what="abstract", multiline=True) == "para one\n\n  para two"


def test_text_of_the_wrong_type_is_rejected_by_name():
    with pytest.raises(Rejected, match="title is list"):
        clean_text(["x"], what="title")


@pytest.mark.parametrize("value", [-1, "3", 1.5, True])
def test_counts_must_be_non_negative_integers(value):
    with pytest.raises(Rejected, match="upvotes"):
        clean_count(value, what="upvotes")


def _paper(**fields):
    base = dict(arxiv_id="2608.00001", title="T", authors=["A"], abstract="x", featured=["2026-08-13"], sources=["hf"])
    return Paper(**{**base, **fields})


def test_merge_keeps_what_the_newer_fetch_lacks_and_counts_never_go_back():
    stored = _paper(upvotes=40, ai_summary="summary", github_stars=7)
    newer = _paper(featured=["2026-08-19"], upvotes=12, github_stars=9, ai_summary=None)
    merged = stored.merged_with(newer)
    assert merged.featured == ["2026-08-13", "2026-08-19"]
    assert merged.upvotes == 40
    assert merged.github_stars == 9
    assert merged.ai_summary == "summary"


def test_merge_keeps_arxiv_fields_a_later_fetch_lacks():
    stored = _paper(categories=["cs.CL", "cs.AI"], doi="10.1000/x", journal_ref="J. 1 (2026)", arxiv_comment="9 pages")
    merged = stored.merged_with(_paper(featured=["2026-08-19"]))
    assert (merged.categories, merged.doi, merged.journal_ref, merged.arxiv_comment) == (["cs.CL", "cs.AI"], "10.1000/x", "J. 1 (2026)", "9 pages")
    assert stored.merged_with(_paper(categories=["cs.LG"])).categories == ["cs.LG"]


def _from(source, **fields):
    return _paper(**fields).attributed_to(source)


def test_arxiv_wins_bibliographic_fields_and_hf_the_reception_fields_in_either_order():
    from_hf = _from("hf", title="beta-OPSD", abstract="HF text", published="2026-07-31", upvotes=19, github_repo="https://github.com/a/b")
    from_arxiv = _from("arxiv", title="$β$-OPSD", abstract="arXiv text", published="2026-07-30", categories=["cs.LG"], sources=["arxiv"])
    for merged in (from_hf.merged_with(from_arxiv), from_arxiv.merged_with(from_hf)):
        assert (merged.title, merged.abstract, merged.published) == ("$β$-OPSD", "arXiv text", "2026-07-30")
        assert (merged.upvotes, merged.github_repo, merged.categories) == (19, "https://github.com/a/b", ["cs.LG"])
        assert merged.sources == ["arxiv", "hf"]
        assert merged.provenance == {"title": "arxiv", "authors": "arxiv", "abstract": "arxiv", "published": "arxiv",
                                     "categories": "arxiv", "upvotes": "hf", "github_repo": "hf"}
    assert from_hf.merged_with(from_arxiv) == from_arxiv.merged_with(from_hf)


def test_a_refetch_from_the_same_source_updates_and_a_lesser_source_only_fills_gaps():
    stored = _from("arxiv", title="Old title")
    assert stored.merged_with(_from("arxiv", title="New title")).title == "New title"  # a new version
    assert stored.merged_with(_from("hf", title="HF title")).title == "Old title"
    # A stored field of unknown origin (files written before provenance) yields to any source.
    assert _paper(title="Unknown").merged_with(_from("hf", title="HF title")).provenance["title"] == "hf"
    # HF lacks the comment: the arXiv one stays, and so does where it came from.
    merged = _from("arxiv", arxiv_comment="9 pages").merged_with(_from("hf", upvotes=3))
    assert (merged.arxiv_comment, merged.provenance["arxiv_comment"]) == ("9 pages", "arxiv")


def test_clean_url_refuses_exactly_whitespace_control_format_surrogate_private_and_unassigned_characters():
    import unicodedata

    from papers.cleaning import clean_url

    for code in range(0x110000):
        ch = chr(code)
        breaks = ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn")
        assert (clean_url(f"https://x.org/a{ch}b") is None) == breaks, hex(code)
    # The classes by name: a lone surrogate, bidi overrides and isolates, zero-width joiners,
    # line and paragraph separators, a private-use and an unassigned code point.
    for ch in "\ud800\udfff\u202e\u2066\u200d\ufeff\u2028\u2029\ue000\U000e0001\U0010ffff":
        assert clean_url(f"https://github.com/a/{ch}b") is None, hex(ord(ch))
    assert clean_url("https://x.org/" + "a" * 2000) is None
    assert clean_url("https://x.org/é中文") == "https://x.org/é中文"
