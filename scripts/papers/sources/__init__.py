"""The sources papers are fetched from: ``hf`` (Hugging Face Daily Papers), ``arxiv``
(announcements and the API), the polite HTTP client both use (``http``), and the
maintainer's ``sources.yml`` (``config``)."""
