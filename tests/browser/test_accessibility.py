"""Every page type of the site passes axe-core's accessibility rules with no serious or
critical violation, in the system Chromium, on the site built from every recorded day.

axe-core (axe-playwright-python bundles its ``axe.min.js``: nothing is fetched) runs its
rules, WCAG 2.x A/AA and best practices, on the page as a reader gets it: the home page, a
day (also with a theme of the theme filter chosen), a paper with math in its title and a
Hugging Face paper with code and project links, a theme and the list of themes, a week
and a month, the search page empty, with results and with none, the archives, About,
Subscribe, the 404 page and the site's copy of the daily email.  Each at a desktop's
1280x800; the day, both papers and the search also at a phone's 390x844; the day (with
and without a theme chosen) and the archives (its greyed-out days) also in dark mode,
whose colours are other custom properties of site.css.  axe checks colour contrast,
landmarks, ids, link and button names, list structure and ARIA; what only a person can
judge remains (focus order, reading order, what alternative texts say).  A serious or
critical violation fails the test with each rule's id, impact, help and first targets, so
a failure says what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FAILING_IMPACTS = ("serious", "critical")
# axe's default rule set (every rule but the experimental ones), and one experimental rule
# more: WCAG 2.5.3 "Label in Name" (a link's visible text is part of its name, so a speech
# user can say it), which this site's pages pass without a false positive.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
TARGETS_SHOWN = 3

DAY = "/2026/08/21/"
MATH_PAPER = "/papers/2406.14347/"  # `$…$` in its title: MathML
HF_PAPER = "/papers/2608.19880/"  # upvotes, organisation, code link via Hugging Face, project page
WEEK = "/weeks/2026-W34/"
MONTH = "/months/2026-08/"


def type_query(query: str):
    """Types ``query`` in the search box and waits until every shard has been searched."""

    def act(page):
        page.fill("#search-q", query)
        page.wait_for_function(
            "q => { const s = document.getElementById('search');"
            " return s.getAttribute('data-rendered') === q && s.getAttribute('data-complete') === 'true'; }",
            arg=query,
        )

    return act


def choose_first_theme(page):
    """Clicks the first theme of the day's theme filter (its chip pressed, a status, a button)."""
    page.locator("nav.theme-filter a[data-theme]").first.click()
    page.locator(".filter-status .filter-all").wait_for()


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    viewport: dict = field(default_factory=lambda: DESKTOP)
    color_scheme: str = "light"
    act: object = None  # what the reader does before axe runs: a function of the page

    @property
    def id(self) -> str:
        device = "phone" if self.viewport == PHONE else "desktop"
        return f"{self.name}-{device}" + ("-dark" if self.color_scheme == "dark" else "")


CASES = [
    Case("home", "/"),
    Case("day", DAY),
    Case("day", DAY, PHONE),
    Case("day", DAY, color_scheme="dark"),
    Case("day-theme-chosen", DAY, act=choose_first_theme),
    Case("day-theme-chosen", DAY, color_scheme="dark", act=choose_first_theme),
    Case("paper-math", MATH_PAPER),
    Case("paper-math", MATH_PAPER, PHONE),
    Case("paper-hf", HF_PAPER),
    Case("paper-hf", HF_PAPER, PHONE),
    Case("theme", "/themes/agents/"),
    Case("themes", "/themes/"),
    Case("week", WEEK),
    Case("month", MONTH),
    Case("search-empty", "/search/"),
    Case("search-empty", "/search/", PHONE),
    Case("search-results", "/search/", act=type_query("agent")),
    Case("search-results", "/search/", PHONE, act=type_query("agent")),
    Case("search-no-match", "/search/", act=type_query("zqxjvwk")),
    Case("archives", "/archives/"),
    Case("archives", "/archives/", color_scheme="dark"),
    Case("about", "/about/"),
    Case("subscribe", "/subscribe/"),
    Case("404", "/404.html"),
    Case("email", DAY + "email.html"),
]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(node["target"]) for node in v["nodes"][:TARGETS_SHOWN]]
        more = len(v["nodes"]) - len(targets)
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} elements: "
                     + ", ".join(targets) + (f", and {more} more" if more > 0 else "") + f"] {v['helpUrl']}")
    return "\n".join(lines)


def test_the_cases_are_pages_of_the_built_site(built_site):
    for case in CASES:
        path = case.path.lstrip("/")
        assert (built_site / path).is_file() or (built_site / path / "index.html").is_file(), case.path


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_no_serious_or_critical_accessibility_violation(chromium_browser, served_site, case):
    context = chromium_browser.new_context(viewport=case.viewport, color_scheme=case.color_scheme)
    # Thumbnails come from Hugging Face's CDN: never fetched (tests stay offline); the
    # empty box an image leaves changes no rule's outcome (alt="" is checked all the same).
    context.route(lambda url: not url.startswith(served_site + "/"), lambda route: route.abort())
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(served_site + case.path, wait_until="networkidle")
        assert response.ok, f"{case.path}: HTTP {response.status}"
        if case.act:
            case.act(page)
        results = Axe().run(page, options=AXE_OPTIONS).response
        assert errors == []
    finally:
        context.close()
    failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    if failing:  # the message alone: axe's whole result would bury it
        pytest.fail(f"axe-core {results['testEngine']['version']} on {case.path} ({case.id}):\n" + describe(failing), pytrace=False)
