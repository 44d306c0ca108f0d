"""Shared fixtures: a temporary content folder, every recorded day replayed into one, the
site built from it (through the configured Pelican class), served, and a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.helpers import HF_DAYS, build_site, replay

hypothesis_settings.register_profile("ci", max_examples=200, deadline=None)
hypothesis_settings.register_profile("default", max_examples=100, deadline=None)
hypothesis_settings.load_profile("default")


@pytest.fixture
def content(tmp_path) -> Path:
    path = tmp_path / "content"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def replayed_content(tmp_path_factory) -> Path:
    """A content directory with every recorded Hugging Face day replayed (read-only use)."""
    path = tmp_path_factory.mktemp("replayed") / "content"
    path.mkdir()
    for fixture in HF_DAYS:
        assert replay(path, fixture.stem) == 0
    return path


@pytest.fixture(scope="session")
def built_site(replayed_content, tmp_path_factory) -> Path:
    """The site built from every recorded day (read-only use)."""
    return build_site(replayed_content, tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def served_site(built_site):
    """``built_site`` served on 127.0.0.1 (a free port): its base URL (browser tests)."""
    from papers.browser import serve

    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_browser():
    """The system Chromium, headless, driven by Playwright (browser tests)."""
    from papers.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def count_paper_reads(monkeypatch):
    """Which paper files the paper catalogue parses and derives (not served from its cache)."""
    from papers.catalog import cache

    calls = []
    original = cache.derive_entries

    def derive_entries(paths, *args):
        calls.extend(paths)
        return original(paths, *args)

    monkeypatch.setattr(cache, "derive_entries", derive_entries)
    return calls


@pytest.fixture(autouse=True)
def fresh_log_deduplication():
    """Pelican's loggers (every logger made once Pelican is imported, the library's too)
    drop a warning they have logged before in the same process (``LimitFilter``): each
    test starts with none seen, so a test's warnings do not depend on the tests before it."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    yield
