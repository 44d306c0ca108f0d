"""A day's digest as HTML (with its CSS inlined) and as plain text.

The templates are the theme's ``email/body.html`` and ``email/document.html``, styled by
``email/email.css``: css-inline writes those rules into each element's ``style``
attribute, which is all Gmail, Outlook and Apple Mail reliably apply.  The renderer has
its own Jinja environment over the theme's loader with autoescaping always on, whatever
the site's settings, and nothing else of Pelican's: the build's plugins and the sending
script make the same HTML from the same digest.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version

import css_inline
import jinja2
from markupsafe import Markup

from papers.mail.digest import DayDigest

BODY_TEMPLATE = "email/body.html"
DOCUMENT_TEMPLATE = "email/document.html"
STYLESHEET = "email/email.css"
TEXT_WIDTH = 72
# The settings an email shows: part of the renderer's version (the feed caches entries).
EMAIL_SETTINGS = ("SITENAME", "SITEURL", "DEFAULT_LANG", "EMAIL_TOP_PAPERS", "EMAIL_PAPERS_PER_THEME", "EMAIL_MAX_PAPERS")


@dataclass(frozen=True)
class Recipient:
    """Who an email is for (its footer says so), and the paper themes they asked for."""

    address: str
    themes: frozenset[str] | None = None  # slugs; None: every paper theme


class DigestRenderer:
    """Renders ``DayDigest`` objects with the templates ``loader`` finds."""

    def __init__(self, loader: jinja2.BaseLoader, settings: dict):
        self.settings = settings
        self.env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        self.css = self.env.loader.get_source(self.env, STYLESHEET)[0]
        # Never fetched: a stylesheet link in a template would be a request at build time.
        self.inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_link_tags=False, keep_style_tags=False)

    @cached_property
    def version(self) -> str:
        """Changes whenever what an email shows could: templates, settings, css-inline."""
        parts = [self.env.loader.get_source(self.env, name)[0] for name in (BODY_TEMPLATE, DOCUMENT_TEMPLATE, STYLESHEET)]
        parts += [f"{name}={self.settings.get(name)!r}" for name in EMAIL_SETTINGS]
        parts.append(f"css-inline {version('css-inline')}")
        return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def body(self, digest: DayDigest, recipient: Recipient | None = None, unsubscribe: str = "") -> str:
        """The email's content as an HTML fragment, styles inline (the feed entry's content)."""
        html = self.env.get_template(BODY_TEMPLATE).render(digest=digest, recipient=recipient, unsubscribe=unsubscribe)
        return self.inliner.inline_fragment(html, self.css)

    def document(self, digest: DayDigest, recipient: Recipient | None = None, unsubscribe: str = "") -> str:
        """The whole HTML document: the sent HTML part, and the site's ``email.html``."""
        body = Markup(self.body(digest, recipient, unsubscribe))
        lang = self.settings.get("DEFAULT_LANG", "en")
        return self.env.get_template(DOCUMENT_TEMPLATE).render(digest=digest, recipient=recipient, body=body, lang=lang) + "\n"


def _paper_lines(paper, number: str) -> list[str]:
    upvotes = f" (▲ {paper.upvotes})" if paper.upvotes else ""
    indent = " " * (len(number) + 1)
    lines = textwrap.wrap(f"{paper.title}{upvotes}", TEXT_WIDTH, initial_indent=f"{number} ", subsequent_indent=indent)
    for text in (paper.authors, paper.summary):
        if text:
            lines += textwrap.wrap(text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent)
    lines.append(f"{indent}{paper.url}")
    return lines + [""]


def plain_text(digest: DayDigest, recipient: Recipient | None = None, unsubscribe: str = "") -> str:
    """The email as plain text a person reads: the same lists, links written out."""
    count = f"{digest.paper_count} paper{'s' if digest.paper_count != 1 else ''}"
    if digest.chosen_themes:
        count += f" in {', '.join(digest.chosen_themes)}"
    lines = [f"{digest.site_name}: papers of {digest.day_title}", f"{count}: {digest.day_url}", ""]
    if digest.top:
        lines += ["TOP PAPERS", ""]
        for rank, paper in enumerate(digest.top, 1):
            lines += _paper_lines(paper, f"{rank}.")
    for group in digest.groups:
        lines += [group.name.upper(), ""]
        for paper in group.papers:
            lines += _paper_lines(paper, "-")
        if group.more:
            lines += [f"  {group.more} more paper{'s' if group.more != 1 else ''} in {group.name}: {group.more_url}", ""]
    lines.append("-- ")
    if recipient:
        themes = f", for {', '.join(digest.chosen_themes)}" if digest.chosen_themes else ""
        reason = f"You get this email because {recipient.address} is on the daily digest list of {digest.site_name}{themes}."
        lines += textwrap.wrap(reason, TEXT_WIDTH) + [f"To stop it: {unsubscribe}"]
    else:
        lines.append(f"The daily email digest of {digest.site_name}.")
    lines.append(f"Every way to subscribe: {digest.site_url}/subscribe/")
    return "\n".join(lines) + "\n"


def theme_loader(settings: dict) -> jinja2.BaseLoader:
    """The theme's templates as the build finds them (overrides first), for a renderer
    made outside a build (the sending script)."""
    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), os.path.join(settings["THEME"], "templates")]
    return jinja2.FileSystemLoader(folders)
