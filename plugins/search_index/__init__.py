"""The search: the /search/ page and its index under output/search/.

Every paper of the catalogue becomes a ``SearchDocument``; the builder
(``papers.search_index``) writes the lunr shards and the manifest that
``theme/static/js/search.js`` loads.  Unchanged shards come from ``CACHE_PATH/search_index``.
"""

from search_index.generator import register

__all__ = ["register"]
