"""Fuzz: random and hostile Hugging Face entries through fetch → store → build.

The hardening issue asks for "a fuzz test (hypothesis) that drives random and hostile
entries through fetch → store → build and asserts: no crash, every rejection named, no
markup or non-http(s) link from data in any page or feed, and nothing written outside the
content and output folders".  Each example:

1. starts from a content folder holding a few clean recorded papers (copied from one made
   once per module), then replays one or two days of entries through ``scripts/fetch.py``
   (in process, as ``make update`` runs it, from an empty working directory of its own).
   The entries are real recorded ones (tests/fixtures/hf_daily_papers) with any field made
   hostile: markup, Markdown and ``javascript:`` links, Pelican placeholders, front-matter
   breakers, TeX, path tricks for ids, odd code points (lone surrogates, bidi, NUL…), wrong
   JSON types, huge values, URLs of every scheme; or the whole body is hostile (not JSON,
   a scalar, nested too deeply, entries that are not objects);
2. builds the site with the publish settings (feeds included) into an output folder;
3. checks (``check_fetch_run``, ``check_store``, ``run_pipeline``'s snapshots, ``check_site``):

   - the fetch exits 0, 1 or 2, consistent with the one summary line it prints per day,
     and nothing is logged as an unexpected error (the fetcher's "a bug" paths);
   - the summary's "N rejected" is the number of "rejected" warnings, each naming the entry
     (its position) or the paper and what was wrong; every entry not rejected is stored;
   - every stored file reads back (``read_paper``), rewrites to itself, has only known
     metadata keys on their own lines, and the build made a page with its BibTeX entry;
   - after the fetch only content/ changed, after the build only output/ and the build's
     cache (``CACHE_PATH``, beside output/); content/ holds paper files only; nothing
     appeared where the hostile ids aim (the parents of the example, /tmp);
   - every HTML page: only the elements and attributes a clean build has (plus MathML's
     allowlist), no ``on*`` attribute, only the site's own scripts (and JSON-LD that parses
     and holds no ``<``), every URL attribute an http(s) URL or a fragment, no control or
     bidi characters; every feed (Atom, RSS, OPML, sitemap): well-formed, feedparser reads
     it without error, links http(s), entry HTML held to the same rules as pages; the
     search index is JSON whose records link to paper pages only; every BibTeX field holds
     only the fixed text escapes and allowlisted math commands (never ``^^``, ``\\input``,
     ``\\csname``, ``\\write``, ``\\catcode``, ``\\def``, ``\\immediate``, ``\\openout``).

``test_hostile_day_passes_the_same_checks`` runs the checks on the helpers' hostile day,
and ``test_the_checks_catch_injected_markup`` proves that they fail on a site into which a
script, a ``javascript:`` link, a TeX command and a front-matter breaker were injected.
``test_a_day_outside_the_archive_is_refused_or_stored_readably`` holds what the fuzz found
about ``--date`` (the fuzz itself only draws days inside the archive's years).

The parts are in ``tests/site/fuzz/``: ``values`` and ``inputs`` (the hostile values and the
strategies), ``pipeline`` (running an example), ``check_fetch``, ``check_output`` and
``check_bib``.

It takes about 40 s (60 examples) on two cores.  To hunt longer (about 0.6 s an example)::

    FUZZ_EXAMPLES=600 .venv/bin/pytest tests/site/test_fuzz_pipeline.py --hypothesis-show-statistics
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis.control import currently_in_test_context

from tests.helpers import HF_DAYS, build_site, hf_entries, hostile_day, replay
from tests.site.fuzz.check_fetch import FetchRun, check_fetch_run, check_store
from tests.site.fuzz.check_output import Baseline, check_site, collect_baseline
from tests.site.fuzz.inputs import Body, day_runs
from tests.site.fuzz.pipeline import Example, content_tree, run_pipeline
from tests.site.fuzz.values import SEED_COUNT, SEED_DAY, SETTINGS_FILE, SITEURL

# --------------------------------------------------------------------------------------
# Fixtures and tests
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Baseline:
    """What the templates produce: a clean build of every recorded day, same settings."""
    tmp = tmp_path_factory.mktemp("fuzz-baseline")
    content = tmp / "content"
    content.mkdir()
    # With one clean paper that has every optional field the fetcher keeps, so that every
    # construct of the templates is in the baseline (the "more authors" link, og:image…).
    rich = json.loads(json.dumps(hf_entries(SEED_DAY)[0]))
    rich["paper"].update(
        id="2608.99990",
        authors=[{"name": f"Author Number{n}"} for n in range(1_200)],  # more than a page lists
        projectPage="https://project.example/",
        githubRepo="https://github.com/a/b",
        githubStars=5,
        upvotes=7,
        ai_summary="A summary with $x^2$ and $$\\frac{a}{b}$$.",
        ai_keywords=["a", "b"],
        organization={"fullname": "Org", "name": "org-handle"},
    )
    rich.update(title="$\\alpha$-Net: $\\mathbb{R}^n$ and $\\sqrt{x}$", numComments=3, thumbnail="https://cdn.example/t.png")
    rich_day = tmp / "rich.json"
    rich_day.write_text(json.dumps([rich]), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        for day in HF_DAYS:
            assert replay(content, day.stem) == 0
        assert replay(content, "2026-08-22", input_path=rich_day) == 0
    output = build_site(content, tmp / "output", SETTINGS_FILE, SITEURL=SITEURL)
    found = collect_baseline(output)
    assert {"script", "a", "meta", "link"} <= found.elements and found.script_srcs and found.feed_elements
    assert all(src.startswith(f"{SITEURL}/theme/js/") for src in found.script_srcs)
    # The clean site passes its own checks: the checks hold hostile sites to its standard.
    assert check_site(output, content, found) == []
    return found


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    """A content folder with a few clean recorded papers (copied into every example)."""
    tmp = tmp_path_factory.mktemp("fuzz-seed")
    path = tmp / "seed.json"
    path.write_text(json.dumps(hf_entries(SEED_DAY)[:SEED_COUNT]), encoding="utf-8")
    content = tmp / "content"
    content.mkdir()
    with contextlib.redirect_stdout(io.StringIO()):
        assert replay(content, SEED_DAY, input_path=path) == 0
    assert check_store(content) == []
    return content


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def run_and_check(base: Path, seed: Path, baseline: Baseline, days: list[tuple[str, Body]]) -> Example:
    started = time.monotonic()
    example, problems = run_pipeline(base, seed, days)
    problems += check_site(example.output, example.content, baseline)
    log = []
    for run in example.runs:
        log.append(f"{run.day} {run.body!r}: exit {run.status}, stdout {run.stdout.strip()!r}")
        log += [f"  {level} {message[:300]}" for level, message, _trace in run.records]
    log.append(f"example took {time.monotonic() - started:.2f} s")
    if currently_in_test_context():
        for line in log:
            note(line)
        for run in example.runs:  # what the examples exercised (--hypothesis-show-statistics)
            event(f"exit {run.status}")
            event("some entries rejected" if "rejected entry" in " ".join(m for _, m, _ in run.records) else "no entry rejected")
        stored = " ".join(p.read_text(encoding="utf-8") for p in example.content.rglob("*.md"))
        event("markup stored as text" if re.search(r"<[a-z!/]", stored) else "no markup stored")
        shown = " ".join(p.read_text(encoding="utf-8") for p in (example.output / "papers").glob("*/index.html"))
        event("escaped markup on a paper page" if "&lt;" in shown else "no markup on the paper pages")
    assert not problems, "the fuzz found:\n" + "\n".join(problems[:40]) + "\n\nin the run:\n" + "\n".join(log[:60])
    return example


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(days=day_runs)
def test_hostile_entries_through_fetch_store_and_build(fuzz_base, seed, baseline, days):
    base = Path(tempfile.mkdtemp(dir=fuzz_base))
    run_and_check(base, seed, baseline, days)
    shutil.rmtree(base)  # kept when the example fails, for a look


def test_hostile_day_passes_the_same_checks(tmp_path, seed, baseline):
    """The helpers' hostile day through the same pipeline and checks: the checks run on
    hostile input, and what it holds is rejected and named, or stored as harmless text."""
    path, entries = hostile_day(tmp_path)
    body = Body(path.read_bytes(), json.loads(path.read_text(encoding="utf-8")), "hostile_day")
    example = run_and_check(tmp_path / "run", seed, baseline, [("2026-08-21", body)])
    [run] = example.runs
    assert run.status == 1 and run.stdout.strip().endswith("2 rejected")
    rejections = [m for _, m, _ in run.records if m.startswith("2026-08-21 hf: rejected ")]
    assert [r.split(":")[1].strip() for r in rejections] == ["rejected entry 1", "rejected entry 3"]
    page = (example.output / f"papers/{entries[1]['paper']['id']}/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as the text it is


def test_the_checks_catch_injected_markup(tmp_path, seed, baseline):
    """The checker fails on a site holding what data must never produce: it cannot pass by
    checking nothing."""
    content = tmp_path / "content"
    shutil.copytree(seed, content)
    output = build_site(content, tmp_path / "output", SETTINGS_FILE, SITEURL=SITEURL)
    assert check_site(output, content, baseline) == [] and check_store(content) == []
    [paper_id, *_] = sorted(p.stem for p in content.rglob("*.md"))
    page = output / f"papers/{paper_id}/index.html"
    html = page.read_text(encoding="utf-8")
    injections = {
        "<script>alert(1)</script>": "inline script",
        '<a href="javascript:alert(1)">x</a>': "not an http(s) URL",
        '<img src="https://x.example/a.png" onerror="alert(1)">': "event handler onerror",
        "<iframe src=https://x.example/></iframe>": "element <iframe>",
        "<svg><script>alert(1)</script></svg>": "element <svg>",
        '<script src="https://evil.example/x.js"></script>': "not the site's own",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">': "http-equiv",
        "<p>\u202eevil</p>": "bidi",
    }
    for injected, expected in injections.items():
        page.write_text(html.replace("</main>", injected + "</main>", 1), encoding="utf-8")
        problems = check_site(output, content, baseline)
        assert any(expected in p for p in problems), (injected, problems)
    page.write_text(html, encoding="utf-8")

    feed = output / "feeds/all.atom.xml"
    atom = feed.read_text(encoding="utf-8")
    for injected, expected in {
        "&lt;script&gt;alert(1)&lt;/script&gt;": "element <script>",
        "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;": "not an http(s) URL",
    }.items():
        feed.write_text(atom.replace("&lt;/p&gt;</summary>", injected + "&lt;/p&gt;</summary>", 1), encoding="utf-8")
        assert any(expected in p for p in check_site(output, content, baseline)), injected
    feed.write_text(atom.replace('<link href="https://', '<link href="javascript:alert(1)//', 1), encoding="utf-8")
    assert any("not an http(s) URL" in p for p in check_site(output, content, baseline))
    feed.write_text(atom, encoding="utf-8")

    page = output / f"papers/{paper_id}/index.html"
    html = page.read_text(encoding="utf-8")
    for injected in ("\\input{/etc/passwd}", "^^5cinput", "$\\csname x\\endcsname$", "\\immediate\\write18{x}"):
        page.write_text(html.replace("\n  title", f"\n  note          = {{{injected}}},\n  title", 1), encoding="utf-8")
        assert any("#bibtex" in p for p in check_site(output, content, baseline)), injected
    page.write_text(html, encoding="utf-8")

    # The fetch's checks: a rejection the log does not name, or names without saying why.
    body = Body(b"[{}, {}]", [{}, {}], "test")
    run = FetchRun(
        "2026-08-21",
        body,
        1,
        "2026-08-21 hf: 0 new, 0 updated, 0 unchanged, 2 rejected\n",
        "",
        [("WARNING", "2026-08-21 hf: rejected entry 1: entry has no 'paper' object", "")],
        {},
        {},
    )
    assert any("the log names 1" in p for p in check_fetch_run(run, content))
    run.records.append(("WARNING", "2026-08-21 hf: rejected something", ""))
    assert any("names neither an entry nor a paper" in p for p in check_fetch_run(run, content))
    run = dataclasses.replace(
        run,
        records=[("WARNING", "2026-08-21 hf: rejected entry 1: entry has no 'paper' object", "")],
        stdout="2026-08-21 hf: 0 new, 0 updated, 0 unchanged, 1 rejected\n",
    )
    assert any(
        "entry 2 ({}) was neither rejected nor stored" in p or "entry 2 (id None) was neither rejected nor stored" in p for p in check_fetch_run(run, content)
    )
    run = dataclasses.replace(run, records=[("ERROR", "2026-08-21 hf: rejected 2401.00001: unexpected TypeError storing it", "")])
    assert any("bug path" in p for p in check_fetch_run(run, content))

    stored = next(content.rglob("*.md"))
    text = stored.read_text(encoding="utf-8")
    stored.write_text(text.replace("\ntitle: ", "\nsave_as: ../../x.html\ntitle: ", 1), encoding="utf-8")
    assert check_store(content)
    stored.write_text(text, encoding="utf-8")
    (content / "stray.html").write_text("x", encoding="utf-8")
    assert any("not a paper file" in p for p in check_store(content))


@pytest.mark.parametrize("day", ["1990-12-31", "2101-01-01", "0206-08-21"])
def test_a_day_outside_the_archive_is_refused_or_stored_readably(tmp_path, seed, baseline, day):
    """A paper file can only hold days from FIRST_YEAR to LAST_YEAR (``papers.field_types``).
    Found by this fuzz test: a fetch for a day outside them (a typo: 0206-08-21) stored a
    file that the build then refused as unreadable.  The fetch refuses such a day, writing
    nothing (or, were that to change, what it stores must read back and be built)."""
    path = tmp_path / "day.json"
    path.write_text(json.dumps(hf_entries(SEED_DAY)[3:4]), encoding="utf-8")
    content = tmp_path / "content"
    shutil.copytree(seed, content)
    before = content_tree(content)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            status = replay(content, day, input_path=path)
        except SystemExit as exc:  # refused by the argument parser
            status = exc.code
    if status == 2:
        assert content_tree(content) == before, f"--date {day} was refused, but content changed"
        return
    problems = check_store(content)
    output = build_site(content, tmp_path / "output", SETTINGS_FILE, SITEURL=SITEURL)
    problems += check_site(output, content, baseline)
    assert not problems, f"fetch --date {day} exited {status} and stored what the build cannot read:\n" + "\n".join(problems)
