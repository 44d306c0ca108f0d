"""Paper themes: research topics defined in YAML (``taxonomy``) and how papers match them
(``matching``).  Pure functions, no Pelican: the paper catalogue, ``scripts/themes_report.py``
and the tests share them."""

from papers.themes.matching import match_paper_themes
from papers.themes.taxonomy import CATCH_ALL, MAX_THEMES, PaperTheme, PaperThemeMatch, load_paper_themes

__all__ = ["CATCH_ALL", "MAX_THEMES", "PaperTheme", "PaperThemeMatch", "load_paper_themes", "match_paper_themes"]
