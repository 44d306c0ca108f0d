"""Paper themes: research topics defined in YAML and how papers match them (``rules.py``).

A library, not a Pelican plugin of its own: ``plugins/paper_pages`` matches each paper
when it derives the paper's catalogue entry, and ``scripts/themes_report.py`` uses it too.
"""

from .rules import (
    CATCH_ALL,
    MAX_THEMES,
    PaperTheme,
    PaperThemeMatch,
    PaperThemesError,
    load_paper_themes,
    match_paper_themes,
)

__all__ = [
    "CATCH_ALL",
    "MAX_THEMES",
    "PaperTheme",
    "PaperThemeMatch",
    "PaperThemesError",
    "load_paper_themes",
    "match_paper_themes",
]
