"""Pelican glue for paper themes: every paper article gets ``article.paper_themes``.

After the articles are read (signal ``article_generator_pretaxonomy``) the themes file
(setting ``PAPER_THEMES_FILE``, default ``themes.yml``) is loaded and each article holding a
``paper`` (see ``plugins/paper_reader``) gets ``article.paper_themes``: a list of
``PaperThemeMatch`` (``.theme``, ``.score``, ``.reasons``), best first, at most three, or
just the catch-all theme.  The shared context gets ``PAPER_THEMES``: every ``PaperTheme`` in
file order, catch-all last.  An invalid themes file stops the build.
"""

from __future__ import annotations

from papers.derived_cache import DerivedCache, digest
from pelican import signals

from . import rules
from .rules import PaperThemeMatch, load_paper_themes, match_paper_themes, paper_texts

DEFAULT_PAPER_THEMES_FILE = "themes.yml"


def cached_matches(cache: DerivedCache, paper, paper_themes) -> list[PaperThemeMatch]:
    """``match_paper_themes``, looked up by the texts matched when an earlier build made it."""

    def match():
        return [[paper_themes.index(m.theme), m.score, list(m.reasons)] for m in match_paper_themes(paper, paper_themes)]

    found = cache.get(digest([*paper_texts(paper).values(), getattr(paper, "categories", None) or []]), match)
    return [PaperThemeMatch(theme=paper_themes[i], score=score, reasons=tuple(reasons)) for i, score, reasons in found]


def assign_paper_themes(generator):
    paper_themes_file = generator.settings.get("PAPER_THEMES_FILE", DEFAULT_PAPER_THEMES_FILE)
    paper_themes = load_paper_themes(paper_themes_file)
    generator.context["PAPER_THEMES"] = paper_themes
    # Matching every paper is ~1.5 s of each build at the archive's size; a rebuild matches
    # only papers that changed, until themes.yml or the rules change.
    cache = DerivedCache(generator.settings["CACHE_PATH"], "paper-themes-matches", [paper_themes_file, rules.__file__])
    for articles in (
        generator.articles,
        generator.translations,
        generator.hidden_articles,
        generator.hidden_translations,
        generator.drafts,
        generator.drafts_translations,
    ):
        for article in articles:
            paper = getattr(article, "paper", None)
            if paper is not None:
                # Always reassigned: articles restored from Pelican's cache carry old matches.
                article.paper_themes = cached_matches(cache, paper, paper_themes)
    cache.save()


def register():
    signals.article_generator_pretaxonomy.connect(assign_paper_themes)
