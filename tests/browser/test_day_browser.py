"""A day's page as a Hugging Face Daily Papers reader uses it, in the system Chromium: the
top paper first, the first paper on a phone's first screen, the theme filter with and
without JavaScript, and the weekly tops.  Screenshots of the day, a paper, a week and the
search at desktop and phone widths are kept in ``test-artifacts/`` for a person to look at."""

from __future__ import annotations

import pytest

from tests.browser.test_email_browser import screenshot

pytestmark = pytest.mark.browser

DAY = "/2026/08/21/"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def upvotes(page, selector="main ol.ranked > li .upvotes"):
    return [int(text.replace("▲", "").strip()) for text in page.locator(selector).all_inner_texts()]


@pytest.fixture
def browse(chromium_browser):
    contexts = []

    def open_page(url, **options):
        context = chromium_browser.new_context(**options)
        contexts.append(context)
        # Thumbnails come from Hugging Face's CDN: not fetched here (tests stay offline).
        context.route("https://cdn-thumbnails.huggingface.co/**", lambda route: route.abort())
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("path", [DAY, "/"])
def test_the_first_card_is_the_days_most_upvoted_paper(browse, served_site, path):
    page = browse(served_site + path, viewport=SIZES["desktop"])
    votes = upvotes(page)
    assert votes[0] == max(votes) == 163 and votes == sorted(votes, reverse=True)
    assert page.locator("main li.paper").first.locator(".paper-title").inner_text().startswith("EnvHarness")


def test_on_a_phone_the_first_paper_is_on_the_first_screen(browse, served_site):
    page = browse(served_site + DAY, viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    first = page.locator("main li.paper").first.bounding_box()
    assert first["y"] + 120 < SIZES["phone"]["height"]  # its title and authors, not just its top edge
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"]
    assert page.errors == []


def test_the_theme_filter_filters_in_place_and_keeps_the_choice_in_the_address(browse, served_site):
    page = browse(served_site + DAY, viewport=SIZES["desktop"])
    cards = page.locator("main li.paper")
    total = cards.count()
    link = page.locator('nav.theme-filter a[data-theme="agents"]')
    count = int(link.locator(".count").inner_text())
    link.click()
    visible = page.locator("main li.paper:visible")
    assert visible.count() == count < total
    assert all("agents" in (visible.nth(i).get_attribute("data-themes") or "").split() for i in range(count))
    assert page.url.endswith("#theme=agents") and link.get_attribute("aria-pressed") == "true"
    assert page.locator(".filter-status").inner_text().startswith(f"{count} of {total} papers")
    page.reload()
    assert page.locator("main li.paper:visible").count() == count  # kept by the address
    page.get_by_role("button", name="Show all papers").click()
    assert page.locator("main li.paper:visible").count() == total and not page.url.endswith("#theme=agents")
    assert page.errors == []


def test_without_javascript_the_filter_links_to_the_themes_page(browse, served_site):
    page = browse(served_site + DAY, viewport=SIZES["desktop"], java_script_enabled=False)
    page.locator('nav.theme-filter a[data-theme="agents"]').click()
    page.wait_for_url("**/themes/agents/")
    assert page.locator("main h1").inner_text() == "Agents and tool use"


@pytest.mark.parametrize("path", ["/weeks/", "/months/"])
def test_week_and_month_pages_rank_by_upvotes(browse, served_site, path):
    page = browse(served_site + path, viewport=SIZES["desktop"])
    votes = upvotes(page, "main ol.ranked > li .upvotes")
    assert len(votes) > 10 and votes == sorted(votes, reverse=True)
    assert page.locator("main h1").inner_text().startswith("Top papers of ")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name,path", [("day", DAY), ("paper", "/papers/2608.19880/"), ("week", "/weeks/"), ("search", "/search/?q=agent")])
def test_screenshots_of_the_reading_pages(browse, served_site, name, path, size):
    page = browse(served_site + path, viewport=SIZES[size])
    if name == "search":
        page.wait_for_selector("#search-results li")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshot(page, f"{name}-{size}", full_page=False)  # the first screen, as a reader meets it
    assert page.errors == []
