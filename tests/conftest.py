"""Shared fixtures: the recorded responses, a fetch into a temporary content directory and
a Pelican build of it into ``tmp_path``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HF_DAYS = sorted((FIXTURES / "hf_daily_papers").glob("*.json"))

hypothesis_settings.register_profile("ci", max_examples=200, deadline=None)
hypothesis_settings.register_profile("default", max_examples=100, deadline=None)
hypothesis_settings.load_profile("default")


def hf_fixture(day: str) -> Path:
    return FIXTURES / "hf_daily_papers" / f"{day}.json"


def hf_entries(day: str) -> list:
    return json.loads(hf_fixture(day).read_text(encoding="utf-8"))


def replay(content: Path, day: str, *, input_path: Path | None = None, source: str = "hf") -> int:
    """Run the fetch script's main() on a recorded response, as `--input` does."""
    from fetch import main

    return main(["--source", source, "--date", day, "--input", str(input_path or hf_fixture(day)), "--content", str(content)])


def build_site(content: Path, output: Path, settings_file: str = "pelicanconf.py", **overrides) -> Path:
    """Build ``content`` with the project's settings into ``output``, as `make site` does."""
    from pelican import Pelican
    from pelican.settings import read_settings

    override = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
        **overrides,
    }
    settings = read_settings(str(ROOT / settings_file), override=override)
    Pelican(settings).run()
    return output


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
    from search_bench import serve

    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_browser():
    """The system Chromium, headless, driven by Playwright (browser tests)."""
    from search_bench import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def count_paper_reads(monkeypatch):
    """Which paper files the paper catalogue parses and derives (not served from its cache)."""
    from paper_pages import catalog

    calls = []
    original = catalog._derive_files

    def derive_files(paths, *args):
        calls.extend(paths)
        return original(paths, *args)

    monkeypatch.setattr(catalog, "_derive_files", derive_files)
    return calls
