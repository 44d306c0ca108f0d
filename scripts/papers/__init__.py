"""The paper library: everything the commands (``scripts/``) and the Pelican plugins
(``plugins/``) share.  Installed by ``make install`` (``pyproject.toml``, editable).

- ``model``: the ``Paper`` record, its merge rules and the rules that clean untrusted text;
- ``errors``: every error the library raises on purpose;
- ``layout``: where a paper file lives under ``content/``; ``paperfile``: its format;
  ``store``: every write to ``content/`` (atomic), the ``ContentStore``;
- ``sources``: Hugging Face, arXiv, the polite HTTP client, ``sources.yml``;
  ``fetching``: a day of a source fetched into the store (``scripts/fetch.py``);
- ``themes``: the paper themes of ``themes.yml`` and how papers match them;
- ``catalog``: the site's papers as one catalogue, read once per build;
- ``render``: math, listing strings, JSON-LD and BibTeX made from untrusted text;
- ``search_index``: the lunr index in shards (the search plugin's builder);
- ``build``: the incremental build framework (writer, keys, Pelican class);
- ``corpus``, ``browser``, ``search_measure``: the shared archive, a site in Chromium,
  the search's measurement (benchmark and browser tests).
"""
