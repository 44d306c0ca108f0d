"""The reader's pages around the papers: one digest per day, the paper themes, archives.

- ``/`` (the latest day) and ``/YYYY/MM/DD/``: every paper featured that day, grouped by
  its best paper theme (themes in ``PAPER_THEMES`` order), each group by upvotes;
- ``/weeks/YYYY-Www/`` and ``/months/YYYY-MM/``: a week's or month's papers by upvotes
  (``papers.catalog.periods``), and ``/weeks/``, ``/months/``: the newest of each;
- ``/YYYY/MM/DD/email.html``: that day's email digest, as it is sent (``papers.mail``);
- ``/themes/`` and ``/themes/<slug>/``: a paper theme's newest papers, and its older ones
  in pages numbered from the oldest (``/themes/<slug>/page/<n>/``, ``DEFAULT_PAGINATION``
  papers each), so that a page, once full, never changes: a new day re-renders a theme's
  first page and at most one other (``listings.theme_pages``);
- ``/subscribe/``: every feed, the OPML and email;
- ``/archives/``, ``/about/``, ``/404.html``, ``/sitemap.xml``, ``/robots.txt``.

Listings show a paper through the Jinja global ``paper_card``: its card is made once a
build and reused on every page that lists it.
"""

from digest_pages.generator import register

__all__ = ["register"]
