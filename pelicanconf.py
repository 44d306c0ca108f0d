"""Pelican settings for local builds (``make site``, ``make serve``).

``publishconf.py`` lays the published site's settings over these.  Settings for the
site's plugins live here too, each next to a comment saying what it changes.
"""

import os

from papers.build.incremental import IncrementalPelican

ROOT = os.path.dirname(os.path.abspath(__file__))

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
PLUGINS = ["search_index", "paper_feeds", "digest_pages", "paper_pages"]
# Every plugin reads the papers from one catalogue of the paper files (papers.catalog:
# only new and changed files are parsed, and each paper is given its paper themes), loaded
# by whichever asks first, so their order here is free.  paper_pages writes a page and a
# BibTeX file per paper; digest_pages the day, paper-theme, archive, about and 404 pages,
# sitemap.xml and robots.txt; paper_feeds the Atom/RSS feeds and their OPML list;
# search_index the /search/ page and its lunr index (search/manifest.json and shards by
# half month; unchanged shards come from CACHE_PATH/search_index).  search_index comes
# first and paper_feeds second so that the longest single pieces of work, the index and
# the feeds, start first (each in a child process beside the others); paper_pages comes
# last, as its pages wait for the related papers (found in a child process from the
# catalogue's loading on).
# The incremental build (papers.build): pages whose inputs did not change since the last
# build are not rendered again (the output stays byte-identical to a clean build's), and
# a build with no input changed does nothing at all.
# (The class itself: Pelican's string form imports only top-level modules.)
PELICAN_CLASS = IncrementalPelican
# Context values added by plugins that any page may show: a change re-renders every page.
INCREMENTAL_WRITER_GLOBALS = ["PAPER_THEMES"]
# Processes that render pages and the search index beside each other (default: the
# machine's cores, at most 4; 1 renders everything in the build's own process).
BUILD_PROCESSES = None

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

# Paper cards show Hugging Face's thumbnail of a paper, lazily loaded from its image CDN
# (cdn-thumbnails.huggingface.co, the only host a card's image may come from).  False: no
# image from anywhere but this site, so a reader's browser asks no other server.
REMOTE_IMAGES = True

# A day's page lists its Hugging Face papers most upvoted first, then the papers only arXiv
# announced (no upvotes), by theme, at most this many a theme (the rest are on the theme's
# page), so that a 900-paper arXiv day stays a page a reader scans.
DAY_ANNOUNCED_PER_THEME = 10

# A week's or month's page (/weeks/YYYY-Www/, /months/YYYY-MM/) lists this many of its
# papers, most upvoted first (the rest are on the days' pages).
PERIOD_MAX_PAPERS = 50

# GitHub Pages refuses a site over 1 GB (`invoke check` warns at 80%).  A number N: a paper
# that Hugging Face never featured and that arXiv last listed more than N months before the
# newest digest day has no page of its own; its day, theme and search listings and its
# feeds link to its arXiv abstract instead.  None: every paper has its page.
ARXIV_ONLY_PAGE_MONTHS = None

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

# The daily email digest (papers.mail): the site's YYYY/MM/DD/email.html, the daily feed's
# entries and what scripts/email_digest.py sends.  It lists the day's top papers by upvotes,
# then the others under their paper theme, at most so many a theme and in all (each cut
# theme links to the rest), so that a 900-paper arXiv day stays an email a reader scans,
# under Gmail's 102 KB clipping limit.
EMAIL_TOP_PAPERS = 10
EMAIL_PAPERS_PER_THEME = 8
EMAIL_MAX_PAPERS = 60
# How a recipient stops the email (its List-Unsubscribe header and footer link): an
# https: page or a mailto: address.  None: a mail to SMTP_FROM with subject "unsubscribe".
EMAIL_UNSUBSCRIBE_URL = None
# The Subscribe page's email form posts to this newsletter provider's subscribe endpoint,
# e.g. Buttondown's "https://buttondown.com/api/emails/embed-subscribe/<username>".  None:
# no form, and the page explains how to turn the daily feed into an email instead.
NEWSLETTER_SUBSCRIBE_URL = None
# WebSub: the hub the feeds name (<link rel="hub">), pinged after each deploy
# (scripts/websub_ping.py) so that feed readers hear of a new day within minutes.  Local
# builds name none; publishconf.py sets the published site's.
WEBSUB_HUB = None
