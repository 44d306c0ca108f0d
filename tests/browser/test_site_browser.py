"""The reading pages in the system Chromium (Playwright), on the fixture site served on
127.0.0.1: the BibTeX copy button as progressive enhancement, the keyboard, dark mode and a
phone-sized screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAPER = "/papers/2608.19880/"
DAY = "/2026/08/21/"


def open_page(browser, url, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, errors


def test_copy_button_copies_the_bibtex(chromium_browser, served_site):
    page, errors = open_page(chromium_browser, served_site + PAPER, permissions=["clipboard-read", "clipboard-write"])
    button = page.locator("button[data-copy=bibtex]")
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.querySelector('.copy-status').textContent === 'Copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == page.text_content("#bibtex")
    assert errors == []


def test_download_button_saves_the_bibtex_shown(chromium_browser, served_site, tmp_path):
    """The .bib file is made in the browser from the entry on the page (no file per paper)."""
    page, errors = open_page(chromium_browser, served_site + PAPER, accept_downloads=True)
    with page.expect_download() as download:
        page.locator("button[data-save=bibtex]").click()
    saved = tmp_path / "saved.bib"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"{PAPER.strip('/').split('/')[-1]}.bib"
    assert saved.read_text(encoding="utf-8") == page.text_content("#bibtex")
    assert saved.read_text(encoding="utf-8").startswith("@misc{")
    assert errors == []


def test_without_javascript_the_page_reads_and_its_bibtex_is_selectable(chromium_browser, served_site):
    page, _ = open_page(chromium_browser, served_site + PAPER, java_script_enabled=False)
    assert not page.locator("button.copy").first.is_visible() and not page.locator("button[data-save]").is_visible()
    assert page.locator("#bibtex").is_visible()
    assert page.locator("main h1").inner_text().startswith("EnvHarness")


def test_keyboard_skip_link_and_focus(chromium_browser, served_site):
    page, _ = open_page(chromium_browser, served_site + DAY)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.locator("a.skip").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("path", [DAY, PAPER, "/archives/", "/themes/"])
def test_dark_mode_and_phone_width(chromium_browser, served_site, path):
    page, errors = open_page(chromium_browser, served_site + path, color_scheme="dark", viewport={"width": 360, "height": 740})
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 21, 24)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    assert errors == []
