from .paper_themes import register
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
    "register",
]
