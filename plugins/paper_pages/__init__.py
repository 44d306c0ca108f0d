"""The papers' own pages: ``/papers/<arxiv_id>/`` and its BibTeX file, one per paper.

Paper files are not Pelican articles (their pipeline costs half a millisecond an article on
every build, even from its cache): the generator lists them from the build's paper
catalogue (``papers.catalog``) and writes, for each,

- ``PAPER_URL`` (default ``papers/{slug}/``, the slug being the arXiv id) with the template
  ``article.html``, its variable ``article`` being the ``PaperEntry``;
- ``<arxiv_id>.bib`` beside it (template ``paper.bib``), written and kept with the page.

Every template gets the filters ``http_url`` (the URL when it is an absolute http(s) URL,
else None: the link is dropped) and ``json_ld`` (a paper's schema.org JSON-LD).
"""

from paper_pages.generator import register

__all__ = ["register"]
