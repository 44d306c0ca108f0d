"""Pelican settings for the published site: ``pelicanconf.py`` plus absolute URLs.

``SITEURL`` comes from the environment (CI sets it from the GitHub Pages configuration),
so a fork publishes under its own address without editing this file.
"""

import os
import runpy

# pelicanconf.py's settings, read from the file beside this one (Pelican loads settings
# files by path, so pelicanconf is not importable as a module).
globals().update({name: value for name, value in runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py")).items() if name.isupper()})

SITEURL = os.environ.get("SITEURL", "https://example.github.io/paper-digest").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# WebSub hub of the published feeds: Google's public hub unless the environment variable
# WEBSUB_HUB names another one, or is "off" for none (empty or unset: the default).
_hub = os.environ.get("WEBSUB_HUB", "").strip()
WEBSUB_HUB = None if _hub == "off" else _hub or "https://pubsubhubbub.appspot.com/"
# Newsletter form and unsubscribe page from the environment too (repository variables).
NEWSLETTER_SUBSCRIBE_URL = os.environ.get("NEWSLETTER_SUBSCRIBE_URL") or globals()["NEWSLETTER_SUBSCRIBE_URL"]
EMAIL_UNSUBSCRIBE_URL = os.environ.get("EMAIL_UNSUBSCRIBE_URL") or globals()["EMAIL_UNSUBSCRIBE_URL"]
