"""The /search/ page in the system Chromium (Playwright), against the fixture site served on
127.0.0.1: what a reader types, sees and can do with the keyboard and the Back button."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from papers.store import ContentStore

pytestmark = pytest.mark.browser

NO_MATCH = "zqxjvwk"


@dataclass
class SearchPage:
    """A browser tab on the site that records JavaScript errors and dialogs."""

    page: object
    base_url: str
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)

    def open(self, query: str | None = None):
        url = f"{self.base_url}/search/"
        self.page.goto(url if query is None else url + "?q=" + query)

    def wait_for_results(self, query: str):
        """Until every shard has been searched for ``query``."""
        self.page.wait_for_function(
            "q => { const s = document.getElementById('search');"
            " return s.getAttribute('data-rendered') === q && s.getAttribute('data-complete') === 'true'; }",
            arg=query,
        )

    def type_query(self, query: str):
        self.page.fill("#search-q", query)
        self.wait_for_results(query)

    def result_ids(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#search-results li .search-meta", "els => els.map(e => e.textContent.match(/arXiv:(\\S+)/)[1])"
        )

    def status(self) -> str:
        return self.page.text_content("#search-status")


@pytest.fixture
def search_page(chromium_browser, served_site):
    context = chromium_browser.new_context()
    page = context.new_page()
    tab = SearchPage(page, served_site)
    # Every page names its icon, so Chromium asks for no /favicon.ico: any console error counts.
    page.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))

    def on_dialog(dialog):
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield tab
    context.close()
    assert tab.errors == [], "JavaScript errors on the search page"
    assert tab.dialogs == []


@pytest.fixture(scope="session")
def papers(replayed_content):
    store = ContentStore(replayed_content)
    return [store.load(arxiv_id) for arxiv_id in store.ids()]


def test_a_title_word_finds_its_paper(search_page):
    search_page.open()
    search_page.type_query("EnvHarness")
    assert search_page.result_ids()[0] == "2608.19880"
    first = search_page.page.locator("#search-results li a").first
    assert first.text_content() == "EnvHarness: Awakening Static Worlds for Agent Learning"
    assert first.get_attribute("href") == "/papers/2608.19880/"
    # Its upvotes, as its card shows them.
    assert search_page.page.locator("#search-results li .search-meta .upvotes").first.text_content() == "\u25b2\u00a0163"


def test_results_show_as_the_word_is_typed(search_page):
    search_page.open()
    search_page.page.focus("#search-q")
    search_page.page.keyboard.type("EnvHarn")  # a word not finished yet
    search_page.wait_for_results("EnvHarn")
    assert search_page.result_ids()[0] == "2608.19880"


@pytest.mark.parametrize("surname", ["Tutubalina", "Kuznetsov"])
def test_an_authors_surname_finds_their_papers(search_page, papers, surname):
    expected = {p.arxiv_id for p in papers if any(a.split()[-1] == surname for a in p.authors)}
    assert len(expected) >= 2
    search_page.open(surname)
    search_page.wait_for_results(surname)
    assert set(search_page.result_ids()[: len(expected)]) == expected


@pytest.mark.parametrize("query", ["Ošep", "osep", "OSEP"])
def test_accents_and_case_do_not_matter(search_page, query):
    # The browser must make the terms the build made: "Aljoša Ošep" is indexed as "osep".
    search_page.open(query)
    search_page.wait_for_results(query)
    assert search_page.result_ids()[:1] == ["2608.07408"]


def test_an_arxiv_id_finds_exactly_that_paper_first(search_page, papers):
    oldest = min(papers, key=lambda p: p.first_featured)
    for paper in (oldest, papers[len(papers) // 2]):
        search_page.open(paper.arxiv_id)
        search_page.wait_for_results(paper.arxiv_id)
        assert search_page.result_ids() == [paper.arxiv_id]
        assert search_page.page.locator("#search-results li a").first.text_content() == paper.title


def test_an_id_being_typed_lists_the_ids_it_starts(search_page, papers):
    search_page.open()
    search_page.type_query("2608.1988")
    ids = search_page.result_ids()
    assert "2608.19880" in ids
    assert all(i.startswith("2608.1988") for i in ids)


def test_no_match_says_so(search_page):
    search_page.open(NO_MATCH)
    search_page.wait_for_results(NO_MATCH)
    assert search_page.result_ids() == []
    assert search_page.status().startswith(f"No papers match “{NO_MATCH}”")


def test_a_query_is_shown_as_text_and_runs_nothing(search_page):
    query = "<script>window.__injected = 1</script><img src=x onerror=alert(1)>"
    search_page.page.goto(f"{search_page.base_url}/search/?q=" + query.replace("=", "%3D").replace(" ", "%20"))
    search_page.wait_for_results(query)
    assert search_page.page.input_value("#search-q") == query
    assert query in search_page.status()
    page = search_page.page
    assert page.evaluate("window.__injected") is None
    assert page.eval_on_selector_all("#search img, #search script", "els => els.length") == 0
    # Every script is one of the theme's files: none came from the query.
    sources = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
    assert {"lunr.min.js", "search.js"} <= {src.rsplit("/", 1)[-1] for src in sources}
    assert all(src.startswith(f"{search_page.base_url}/theme/js/") for src in sources)


def test_back_restores_the_previous_query(search_page):
    search_page.open("EnvHarness")
    search_page.wait_for_results("EnvHarness")
    search_page.type_query("Tutubalina")
    assert "q=Tutubalina" in search_page.page.url
    search_page.page.go_back()
    search_page.wait_for_results("EnvHarness")
    assert search_page.page.input_value("#search-q") == "EnvHarness"
    assert search_page.result_ids()[0] == "2608.19880"


def test_a_submitted_query_gets_its_own_history_entry(search_page):
    search_page.open()
    search_page.type_query("EnvHarness")
    search_page.page.press("#search-q", "Enter")
    search_page.type_query(NO_MATCH)
    search_page.page.go_back()
    search_page.wait_for_results("EnvHarness")
    assert search_page.page.url.endswith("/search/?q=EnvHarness")
    search_page.page.go_forward()
    search_page.wait_for_results(NO_MATCH)


def test_results_are_reachable_by_keyboard(search_page):
    search_page.open()
    search_page.type_query("Kuznetsov")
    page = search_page.page
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.className") == "search-title"
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.getAttribute('href')")
    assert second == page.locator("#search-results li a").nth(1).get_attribute("href")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-q"
    assert page.get_attribute("#search-status", "aria-live") == "polite"


def test_without_javascript_the_page_says_search_needs_it(chromium_browser, served_site):
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{served_site}/search/?q=EnvHarness")
        assert "Search needs JavaScript" in page.inner_text("main")
    finally:
        context.close()


def test_clearing_the_query_clears_the_results_and_the_url(search_page):
    search_page.open("EnvHarness")
    search_page.wait_for_results("EnvHarness")
    search_page.type_query("E")
    assert search_page.result_ids() == []
    assert search_page.status() == "Type at least 2 letters or an arXiv id."
    search_page.type_query("")
    assert search_page.status() == ""
    assert search_page.page.url.endswith("/search/")
