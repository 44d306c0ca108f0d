"""The site builds from fetched content: a page per paper at /papers/<arxiv_id>/."""

from bs4 import BeautifulSoup

from tests.helpers import BUNDLED_DAYS, ROOT, build_site, hostile_day, replay


def test_every_paper_has_its_page(replayed_content, built_site):
    ids = sorted(p.stem for p in replayed_content.rglob("*.md"))
    assert ids
    for arxiv_id in ids:
        page = built_site / "papers" / arxiv_id / "index.html"
        assert page.is_file(), arxiv_id
    soup = BeautifulSoup((built_site / "papers/2608.19880/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == "EnvHarness: Awakening Static Worlds for Agent Learning"


def test_hostile_data_is_shown_as_text(content, tmp_path):
    path, entries = hostile_day(tmp_path)
    replay(content, "2026-08-21", input_path=path)
    out = build_site(content, tmp_path / "output")
    html = (out / "papers" / entries[1]["paper"]["id"] / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    # JSON-LD is a data block, never executed (tests/test_site_hostile.py checks it stays JSON).
    assert not any("alert" in (s.string or "") for s in soup.find_all("script") if s.get("type") != "application/ld+json")
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert soup.find("img", src="x") is None
    assert not any(a.get("href", "").startswith("javascript:") for a in soup.find_all("a"))
    assert "<script>alert(1)</script>" in soup.h1.get_text()
    assert not (tmp_path / "evil.html").exists() and not list(out.rglob("evil.html"))


def test_bundled_content_is_what_the_fetch_script_makes_of_the_bundled_fixtures(tmp_path):
    """content/ is reproducible: replaying its days from tests/fixtures gives the same files."""
    bundled = ROOT / "content" / "papers"
    days = sorted({"-".join(p.relative_to(bundled).parts[:3]) for p in bundled.rglob("*.md")})
    assert tuple(days) == BUNDLED_DAYS
    for day in days:
        assert replay(tmp_path, day) == 0
    expected = {p.relative_to(bundled): p.read_bytes() for p in bundled.rglob("*.md")}
    assert {p.relative_to(tmp_path / "papers"): p.read_bytes() for p in (tmp_path / "papers").rglob("*.md")} == expected
