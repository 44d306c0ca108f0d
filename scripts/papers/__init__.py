"""The paper library shared by the fetch scripts and the Pelican plugins.

- ``model``: the ``Paper`` record and the rules that clean untrusted text, ids and URLs.
- ``store``: every read and write of ``content/`` (the file format, atomic writes).
- ``http``: the polite HTTP client every source uses.
- ``hf``: the Hugging Face Daily Papers source.
"""
