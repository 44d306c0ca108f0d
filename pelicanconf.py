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
# Paper files (content/papers/) are read by plugins/paper_pages, not as Pelican articles.
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["search_index", "paper_pages", "incremental_writer", "digest_pages", "paper_feeds"]
# paper_pages reads the paper files (a cached catalogue: only new and changed files are
# parsed), gives each paper its paper themes and writes its page and BibTeX file.
# digest_pages writes the day, paper-theme, archive, about and 404 pages, sitemap.xml and
# robots.txt; paper_feeds the Atom/RSS feeds and their OPML list (it needs digest_pages).
# incremental_writer skips rendering pages whose inputs did not change since the last
# build (its manifest is in CACHE_PATH); output stays byte-identical to a clean build.
# Its Pelican class does nothing at all when no input changed since the last build.
# search_index writes the /search/ page and its lunr index (search/manifest.json and
# shards by half month); unchanged shards come from CACHE_PATH/search_index.  It comes
# first so that its output, the longest single piece of work, starts first (in a child
# process beside the others); its index needs only the paper catalogue.
sys.path.insert(0, os.path.join(ROOT, "plugins"))  # PELICAN_CLASS is loaded before plugins
PELICAN_CLASS = "incremental_writer.IncrementalPelican"
# Context values added by plugins that any page may show: a change re-renders every page.
INCREMENTAL_WRITER_GLOBALS = ["PAPER_THEMES"]

# Paper themes (research topics, not the site's look): their names, slugs and match rules.
# plugins/paper_pages gives every paper its best themes (rules in plugins/paper_themes).
PAPER_THEMES_FILE = os.path.join(ROOT, "themes.yml")

# Everything fetched is untrusted: templates escape every value unless marked safe.
# auto_reload off: a build loads each template once (Pelican makes new environments for
# every build, even with --autoreload), instead of checking its file at every page.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "extensions": [], "auto_reload": False}

# One page per paper at /papers/<arxiv_id>/ (plugins/paper_pages; the slug is the id).
PAPER_URL = "papers/{slug}/"

PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# The home page (the latest day's digest) and /archives/ come from plugins/digest_pages.
DIRECT_TEMPLATES = []
# A paper theme's listing: /themes/<slug>/ shows its newest papers, older ones are in pages
# of this many papers numbered from the oldest (/themes/<slug>/page/<n>/).
DEFAULT_PAGINATION = 50

# Pelican's own feeds are off: they strip tags from titles and know nothing of themes.
FEED_ALL_ATOM = FEED_ALL_RSS = FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None

# The paper catalogue (plugins/paper_pages) and the search shards are cached here.
CACHE_PATH = "cache"

# Freshness (scripts/freshness.py, run by `invoke check` before every deploy): the build
# fails when the newest digest is more than this many weekdays old.  The environment
# variable of the same name overrides it.
FRESHNESS_MAX_WEEKDAYS = 3
