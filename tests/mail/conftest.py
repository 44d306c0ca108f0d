"""The email tests' site: the bundled content's newest day (17 papers), or a hostile one,
read with the published settings and an absolute SITEURL."""

from __future__ import annotations

from pathlib import Path

import pytest
from papers.catalog import load_catalog
from pelican.settings import read_settings

from tests.helpers import ROOT, hostile_day, replay
from tests.mail.smtp_server import smtp_server

SITEURL = "https://digest.example.org/papers-site"
DAY = "2026-08-21"


def write_settings(tmp_path: Path, content: Path, **extra) -> Path:
    """A settings file: publishconf.py with this content, a cache in ``tmp_path`` and
    ``extra`` settings (their repr)."""
    lines = [
        "import runpy",
        f"globals().update({{k: v for k, v in runpy.run_path({str(ROOT / 'publishconf.py')!r}).items() if k.isupper()}})",
        f"SITEURL = {SITEURL!r}",
        f"PATH = {str(content)!r}",
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}",
        *(f"{name} = {value!r}" for name, value in extra.items()),
    ]
    path = tmp_path / "mailconf.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def settings_file(tmp_path) -> Path:
    return write_settings(tmp_path, ROOT / "content")


@pytest.fixture
def hostile_settings_file(tmp_path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    path, _ = hostile_day(tmp_path)
    replay(content, DAY, input_path=path)  # the path-trick entry is rejected, the rest stored
    return write_settings(tmp_path, content)


@pytest.fixture
def server():
    with smtp_server() as running:
        yield running


@pytest.fixture(scope="session")
def bundled_catalog(tmp_path_factory):
    """The bundled content's catalogue, as the sender reads it."""
    settings = read_settings(str(ROOT / "publishconf.py"), override={"PATH": str(ROOT / "content"), "CACHE_PATH": str(tmp_path_factory.mktemp("cache"))})
    return load_catalog(settings)
