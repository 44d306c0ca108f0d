"""Pelican glue for paper themes: every paper article gets ``article.paper_themes``.

After the articles are read (signal ``article_generator_pretaxonomy``) the themes file
(setting ``PAPER_THEMES_FILE``, default ``themes.yml``) is loaded and each article holding a
``paper`` (see ``plugins/paper_reader``) gets ``article.paper_themes``: a list of
``PaperThemeMatch`` (``.theme``, ``.score``, ``.reasons``), best first, at most three, or
just the catch-all theme.  The shared context gets ``PAPER_THEMES``: every ``PaperTheme`` in
file order, catch-all last.  An invalid themes file stops the build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from papers.store import atomic_write
from pelican import signals

from . import rules
from .rules import PaperThemeMatch, load_paper_themes, match_paper_themes, paper_texts

DEFAULT_PAPER_THEMES_FILE = "themes.yml"
MATCHES_CACHE = "paper-themes-matches.json"


class MatchesCache:
    """Each paper's matches from earlier builds (``CACHE_PATH``), valid while the themes
    file and the matching code are unchanged: matching every paper again is ~1.5 s of
    each build at the archive's size, against ~0.1 s to look them up."""

    def __init__(self, settings, paper_themes_file):
        self.path = Path(settings["CACHE_PATH"]) / MATCHES_CACHE
        self.version = hashlib.sha1(Path(paper_themes_file).read_bytes() + Path(rules.__file__).read_bytes()).hexdigest()
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        self.found = stored.get("matches", {}) if stored.get("version") == self.version else {}
        self.used: dict[str, list] = {}

    def match(self, paper, paper_themes) -> list[PaperThemeMatch]:
        key = hashlib.sha1(json.dumps([*paper_texts(paper).values(), getattr(paper, "categories", None) or []]).encode()).hexdigest()
        found = self.found.get(key)
        if found is not None:
            matches = [PaperThemeMatch(theme=paper_themes[i], score=score, reasons=tuple(reasons)) for i, score, reasons in found]
        else:
            matches = match_paper_themes(paper, paper_themes)
            if not all(m.theme in paper_themes for m in matches):  # the built-in catch-all
                return matches
            found = [[paper_themes.index(m.theme), m.score, list(m.reasons)] for m in matches]
        self.used[key] = found
        return matches

    def save(self):
        if self.used != self.found:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"version": self.version, "matches": self.used}))


def assign_paper_themes(generator):
    paper_themes_file = generator.settings.get("PAPER_THEMES_FILE", DEFAULT_PAPER_THEMES_FILE)
    paper_themes = load_paper_themes(paper_themes_file)
    generator.context["PAPER_THEMES"] = paper_themes
    cache = MatchesCache(generator.settings, paper_themes_file)
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
                article.paper_themes = cache.match(paper, paper_themes)
    cache.save()


def register():
    signals.article_generator_pretaxonomy.connect(assign_paper_themes)
