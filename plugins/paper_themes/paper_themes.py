"""Pelican glue for paper themes: every paper article gets ``article.paper_themes``.

After the articles are read (signal ``article_generator_pretaxonomy``) the themes file
(setting ``PAPER_THEMES_FILE``, default ``themes.yml``) is loaded and each article holding a
``paper`` (see ``plugins/paper_reader``) gets ``article.paper_themes``: a list of
``PaperThemeMatch`` (``.theme``, ``.score``, ``.reasons``), best first, at most three, or
just the catch-all theme.  The shared context gets ``PAPER_THEMES``: every ``PaperTheme`` in
file order, catch-all last.  An invalid themes file stops the build.
"""

from __future__ import annotations

from pelican import signals

from .rules import load_paper_themes, match_paper_themes

DEFAULT_PAPER_THEMES_FILE = "themes.yml"


def assign_paper_themes(generator):
    paper_themes = load_paper_themes(generator.settings.get("PAPER_THEMES_FILE", DEFAULT_PAPER_THEMES_FILE))
    generator.context["PAPER_THEMES"] = paper_themes
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
                article.paper_themes = match_paper_themes(paper, paper_themes)


def register():
    signals.article_generator_pretaxonomy.connect(assign_paper_themes)
