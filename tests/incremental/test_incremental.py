"""Incremental builds (plugins/incremental_writer, the paper catalogue of plugins/paper_pages)
give exactly the site a clean build gives, and do skip the work they can.

Each check builds the same content twice: "clean" into a fresh output and cache, and
"incremental" into an output and cache that earlier builds left behind; the two trees must
be byte-identical.  The changes between builds are the ones a maintainer makes: new days,
an edited template, an edited themes file.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from papers.catalog.related import CACHE_FILE as RELATED_CACHE
from tests.helpers import HF_DAYS, ROOT, build_site, replay

# The first days are built first, the last ones are added afterwards.
FIRST_DAYS = [p.stem for p in HF_DAYS[:-3]]
LATER_DAYS = [p.stem for p in HF_DAYS[-3:]]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def paper_pages(files) -> set[str]:
    return {name for name in files if name.startswith("papers/") and name.endswith("/index.html")}


def assert_same_tree(clean: Path, incremental: Path):
    expected, actual = tree(clean), tree(incremental)
    assert sorted(actual) == sorted(expected), "the incremental build has other files than a clean one"
    differing = [name for name in expected if expected[name] != actual[name]]
    assert not differing, f"{len(differing)} files differ from a clean build, e.g. {differing[:5]}"


class Site:
    """One content directory with its own copy of the theme and the themes file, so a test
    can edit them; ``build()`` builds clean or into the incremental output."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.content = tmp_path / "content"
        self.content.mkdir()
        self.theme = tmp_path / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        self.paper_themes_file = tmp_path / "themes.yml"
        shutil.copyfile(ROOT / "themes.yml", self.paper_themes_file)
        self.incremental = tmp_path / "incremental"
        self.clean_builds = 0

    def add_days(self, days):
        for day in days:
            assert replay(self.content, day) == 0

    def build(self, output: Path, **settings) -> Path:
        return build_site(self.content, output, THEME=str(self.theme), PAPER_THEMES_FILE=str(self.paper_themes_file), **settings)

    def build_clean(self, **settings) -> Path:
        """A build into a fresh output and cache, but for the related papers: a paper's are
        fixed when it is first built (papers.catalog.related), so a clean build shows the
        same ones only from the same lists.  tests/unit/test_related.py checks the lists."""
        self.clean_builds += 1
        output = self.tmp / f"clean-{self.clean_builds}"
        lists = self.tmp / "incremental-cache" / RELATED_CACHE
        if lists.exists():
            (self.tmp / f"{output.name}-cache").mkdir()
            shutil.copyfile(lists, self.tmp / f"{output.name}-cache" / RELATED_CACHE)
        return self.build(output, **settings)

    def build_incremental(self, **settings) -> Path:
        return self.build(self.incremental, **settings)

    def related_lists(self) -> dict[str, tuple]:
        """Each paper's related papers as the incremental build left them."""
        with open(self.tmp / "incremental-cache" / RELATED_CACHE, "rb") as f:
            return {arxiv_id: tuple(other for other, _ in found) for arxiv_id, found in pickle.load(f)["value"]["neighbours"].items()}


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def test_adding_days_gives_the_clean_build_and_rewrites_only_what_changed(site, count_paper_reads):
    site.add_days(FIRST_DAYS)
    first = site.build_incremental()
    before = mtimes(first)
    papers_before = paper_pages(before)
    assert papers_before

    # Nothing changed: no paper is read again, no paper page is rewritten.
    count_paper_reads.clear()
    site.build_incremental()
    assert count_paper_reads == []
    after = mtimes(site.incremental)
    assert {name: after[name] for name in papers_before} == {name: before[name] for name in papers_before}

    # New days: only the new and updated papers are read, the other pages stay untouched.
    ids_before = {p.stem: p.read_bytes() for p in site.content.rglob("*.md")}
    site.add_days(LATER_DAYS)
    changed = {p.stem for p in site.content.rglob("*.md") if ids_before.get(p.stem) != p.read_bytes()}
    assert changed
    related_before = site.related_lists()
    count_paper_reads.clear()
    site.build_incremental()
    assert {Path(p).stem for p in count_paper_reads} == changed
    after = mtimes(site.incremental)
    # An old paper's page shows other related papers only when a new or changed paper is
    # now among its nearest, or was.
    related_after = site.related_lists()
    new_related = {arxiv_id for arxiv_id in ids_before if related_before[arxiv_id] != related_after[arxiv_id]} - changed
    assert new_related
    for arxiv_id in new_related:  # (or names the same ones, nearly tied, in another order)
        named = set(related_before[arxiv_id]) | set(related_after[arxiv_id])
        assert named & changed or set(related_before[arxiv_id]) == set(related_after[arxiv_id])
    assert len(new_related) < len(ids_before) - len(changed)
    untouched = {f"papers/{arxiv_id}/index.html" for arxiv_id in ids_before.keys() - changed - new_related}
    assert untouched
    kept = {name for name in untouched if after[name] == before[name]}
    # A page is rewritten only when something it shows changed (its themes may have moved
    # with the new papers only if the themes file changed, which it did not).
    assert kept == untouched

    assert_same_tree(site.build_clean(), site.incremental)


def test_numbered_paper_theme_pages_stay_as_they_are_when_days_are_added(site):
    from tests.helpers import check_paper_theme_pages

    site.add_days(FIRST_DAYS)
    site.build_incremental(DEFAULT_PAGINATION=5)
    assert check_paper_theme_pages(site.incremental, per_page=5) > 20
    before = tree(site.incremental)
    numbered = {name for name in before if "/page/" in name}
    files_before = {p.stem: p.read_bytes() for p in site.content.rglob("*.md")}

    site.add_days(LATER_DAYS)
    site.build_incremental(DEFAULT_PAGINATION=5)
    check_paper_theme_pages(site.incremental, per_page=5)
    after = tree(site.incremental)
    updated = {p.stem for p in site.content.rglob("*.md") if p.stem in files_before and files_before[p.stem] != p.read_bytes()}
    newest = {}
    for name in numbered:
        theme, number = re.match(r"themes/([^/]+)/page/(\d+)/", name).groups()
        newest[theme] = max(newest.get(theme, 0), int(number))
    # A numbered page changes only when it is its theme's newest (its "newer" link, when a
    # page was added) or lists a paper whose file the new days updated.
    for name in numbered:
        if after[name] != before[name]:
            theme, number = re.match(r"themes/([^/]+)/page/(\d+)/", name).groups()
            listed = set(re.findall(rb'href="/papers/([^/]+)/"', before[name] + after[name]))
            assert int(number) == newest[theme] or {i.decode() for i in listed} & updated, name
    assert sum(after[name] != before[name] for name in numbered) < len(numbered) / 4
    assert_same_tree(site.build_clean(DEFAULT_PAGINATION=5), site.incremental)


def test_a_template_change_rerenders_every_page(site):
    site.add_days(FIRST_DAYS)
    site.build_incremental()
    page = next((site.incremental / "papers").glob("*/index.html"))
    assert "<!-- edited template -->" not in page.read_text(encoding="utf-8")

    base = site.theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- edited template -->\n</body>"), encoding="utf-8")
    site.build_incremental()
    assert "<!-- edited template -->" in page.read_text(encoding="utf-8")
    assert_same_tree(site.build_clean(), site.incremental)


def test_a_paper_themes_change_rerenders_the_pages_it_affects(site):
    site.add_days(FIRST_DAYS + LATER_DAYS)
    site.build_incremental()
    text = site.paper_themes_file.read_text(encoding="utf-8")
    # Rename the first theme: every page that names it (and the theme lists) must follow.
    renamed = "Renamed Theme For The Test"
    edited = re.sub(r"^(\s*-\s*name:).*$", rf"\1 {renamed}", text, count=1, flags=re.M)
    assert edited != text
    site.paper_themes_file.write_text(edited, encoding="utf-8")
    site.build_incremental()
    assert any(renamed in p.read_text(encoding="utf-8") for p in (site.incremental / "papers").glob("*/index.html"))
    assert_same_tree(site.build_clean(), site.incremental)


def test_pages_no_longer_produced_are_removed(site):
    site.add_days(FIRST_DAYS + LATER_DAYS)
    site.build_incremental()
    # A smaller page size splits the listings into more pages; going back leaves the extra
    # pages orphaned unless the writer removes them.
    site.build_incremental(DEFAULT_PAGINATION=2)
    site.build_incremental()
    assert_same_tree(site.build_clean(), site.incremental)


def test_an_interrupted_build_is_followed_by_a_full_one(site, monkeypatch):
    from papers.build import writer as incremental_writer

    site.add_days(FIRST_DAYS)
    site.build_incremental()
    manifest = Path(f"{site.incremental}-cache") / incremental_writer.MANIFEST_NAME
    assert manifest.is_file()

    def crash(writer):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(incremental_writer.IncrementalWriter, "finish", crash)
    site.add_days(LATER_DAYS[:1])  # an input changed: the build runs
    with pytest.raises(RuntimeError):
        site.build_incremental()
    # The manifest is gone while the output may disagree with it.
    assert not manifest.exists()
    monkeypatch.undo()
    site.build_incremental()
    assert manifest.is_file()
    assert_same_tree(site.build_clean(), site.incremental)


def test_the_paper_catalogue_is_derived_again_only_when_what_it_is_made_of_changes(site, count_paper_reads):
    site.add_days(FIRST_DAYS)
    site.build_incremental()
    papers = {p.stem for p in site.content.rglob("*.md")}

    # A setting no entry depends on: every entry comes from the catalogue's cache, and the
    # pages that show the setting are rendered again.
    edited = {"SITESUBTITLE": "Edited subtitle"}
    count_paper_reads.clear()
    site.build_incremental(**edited)
    assert count_paper_reads == []
    assert_same_tree(site.build_clean(**edited), site.incremental)

    # The paper themes file (even a comment): every paper is matched again.
    site.paper_themes_file.write_text(site.paper_themes_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    count_paper_reads.clear()
    site.build_incremental(**edited)
    assert {Path(p).stem for p in count_paper_reads} == papers

    # New modification times with the same bytes (a fresh checkout): nothing is parsed.
    for path in site.content.rglob("*.md"):
        os.utime(path, ns=(1, 1))
    count_paper_reads.clear()
    site.build_incremental(**edited)
    assert count_paper_reads == []


def build_in_process(content: Path, output: Path, hash_seed: int) -> Path:
    """A build by the command line in its own interpreter, with its own string hashing."""
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py", "-o", str(output), "--cache-path", f"{output}-cache", "-q"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    return output


def test_builds_in_other_processes_agree_and_skip_what_did_not_change(site):
    """Pages a build leaves on disk were rendered by an earlier process: nothing a page
    shows (nor its key) may depend on set or dict order, which differs between processes."""
    site.add_days(FIRST_DAYS)
    first = build_in_process(site.content, site.tmp / "first", hash_seed=1)
    other = build_in_process(site.content, site.tmp / "other", hash_seed=2)
    assert_same_tree(first, other)

    before = mtimes(first)
    build_in_process(site.content, first, hash_seed=3)
    rewritten = {name for name, mtime in mtimes(first).items() if before.get(name) != mtime}
    keyed_pages = {name for name in before if name.endswith(".html") and not name.startswith("search/")}
    assert not rewritten & keyed_pages, sorted(rewritten & keyed_pages)[:5]


def test_a_build_with_no_input_changed_does_nothing(site):
    site.add_days(FIRST_DAYS)
    output = site.build_incremental()
    before = mtimes(output)
    site.build(output)
    assert mtimes(output) == before  # not one file written, not even the theme's static files

    # Each input counts: the paper themes file, a deleted output file, new content.
    site.paper_themes_file.write_text(site.paper_themes_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    site.build(output)
    assert mtimes(output) != before
    removed = next(iter(paper_pages(before)))
    (output / removed).unlink()
    site.build(output)
    assert (output / removed).is_file()
    site.add_days(LATER_DAYS)
    site.build(output)
    assert_same_tree(site.build_clean(), output)


def test_feed_entries_stay_cached_through_a_build_that_writes_no_feed(site):
    import pickle

    site.add_days(FIRST_DAYS)
    site.build_incremental()
    cache_file = Path(f"{site.incremental}-cache") / "paper-feed-items.pickle"
    first = pickle.loads(cache_file.read_bytes())["value"]
    assert first
    site.build_incremental()  # nothing changed: no feed is written
    assert pickle.loads(cache_file.read_bytes())["value"] == first
    site.add_days(LATER_DAYS)
    site.build_incremental()
    assert_same_tree(site.build_clean(), site.incremental)


def test_a_paper_file_that_cannot_be_read_is_reported_and_left_out(site, caplog):
    site.add_days(FIRST_DAYS[:2])
    papers = sorted(site.content.rglob("*.md"))
    broken, not_utf8, not_paper = papers[:3]
    broken.write_text(broken.read_text(encoding="utf-8").replace("arxiv_id:", "arxiv_id: [", 1), encoding="utf-8")
    not_utf8.write_bytes(not_utf8.read_bytes() + b"\xff\xfe")
    not_paper.write_text("# Just some Markdown\n", encoding="utf-8")
    output = site.build_incremental()
    for path in (broken, not_utf8, not_paper):
        assert f"Skipped {path}" in caplog.text
        assert not (output / "papers" / path.stem).exists()
    assert "not UTF-8 text" in caplog.text and "not a paper file" in caplog.text
    assert len(list((output / "papers").glob("*/index.html"))) == len(papers) - 3


def test_pages_written_by_child_processes_are_a_clean_builds_and_their_failure_fails_the_build(site, monkeypatch):
    from papers.build import background
    from papers.build import writer as incremental_writer
    from papers.catalog import entries

    site.add_days(FIRST_DAYS)
    serial = site.build_clean(BUILD_PROCESSES=1)
    monkeypatch.setattr(background, "MIN_BACKGROUND_MS", 0)  # every page forked
    assert_same_tree(serial, site.build_incremental(BUILD_PROCESSES=2))

    site.add_days(LATER_DAYS)

    def broken(paper):
        raise ValueError("a paper that cannot be rendered")

    monkeypatch.setattr(entries, "bibtex_entry", broken)  # shown by paper pages only
    with pytest.raises(RuntimeError, match="in the background failed"):
        site.build_incremental(BUILD_PROCESSES=2)
    # The manifest is gone: the next build renders every page again.
    assert not (Path(f"{site.incremental}-cache") / incremental_writer.MANIFEST_NAME).exists()
    monkeypatch.undo()
    site.build_incremental()
    assert_same_tree(site.build_clean(), site.incremental)


def test_listings_and_feeds_written_from_a_child_process_are_claimed_checked_and_fail_the_build(site, monkeypatch):
    """Listings and feeds are keyed and written in a child (``IncrementalWriter.in_child``):
    the build still knows them (a page it no longer writes is deleted, a skipped page whose
    file went missing is written again) and fails with them."""
    import digest_pages.generator as digest_generator

    site.add_days(FIRST_DAYS)
    output = site.build_incremental(BUILD_PROCESSES=2)
    day_page = next(iter(sorted(output.glob("20*/*/*/index.html"))))
    day_page.unlink()
    (output / "feeds" / "all.atom.xml").unlink()
    site.add_days(LATER_DAYS)
    site.build(output, BUILD_PROCESSES=2)
    assert day_page.is_file() and (output / "feeds" / "all.atom.xml").is_file()
    assert_same_tree(site.build_clean(BUILD_PROCESSES=1), output)

    def broken(days):
        raise ValueError("a listing that cannot be made")

    monkeypatch.setattr(digest_generator, "archive_months", broken)
    site.paper_themes_file.write_text(site.paper_themes_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="in the background failed"):
        site.build(output, BUILD_PROCESSES=2)


def test_page_states_change_with_the_code_that_reads_papers(site, monkeypatch):
    """Caches keyed by page_state (feed entries, search shards) must not outlive a change to
    the code that reads and renders papers, though the paper files did not change."""
    from papers.catalog import cache as catalog
    from papers.themes import load_paper_themes

    site.add_days(FIRST_DAYS[:2])
    themes = load_paper_themes(site.paper_themes_file)

    def page_states(cache):
        entries = catalog.load_entries(str(site.content), str(cache), themes, paper_themes_file=str(site.paper_themes_file), url_format="papers/{slug}/")
        return {e.arxiv_id: e.page_state for e in entries}

    before = page_states(site.tmp / "c1")
    assert page_states(site.tmp / "c2") == before  # same code, same files: same states
    original = catalog.code_version
    monkeypatch.setattr(catalog, "code_version", lambda *args: original(*args) + "-edited")
    after = page_states(site.tmp / "c3")
    assert after.keys() == before.keys() and all(after[i] != before[i] for i in before)


def test_the_catalogue_rewrites_only_the_months_whose_papers_changed(site, count_paper_reads):
    """A new day rewrites its month's cache file only; a damaged month file costs that
    month's papers being derived again, not the rest."""
    from papers.catalog import cache as catalog
    from papers.themes import load_paper_themes

    themes = load_paper_themes(site.paper_themes_file)
    cache = site.tmp / "cache"

    def load():
        return catalog.load_entries(str(site.content), str(cache), themes, paper_themes_file=str(site.paper_themes_file), url_format="papers/{slug}/")

    site.add_days(FIRST_DAYS)
    first = {e.arxiv_id: e.page_state for e in load()}
    folder = cache / catalog.CACHE_FOLDER
    months = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert sorted(months) == sorted({f"{d[:7]}.pickle" for d in FIRST_DAYS})

    files_before = {p.stem: p.read_bytes() for p in site.content.rglob("*.md")}
    site.add_days(LATER_DAYS[:1])
    new_month = f"{LATER_DAYS[0][:7]}.pickle"
    entries = load()
    rewritten = {p.name for p in folder.iterdir() if months.get(p.name) != (p.stat().st_ino, p.stat().st_mtime_ns)}
    assert rewritten == {new_month}
    unchanged = {p.stem for p in site.content.rglob("*.md") if files_before.get(p.stem) == p.read_bytes()}
    assert {e.arxiv_id: e.page_state for e in entries if e.arxiv_id in unchanged} == {i: first[i] for i in unchanged}

    (folder / new_month).write_bytes(b"not a pickle")
    count_paper_reads.clear()
    again = load()
    assert count_paper_reads and all(Path(p).parts[-4:-2] == tuple(LATER_DAYS[0][:7].split("-")) for p in count_paper_reads)
    assert [e.page_state for e in again] == [e.page_state for e in entries]


@given(st.text(alphabet="ab./\\\0", max_size=12))
@example("papers/2608.00001/index.html")
@example("a/../../b")
def test_output_paths_are_the_ones_pelican_writes_to(tmp_path_factory, name):
    """The writer's quick path for plain names gives what Pelican's ``sanitised_join``
    gives, and refuses what it refuses."""
    from papers.build.writer import IncrementalWriter
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import sanitised_join

    root = tmp_path_factory.getbasetemp() / "output"
    writer = IncrementalWriter(str(root), settings={**DEFAULT_CONFIG, "CACHE_PATH": str(root.parent / "cache")})
    try:
        expected = sanitised_join(str(root), name)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            writer._output_file(name)
    else:
        assert writer._output_file(name) == expected


def test_the_catalogue_finds_the_same_paper_files_in_the_builds_scan_as_on_its_own(site, monkeypatch):
    """Hidden files (an atomic write's temporary file), files at another depth and other
    extensions are not paper files, whether the build scanned the content or not."""
    from papers.build.scan import ContentScan
    from papers.catalog import cache as catalog

    site.add_days(FIRST_DAYS[:2])
    day = next(site.content.glob("papers/*/*/*"))
    (day / ".2608.00001.md.tmp").write_text("x", encoding="utf-8")
    (day / ".hidden.md").write_text("x", encoding="utf-8")
    (day / "notes.txt").write_text("x", encoding="utf-8")
    (day.parent / "2608.00002.md").write_text("x", encoding="utf-8")
    (site.content / "pages").mkdir()
    (site.content / "pages" / "about.md").write_text("x", encoding="utf-8")

    on_its_own = catalog.paper_files(str(site.content))
    assert catalog.paper_files(str(site.content), ContentScan.of(str(site.content))) == on_its_own
    assert len(on_its_own) == len(list(site.content.glob("papers/*/*/*/[!.]*.md")))


def test_a_build_after_the_output_folder_was_removed_writes_every_page(site, capsys):
    site.add_days(FIRST_DAYS[:3])
    site.build_incremental()
    shutil.rmtree(site.incremental)  # the cache stays
    capsys.readouterr()
    site.build_incremental()
    assert ", 0 unchanged since the last build" in capsys.readouterr().out
    assert_same_tree(site.build_clean(), site.incremental)


def test_a_paper_the_catalogue_parses_is_the_paper_its_page_reads(site):
    """The catalogue hands the papers it parses to the pages (not read again), so it must
    read them as ``read_paper`` does, line endings included."""
    from papers.catalog import cache as catalog
    from papers.paperfile import read_paper
    from papers.themes import load_paper_themes

    site.add_days(FIRST_DAYS[:1])
    files = sorted(site.content.rglob("*.md"))
    files[0].write_bytes(files[0].read_bytes().replace(b"\n", b"\r\n"))
    files[1].write_bytes(files[1].read_bytes().replace(b"\n", b"\r"))
    themes = load_paper_themes(site.paper_themes_file)
    entries = catalog.load_entries(str(site.content), str(site.tmp / "cache"), themes, paper_themes_file=str(site.paper_themes_file), url_format="papers/{slug}/")
    assert len(entries) == len(files)
    for entry in entries:
        assert "paper" in vars(entry)  # handed over, not to be read again
        assert entry.paper == read_paper(entry.source_path)
