"""Pelican settings for local builds (``make site``, ``make serve``).

``publishconf.py`` lays the published site's settings over these.  Settings for the
site's plugins live here too, each next to a comment saying what it changes.
"""

import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
# The paper library (file format, model) is shared by scripts/ and the plugins.
sys.path.insert(0, os.path.join(ROOT, "scripts"))

SITENAME = "Paper Digest"
SITESUBTITLE = "Daily research papers, grouped by theme"
AUTHOR = "Paper Digest"
SITEURL = ""
RELATIVE_URLS = False
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

PATH = "content"
ARTICLE_PATHS = ["papers"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["paper_reader", "paper_themes", "incremental_writer", "digest_pages", "paper_feeds", "search_index"]
# paper_reader reads the paper files; paper_themes gives each paper its paper themes.
# digest_pages writes the day, paper-theme, archive, about and 404 pages, sitemap.xml and
# robots.txt; paper_feeds the Atom/RSS feeds and their OPML list (it needs digest_pages).
# incremental_writer skips rendering pages whose inputs did not change since the last
# build (its manifest is in CACHE_PATH); output stays byte-identical to a clean build.
# Its Pelican class does nothing at all when no input changed since the last build.
# search_index writes the /search/ page and its lunr index (search/manifest.json and
# shards by half month); unchanged shards come from CACHE_PATH/search_index.
sys.path.insert(0, os.path.join(ROOT, "plugins"))  # PELICAN_CLASS is loaded before plugins
PELICAN_CLASS = "incremental_writer.IncrementalPelican"
# Context values added by plugins that any page may show: a change re-renders every page.
INCREMENTAL_WRITER_GLOBALS = ["PAPER_THEMES"]

# Paper themes (research topics, not the site's look): their names, slugs and match rules.
# plugins/paper_themes gives every paper article its best themes and the context PAPER_THEMES.
PAPER_THEMES_FILE = os.path.join(ROOT, "themes.yml")

# Everything fetched is untrusted: templates escape every value unless marked safe.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "extensions": []}

# One page per paper at /papers/<arxiv_id>/ (the reader sets the slug to the id, dots kept).
ARTICLE_URL = "papers/{slug}/"
ARTICLE_SAVE_AS = "papers/{slug}/index.html"
# Papers have no translations: Pelican's translation grouping would only sort them by slug,
# and its last step is quadratic in the number of articles (seconds at 4x the archive).
# The order it gave stays: newest first, papers of the same day by arXiv id.
ARTICLE_TRANSLATION_ID = None


def ARTICLE_ORDER_BY(article):
    return (-article.date.timestamp(), article.slug)


PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "papers"

# Pelican's author, category and tag pages would mean tens of thousands of near-empty
# pages; the site's own listings (days, themes) replace them.
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
# The home page (the latest day's digest) and /archives/ come from plugins/digest_pages.
DIRECT_TEMPLATES = []
DEFAULT_PAGINATION = 50
# A paper theme's listing, /themes/<slug>/, is paginated: page 2 is /themes/<slug>/page/2/.
PAGINATED_TEMPLATES = {"paper_theme": None}
PAGINATION_PATTERNS = [(1, "{url}", "{save_as}"), (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html")]

# Pelican's own feeds are off: they strip tags from titles and know nothing of themes.
FEED_ALL_ATOM = FEED_ALL_RSS = FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None

# Cache read papers between builds; validity by content hash, not modification time,
# which a fresh checkout resets.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
CHECK_MODIFIED_METHOD = "sha1"
# Uncompressed: gzipping the cache cost about a second a build at archive scale.
GZIP_CACHE = False

# Freshness (scripts/freshness.py, run by `invoke check` before every deploy): the build
# fails when the newest digest is more than this many weekdays old.  The environment
# variable of the same name overrides it.
FRESHNESS_MAX_WEEKDAYS = 3
