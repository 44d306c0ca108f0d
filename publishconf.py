"""Pelican settings for the published site: ``pelicanconf.py`` plus absolute URLs.

``SITEURL`` comes from the environment (CI sets it from the GitHub Pages configuration),
so a fork publishes under its own address without editing this file.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://example.github.io/paper-digest").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
