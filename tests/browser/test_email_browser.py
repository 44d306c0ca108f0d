"""The email digest and the Subscribe page in the system Chromium: the sent HTML part at a
mail client's 600 px and at a phone's width, the site's copy, and the copy buttons.
Screenshots are kept in ``test-artifacts/`` (``TEST_ARTIFACTS`` to put them elsewhere;
not committed) for a person to look at."""

from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path

import pytest

from tests.helpers import ROOT, script
from tests.mail.conftest import write_settings

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))
WIDTHS = {"mail-client": 600, "phone": 390}


def screenshot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="module")
def sent_html(tmp_path_factory):
    """The HTML part of the email a recipient of every theme gets for the bundled newest day."""
    tmp = tmp_path_factory.mktemp("mail")
    settings = write_settings(tmp, ROOT / "content")
    env = {"EMAIL_RECIPIENTS": "- email: ada@example.org\n", "SMTP_FROM": "Paper Digest <digest@example.org>"}
    argv = ["--settings", str(settings), "--state", str(tmp / "state.json"), "--dry-run", "--eml-dir", str(tmp / "eml")]
    assert script("email_digest").main(argv, env=env) == 0
    [eml] = (tmp / "eml").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    return message.get_body(("html",)).get_content()


@pytest.mark.parametrize("device", WIDTHS)
def test_the_sent_html_part_fits_a_mail_client_and_a_phone(chromium_browser, sent_html, device):
    width = WIDTHS[device]
    # As a mail client shows it: no scripts, and nothing fetched from anywhere.
    context = chromium_browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    requests = []
    context.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
    page = context.new_page()
    page.set_content(sent_html)
    assert requests == []  # no stylesheet, image or font to load
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    container = page.locator("table.container").bounding_box()
    assert container["width"] <= 600 and container["x"] >= 0
    assert page.locator("h1").inner_text() == "Papers of Friday 21 August 2026"
    # Inline styles did their work: the summary is readable, titles stand out as links.
    assert float(page.evaluate("getComputedStyle(document.querySelector('p.summary')).fontSize").rstrip("px")) >= 14
    assert page.evaluate("getComputedStyle(document.querySelector('p.title a')).fontWeight") == "700"
    screenshot(page, f"email-{device}")
    context.close()


def test_the_sites_copy_of_the_email_fits_too(chromium_browser, served_site):
    page = chromium_browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(served_site + "/2026/08/21/email.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_the_subscribe_page_copies_feed_addresses(chromium_browser, served_site):
    context = chromium_browser.new_context(permissions=["clipboard-read", "clipboard-write"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served_site + "/subscribe/")
    button = page.locator('button[data-copy="feed-all"]')
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.querySelector('button[data-copy=\"feed-all\"]').parentNode.querySelector('.copy-status').textContent === 'Copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == served_site + "/feeds/all.atom.xml"  # absolute, even on a local build
    screenshot(page, "subscribe-desktop")
    assert errors == []
    context.close()


def test_the_subscribe_page_on_a_phone_without_javascript(chromium_browser, served_site):
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "/subscribe/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The five sections of the navigation stay on one line.
    assert len({round(page.locator("header nav a").nth(i).bounding_box()["y"]) for i in range(5)}) == 1
    assert not page.locator("button.copy").first.is_visible()
    assert page.locator("#feed-daily").is_visible()
    assert page.locator('header nav a[aria-current="page"]').inner_text() == "Subscribe"
    screenshot(page, "subscribe-phone")
    context.close()
