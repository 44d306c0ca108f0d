"""Measure the search of a built site in headless Chromium: what a reader waits for.

Run by ``invoke bench`` (``scripts/bench.py`` calls ``measure_search`` at 1x, 2x and 4x
the archive) or by hand on any built site::

    python scripts/search_bench.py output/

It serves the site on 127.0.0.1 and drives the system Chromium through Playwright:

- bytes before the first results: a fresh browser opens ``/search/?q=<query>``; every file
  it had received when the first result showed (page, CSS, scripts, manifest, shards) is
  counted as stored and as gzip (level 6, what a static host sends);
- time to first result: on a loaded ``/search/`` page the query is typed key by key; the
  time from the last key to the first result shown for the whole query, and to the
  complete results (every shard the query needs searched, older ones fetched on the way).

Each is taken for several queries (some title words, a surname, the newest and the oldest
paper's arXiv id); the median and the worst are reported.
"""

from __future__ import annotations

import gzip
import json
import statistics
from pathlib import Path
from urllib.parse import unquote, urlsplit

from papers.browser import chromium, serve

WORD_QUERIES = ("diffusion", "reasoning", "video generation", "agent", "Wang")
TIMEOUT_MS = 120_000

# Installed before the page's own scripts: notes which files had arrived when the first
# search result appeared, and when the first result for window.__benchQuery appeared.
PROBE_JS = """
window.__bench = {firstResources: null, key: null, first: null, complete: null};
new MutationObserver(function () {
  var root = document.getElementById("search");
  var shown = document.querySelector("#search-results li");
  if (!shown || !root) return;
  if (window.__bench.firstResources === null) {
    window.__bench.firstResources = [location.href].concat(
      performance.getEntriesByType("resource").filter(function (e) { return e.responseEnd > 0; })
        .map(function (e) { return e.name; }));
  }
  if (window.__benchQuery !== undefined && root.getAttribute("data-rendered") === window.__benchQuery) {
    if (window.__bench.first === null) window.__bench.first = performance.now();
    if (window.__bench.complete === null && root.getAttribute("data-complete") === "true") {
      window.__bench.complete = performance.now();
    }
  }
}).observe(document, {childList: true, subtree: true, attributes: true});
document.addEventListener("keydown", function () { window.__bench.key = performance.now(); }, true);
"""


def local_file(output_dir: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path).lstrip("/")
    return output_dir / (path + "index.html" if path.endswith("/") or not path else path)


def payload(output_dir: Path, urls: list[str]) -> dict:
    """Stored and gzip bytes of the files behind ``urls`` (each counted once)."""
    files = {local_file(output_dir, url) for url in urls}
    data = [f.read_bytes() for f in sorted(files) if f.is_file()]
    return {
        "files": len(data),
        "bytes": sum(map(len, data)),
        "gzip_bytes": sum(len(gzip.compress(d, compresslevel=6, mtime=0)) for d in data),
    }


def default_queries(output_dir: Path) -> list[str]:
    """Title words, a surname, and the arXiv ids of the newest and the oldest paper."""
    manifest = json.loads((output_dir / "search" / "manifest.json").read_text(encoding="utf-8"))
    shards = manifest["shards"]
    newest = json.loads((output_dir / "search" / shards[0]["meta"]).read_text(encoding="utf-8"))
    oldest = json.loads((output_dir / "search" / shards[-1]["meta"]).read_text(encoding="utf-8"))
    return [*WORD_QUERIES, newest["records"][0][0], oldest["records"][-1][0]]


def bytes_before_first_result(browser, base_url: str, output_dir: Path, query: str) -> dict:
    context = browser.new_context()  # a fresh profile: nothing cached
    try:
        page = context.new_page()
        page.add_init_script(PROBE_JS)
        page.goto(f"{base_url}/search/?q={query}")
        page.wait_for_function("window.__bench.firstResources !== null", timeout=TIMEOUT_MS)
        return payload(output_dir, page.evaluate("window.__bench.firstResources"))
    finally:
        context.close()


def time_to_results(browser, base_url: str, query: str) -> tuple[float, float]:
    """Milliseconds from the query's last key to its first result and to its complete results."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(PROBE_JS)
        page.goto(f"{base_url}/search/")
        page.wait_for_selector("#search[data-state=ready]", timeout=TIMEOUT_MS)
        page.evaluate("q => { window.__benchQuery = q; }", query)
        page.focus("#search-q")
        page.keyboard.type(query)
        page.wait_for_function("window.__bench.complete !== null", timeout=TIMEOUT_MS)
        return page.evaluate("[window.__bench.first - window.__bench.key, window.__bench.complete - window.__bench.key]")
    finally:
        context.close()


def measure_search(output_dir, queries: list[str] | None = None) -> dict:
    """For a built site: bytes (stored, gzip) before the first results and milliseconds from
    a keystroke to the first result, per query, with medians and worst cases."""
    output_dir = Path(output_dir)
    queries = queries or default_queries(output_dir)
    manifest_dir = output_dir / "search"
    shards = json.loads((manifest_dir / "manifest.json").read_text(encoding="utf-8"))["shards"]
    result = {
        "papers": sum(s["papers"] for s in shards),
        "shards": len(shards),
        "all_meta_shards": payload(output_dir, [f"/search/{s['meta']}" for s in shards]),
        "all_text_shards": payload(output_dir, [f"/search/{s['text']}" for s in shards]),
        "queries": {},
    }
    with serve(output_dir) as base_url, chromium() as browser:
        for query in queries:
            first_ms, complete_ms = time_to_results(browser, base_url, query)
            result["queries"][query] = {
                "before_first_result": bytes_before_first_result(browser, base_url, output_dir, query),
                "first_result_ms": round(first_ms, 1),
                "complete_results_ms": round(complete_ms, 1),
            }
    measured = list(result["queries"].values())
    gz = [m["before_first_result"]["gzip_bytes"] for m in measured]
    raw = [m["before_first_result"]["bytes"] for m in measured]
    ms = [m["first_result_ms"] for m in measured]
    result.update(
        bytes_before_first_result_median=statistics.median(raw),
        gzip_bytes_before_first_result_median=statistics.median(gz),
        gzip_bytes_before_first_result_max=max(gz),
        first_result_ms_median=statistics.median(ms),
        first_result_ms_max=max(ms),
        complete_results_ms_median=statistics.median(m["complete_results_ms"] for m in measured),
    )
    return result
