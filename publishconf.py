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
