"""What the tests share: the recorded responses, replaying them through the fetch script,
building a site with the project's settings and Pelican class, strategies and checks.

Fixtures (``tests/conftest.py``) are built from these; test modules import them from here
and never from each other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

from bs4 import BeautifulSoup
from hypothesis import strategies as st
from papers.cleaning import FIRST_YEAR, LAST_YEAR, clean_text, utc_timestamp
from papers.model import UNATTRIBUTED_FIELDS, Paper
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HF_DAYS = sorted((FIXTURES / "hf_daily_papers").glob("*.json"))
# The recorded days the bundled content/ is made of (tests/fixtures/README.md): the 10
# latest, and 2024-06-21 for its `$…$` titles (the site's MathML on a fresh checkout).
BUNDLED_DAYS = ("2024-06-21", "2026-08-10", "2026-08-11", "2026-08-12", "2026-08-13", "2026-08-14",
                "2026-08-17", "2026-08-18", "2026-08-19", "2026-08-20", "2026-08-21")


@functools.cache
def script(name: str):
    """The command-line script ``scripts/<name>.py`` as a module (scripts are not part of
    the installed library: they are loaded from their file, as ``python scripts/x.py``)."""
    spec = importlib.util.spec_from_file_location(f"scripts.{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hf_fixture(day: str) -> Path:
    return FIXTURES / "hf_daily_papers" / f"{day}.json"


def hf_entries(day: str) -> list:
    return json.loads(hf_fixture(day).read_text(encoding="utf-8"))


def replay(content: Path, day: str, *, input_path: Path | None = None, source: str = "hf") -> int:
    """Run the fetch script's main() on a recorded response, as `--input` does."""
    return script("fetch").main(["--source", source, "--date", day, "--input", str(input_path or hf_fixture(day)), "--content", str(content)])


def site_settings(content: Path, output: Path, settings_file: str = "pelicanconf.py", **overrides) -> dict:
    """The project's settings for building ``content`` into ``output``."""
    override = {"PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(output.parent / f"{output.name}-cache"), **overrides}
    return read_settings(str(ROOT / settings_file), override=override)


def build_site(content: Path, output: Path, settings_file: str = "pelicanconf.py", **overrides) -> Path:
    """Build ``content`` with the project's settings into ``output``, as `make site` does:
    through the configured ``PELICAN_CLASS``."""
    settings = site_settings(content, output, settings_file, **overrides)
    settings["PELICAN_CLASS"](settings).run()
    return output


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def page_bibtex(page: Path) -> str | None:
    """The BibTeX entry a paper page shows (``pre#bibtex``) as text; None if it has none."""
    entry = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("pre#bibtex")
    return None if entry is None else entry.get_text()


class FakeClock:
    """A clock and ``sleep`` for the polite client: time passes only when it sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def hostile_day(tmp_path: Path) -> tuple[Path, list]:
    """A recorded day whose first entries are an attacker's: a path as id, front matter and
    markup in the title, markup and a javascript: link in the data, a bad count."""
    entries = hf_entries("2026-08-21")[:3]
    entries[0]["paper"]["id"] = "../../../../tmp/pwned"
    entries[1]["title"] = "Innocent\nstatus: draft\nsave_as: ../../evil.html\n---\n<script>alert(1)</script>"
    entries[1]["paper"]["summary"] = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) {filename}/../x \u202e\x00"
    entries[1]["paper"]["githubRepo"] = "javascript:alert(1)"
    entries[2]["paper"]["upvotes"] = "1; DROP TABLE"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path, entries


def walk_paper_theme_pages(site: Path, href: str) -> tuple[list[str], list[str]]:
    """From a paper theme's first page along the "older" links: (every page, every paper's day)."""
    pages, days, page = [], [], f"{href.strip('/')}/index.html"
    while page:
        pages.append(page)
        soup = soup_of(site, page)
        days += [t["datetime"] for t in soup.select("main .paper .meta time")]
        older = soup.select_one('.pagination a[rel="next"]')
        page = older["href"].strip("/") + "/index.html" if older else None
    return pages, days


def check_paper_theme_pages(site: Path, per_page: int) -> int:
    """Every paper theme's pages list each of its papers once, newest first; numbered pages
    hold ``per_page`` papers each, counted from the oldest.  Returns how many are numbered."""
    index = soup_of(site, "themes/index.html")
    entries = index.select("ul.theme-list > li")
    assert entries and entries[-1].h2.a["href"] == "/themes/other/"
    numbered = 0
    for entry in entries:
        href = entry.h2.a["href"]
        count = int(entry.select_one(".count").get_text().split()[0])
        assert entry.select_one(f'a[href="/feeds/themes/{href.split("/")[2]}.atom.xml"]')
        pages, days = walk_paper_theme_pages(site, href)
        assert len(days) == count and days == sorted(days, reverse=True), href
        expected = [f"{href.strip('/')}/page/{n}/index.html" for n in range(max(count // per_page - 1, 0), 0, -1)]
        assert pages[1:] == expected, href
        for page in expected:
            assert len(soup_of(site, page).select("main .paper")) == per_page
        numbered += len(expected)
    return numbered


# Any text at all, then cleaned the way the fetcher cleans it: the store must keep it exactly.
any_text = st.text(st.characters(codec="utf-8"), max_size=200)
titles = any_text.map(lambda t: clean_text(t, what="title")).filter(bool)
abstracts = any_text.map(lambda t: clean_text(t, what="abstract", multiline=True))
tricky = st.sampled_from(
    ["a: b", "---", "...", "{filename}/x.md", "|static|", "<script>alert(1)</script>", "$\\nabla^2$DFT",
     "[x](javascript:alert(1))", "yes", "null", "~", "0x1F", "'\"", "# not a heading", "- item", "é ü 中文 🤖"]
)
text_values = st.one_of(titles, tricky)
urls = st.sampled_from([None, "https://github.com/a/b", "https://x.org/?a=1&b=2#c:d"])


@st.composite
def paper_records(draw):
    """A `Paper` with any text the fetcher could store, from any mix of sources."""
    day = draw(st.dates(min_value=dt.date(FIRST_YEAR, 1, 1), max_value=dt.date(LAST_YEAR, 12, 31))).isoformat()
    paper = Paper(
        arxiv_id=draw(st.from_regex(r"\A[0-9]{4}\.[0-9]{4,5}\Z")),
        title=draw(text_values),
        authors=draw(st.lists(text_values, max_size=5)),
        abstract=draw(st.one_of(abstracts, tricky)),
        featured=sorted(set(draw(st.lists(st.just(day), min_size=1, max_size=1)))),
        sources=["hf"],
        published=day,
        categories=draw(st.lists(st.sampled_from(["cs.CL", "cs.AI", "math.AP", "hep-th", "q-bio.NC"]), max_size=3, unique=True)),
        arxiv_comment=draw(st.none() | text_values),
        journal_ref=draw(st.none() | text_values),
        doi=draw(st.none() | st.sampled_from(["10.1000/xyz123", "10.48550/arXiv.2608.00001"])),
        upvotes=draw(st.none() | st.integers(0, 10**6)),
        num_comments=draw(st.none() | st.integers(0, 10**4)),
        github_repo=draw(urls),
        github_stars=draw(st.none() | st.integers(0, 10**6)),
        project_page=draw(urls),
        ai_summary=draw(st.none() | text_values),
        ai_keywords=draw(st.lists(text_values, max_size=4)),
        organization=draw(st.none() | text_values),
    )
    # Any field may come from any source, including ones this version does not know.
    sources = st.sampled_from(["hf", "arxiv", "a: b", "{x}", "null"])
    named = {name: draw(sources) for name in paper.to_dict() if name not in UNATTRIBUTED_FIELDS}
    times = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.timezone.utc)).map(utc_timestamp)
    fetched = draw(st.dictionaries(sources, times, max_size=2))
    return dataclasses.replace(paper, provenance=named, fetched=fetched)


def catalog_entry(number: int, themes: list, upvotes: int | None = None, day: str = "2026-09-01"):
    """A catalogue entry as the listings see it, with arXiv-length texts."""
    arxiv_id = f"2609.{number:05d}"
    return SimpleNamespace(
        arxiv_id=arxiv_id, url=f"papers/{arxiv_id}/", upvotes=upvotes, featured=(day,), first_featured=day, themes=themes,
        title_text=f"A method for problem {number} that scales to very large models and datasets",
        summary_text="We propose a method that improves results on standard benchmarks while using less compute, and analyse why it works. " * 2,
        authors_short="Ada Lovelace, Grace Hopper, Alan Turing, Edsger Dijkstra, Barbara Liskov and 7 more",
        link=lambda siteurl: f"{siteurl}/papers/{arxiv_id}/",  # PaperEntry.link of a paper with its page
    )


def arxiv_day(count: int = 900):
    """One day of ``count`` arXiv papers (no upvotes) spread over every paper theme of
    themes.yml, and a few Hugging Face ones with upvotes (papers 0 to 14: 0 to 14)."""
    from papers.catalog.days import digest_days
    from papers.themes import load_paper_themes

    themes = load_paper_themes(ROOT / "themes.yml")
    entries = [catalog_entry(n, [themes[n % len(themes)], themes[(n * 7) % len(themes)]], upvotes=(n if n < 15 else None)) for n in range(count)]
    [day] = digest_days(entries, themes)
    return day
