"""A day's digest as its page lists it (papers.catalog.days)."""

from __future__ import annotations

from papers.themes import load_paper_themes

from tests.helpers import ROOT, arxiv_day

THEMES = load_paper_themes(ROOT / "themes.yml")


def test_a_day_ranks_hugging_face_papers_and_groups_the_arxiv_only_ones():
    """``DigestDay.ranked``: the papers with upvotes, most first; ``announced``: the
    others (arXiv only), under their best theme; ``theme_counts`` counts every theme."""
    day = arxiv_day(40)  # papers 0-14 have upvotes (0 to 14), the others none
    assert [e.upvotes for e in day.ranked] == list(range(14, -1, -1))
    announced = [e for group in day.announced for e in group.articles]
    assert sorted(e.arxiv_id for e in announced) == sorted(e.arxiv_id for e in day.articles if e.upvotes is None)
    assert all(group.paper_theme is e.themes[0] for group in day.announced for e in group.articles)
    counts = {c.paper_theme.slug: c.count for c in day.theme_counts}
    assert sum(counts.values()) == sum(len(e.themes) for e in day.articles)
    assert [c.paper_theme.slug for c in day.theme_counts] == [t.slug for t in THEMES if t.slug in counts]  # the themes' order
