#!/usr/bin/env python3
"""Benchmark the site build against stock Pelican at archive scale (issue 7).

Run by hand (``invoke bench`` or ``make bench``) before and after a change that may cost
build time; it takes minutes at full scale, so run it in the background and read the log.
For each scale (1x, 2x, 4x the archive) it:

1. imports the archive (``../shared/corpus/hf_daily_papers_archive.jsonl.gz``, one API
   response a day) through the fetch code path into a temporary content directory, holding
   the last day back; copies beyond 1x are the same papers under new arXiv ids (the year
   part moved into an unused range) on days moved into the past, so the archive grows the
   way a real one does: more days, same papers a day;
2. builds our site cold, again with nothing changed, once more with every step run (its
   record of the last build removed: no "nothing changed" shortcut), then adds the
   held-back day (~20 papers) and rebuilds;
3. builds stock Pelican (default theme, no plugins, ``DEFAULT_PAGINATION = 20``, content
   cache on, everything else at its defaults) from the same papers as plain Markdown
   articles (Title, Date, Slug, the abstract as body), cold and after adding the day;
4. measures the search payload (``papers.search_measure``, as ``scripts/search_bench.py`` does).

Every build runs in its own process, in a folder in memory (``/dev/shm``; see
``memory_folder``); its wall time and peak memory (max RSS) are measured.  The builds the
targets compare run ``--repeat`` times (default 3), ours and stock Pelican's in turn, each
from the same starting state, and the median run counts (see ``bench_scale``).
It prints a table as it goes and writes JSON with the ratios against stock Pelican and the
targets of issue 7, each with pass or fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from papers.browser import BrowserMissing
from papers.build.incremental import BUILD_STAMP_NAME
from papers.corpus import DEFAULT_CORPUS, read_days
from papers.fetching import fetch_day
from papers.layout import PAPER_GLOB, PAPERS_DIR
from papers.cleaning import ARXIV_ID_RE
from papers.paperfile import parse_paper
from papers.search_measure import measure_search
from papers.sources.config import load_sources_config
from papers.store import ContentStore, atomic_write

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "sources.yml"

DEFAULT_OUT = ROOT / "bench-results" / f"bench-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}.json"
QUICK_DAYS = 30  # --quick: the archive's last days only, a run of a minute or two
# Copy k of the archive is moved 117*k weeks into the past (the archive spans ~117 weeks):
# weekdays are kept and copies never share a day.  Its ids get 20*k added to their year
# part (arXiv's new-style ids run from 07 to 26 today), so copies never share an id.
COPY_SHIFT = dt.timedelta(weeks=117)
COPY_ID_YEARS = 20
GNU_TIME = "/usr/bin/time"  # Debian package "time"
RAM_FOLDER = "/dev/shm"
MAX_SCALE = 4  # 26 + 20*3 = 86: one more copy would leave the two-digit year

STOCK_SETTINGS = """\
# Stock Pelican for the benchmark: default theme, no plugins, everything at Pelican's
# defaults except the pagination the issue names and the content cache.
SITENAME = "Stock Pelican"
TIMEZONE = "UTC"
DEFAULT_PAGINATION = 20
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""

# Issue 7's targets: (key, description, limit); each value must be at most its limit.
TARGETS = [
    ("cold_vs_stock_cold", "our cold build / stock Pelican cold build", 0.5),
    ("one_day_vs_cold", "our rebuild after one more day / our cold build", 0.15),
    ("unchanged_vs_cold", "our rebuild with nothing changed / our cold build", 0.10),
    ("peak_memory_gb_at_4x", "peak memory of our build at 4x the archive (GB)", 1.0),
    ("cold_4x_vs_1x", "our cold build at 4x / at 1x", 4.4),
]

log = logging.getLogger("bench")


def memory_folder() -> str | None:
    """A folder in memory (tmpfs) for the builds, when the machine has one.

    Both our builds and stock Pelican's write tens of thousands of files.  On the
    development VM the disk is rate-limited: creating the same 8,000 files took from 2 to
    13 s depending on what had been written before, so builds on disk measure the disk's
    recent history more than the build.  In memory both sides pay only for their own work
    (``--workdir`` measures on any disk).
    """
    return RAM_FOLDER if os.path.isdir(RAM_FOLDER) and os.access(RAM_FOLDER, os.W_OK) else None


def load_corpus(path: Path, quick: bool) -> list[dict]:
    """The archive's days, oldest first (``{"date": …, "response": [...]}``)."""
    days = read_days(path)
    return days[-QUICK_DAYS:] if quick else days


def copied_id(arxiv_id: object, copy: int) -> object:
    """The id of a paper in copy ``copy`` of the archive: the year part moved up."""
    match = ARXIV_ID_RE.match(arxiv_id) if isinstance(arxiv_id, str) else None
    if not match or copy == 0:
        return arxiv_id  # a bad id stays bad: the fetch path rejects it in every copy
    return f"{int(arxiv_id[:2]) + COPY_ID_YEARS * copy:02d}{match['id'][2:]}"


def copied_day(day: dict, copy: int) -> dict:
    """One day of copy ``copy`` of the archive (copy 0 is the archive itself)."""
    if copy == 0:
        return day
    date = (dt.date.fromisoformat(day["date"]) - COPY_SHIFT * copy).isoformat()
    response = []
    for entry in day["response"]:
        if isinstance(entry, dict) and isinstance(entry.get("paper"), dict):
            entry = {**entry, "paper": {**entry["paper"], "id": copied_id(entry["paper"].get("id"), copy)}}
        response.append(entry)
    return {"date": date, "response": response}


def import_days(content: Path, days: list[dict]) -> int:
    """Import days through the fetch code path, as ``fetch.py --input`` does; paper count."""
    store = ContentStore(content)
    config = load_sources_config(DEFAULT_CONFIG)
    for day in days:
        result = fetch_day(store, "hf", day["date"], config=config, input_text=json.dumps(day["response"]))
        if result.failure:
            log.warning("%s", result.summary())
    return len(store.ids())


def stock_article(paper) -> str:
    """A paper as a plain Pelican Markdown article: Title, Date, Slug and the abstract."""
    return f"Title: {paper.title}\nDate: {paper.first_featured}\nSlug: {paper.arxiv_id}\n\n{paper.abstract}\n"


def sync_stock_content(content: Path, stock_content: Path) -> int:
    """Mirror our content as stock articles (one flat folder: no folder categories).

    Only files whose text changed are written, so stock Pelican's cache sees the same
    changes ours does.  Returns how many were written.
    """
    written = 0
    stock_content.mkdir(parents=True, exist_ok=True)
    for path in sorted((content / PAPERS_DIR).glob(PAPER_GLOB)):
        paper = parse_paper(path.read_text(encoding="utf-8"), source=str(path))
        target = stock_content / f"{paper.arxiv_id}.md"
        text = stock_article(paper)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            atomic_write(target, text)
            written += 1
    return written


def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) under ``path``."""
    files = size = 0
    for folder, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(folder, name))
    return files, size


def run_build(args: list[str], log_path: Path) -> dict:
    """Run one build in its own process: wall time, CPU time, peak memory.

    GNU time measures the build's peak RSS: a child forked straight from this process
    would report this process's own memory (the loaded archive) as its peak.
    """
    usage_path = log_path.with_suffix(".usage")
    with open(log_path, "a", encoding="utf-8") as log_file:
        log_file.write(f"\n$ {' '.join(args)}\n")
        log_file.flush()
        start = time.perf_counter()
        proc = subprocess.run([GNU_TIME, "-f", "%M %U %S", "-o", str(usage_path), *args], cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(args)}; see {log_path}")
    max_rss_kb, user, system = usage_path.read_text(encoding="utf-8").split()[-3:]
    return {"wall_s": round(wall, 3), "cpu_s": round(float(user) + float(system), 3), "peak_rss_mb": round(int(max_rss_kb) / 1024, 1)}


def pelican_args(content: Path, settings: Path, output: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output), "--cache-path", str(cache), "--log-handler", "plain"]


def measure_search_payload(output: Path) -> dict:
    try:
        return measure_search(output)
    except BrowserMissing as exc:
        return {"skipped": str(exc)}


class Table:
    """The progress table: one row per build as it finishes."""

    HEADER = f"{'scale':>5}  {'build':<18} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'files':>8} {'out MB':>8}  note"

    def __init__(self):
        print(self.HEADER, flush=True)

    def row(self, scale: int, name: str, build: dict, note: str = ""):
        print(
            f"{scale:>4}x  {name:<18} {build['wall_s']:>8.2f} {build['cpu_s']:>8.2f} {build['peak_rss_mb']:>8.0f} "
            f"{build.get('files', 0):>8,} {build.get('bytes', 0) / 1e6:>8.1f}  {note}",
            flush=True,
        )


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time, with the wall time of every run."""
    chosen = sorted(runs, key=lambda run: run["wall_s"])[len(runs) // 2]
    return {**chosen, "runs_wall_s": [run["wall_s"] for run in runs]}


def restore(snapshot: Path, *folders: Path) -> None:
    """Put ``folders`` back as ``snapshot`` holds them (copied there by ``keep``)."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(snapshot / folder.name, folder, symlinks=True)


def keep(snapshot: Path, *folders: Path) -> None:
    for folder in folders:
        shutil.copytree(folder, snapshot / folder.name, symlinks=True)


def bench_scale(days: list[dict], scale: int, work: Path, table: Table, skip_stock: bool, repeat: int) -> dict:
    """Every measurement at one scale of the archive.

    The builds the targets compare (cold, nothing changed, one more day) run ``repeat``
    times each, ours and stock Pelican's in turn, each from the same starting state; the
    median run counts.  On a shared machine the speed drifts by 10-20% over minutes: one
    run of each, a minute apart, measured the drift as much as the builds.
    """
    base = work / f"{scale}x"
    content, stock_content = base / "content", base / "stock-content"
    ours_out, ours_cache = base / "ours-output", base / "ours-cache"
    stock_out, stock_cache = base / "stock-output", base / "stock-cache"
    snapshot = base / "before-the-day"
    build_log = base / "builds.log"
    base.mkdir(parents=True)
    stock_settings = base / "stock_settings.py"
    stock_settings.write_text(STOCK_SETTINGS, encoding="utf-8")
    ours_settings = ROOT / "pelicanconf.py"

    held_back, archive = days[-1], days[:-1]
    started = time.perf_counter()
    papers = import_days(content, [copied_day(day, copy) for copy in range(scale) for day in archive])
    if not skip_stock:
        sync_stock_content(content, stock_content)
    print(f"{scale:>4}x  imported {papers:,} papers of {len(archive) * scale} days in {time.perf_counter() - started:.0f} s", flush=True)
    result = {"papers": papers, "days": len(archive) * scale, "held_back_day": held_back["date"], "runs_per_build": repeat}
    ours = pelican_args(content, ours_settings, ours_out, ours_cache)
    stock = pelican_args(stock_content, stock_settings, stock_out, stock_cache)

    def measure(builds: list[tuple[str, list[str], Path, object]], note: str = "") -> list[dict]:
        """Each build ``repeat`` times, in turn; ``prepare(run)`` sets its starting state."""
        runs: dict[str, list] = {name: [] for name, *_ in builds}
        for run in range(repeat):
            for name, args, _, prepare in builds:
                if prepare:
                    prepare(run)
                runs[name].append(run_build(args, build_log))
        measured = []
        for name, _, output, _ in builds:
            median = median_run(runs[name])
            median["files"], median["bytes"] = tree_size(output)
            spread = f"median of {repeat}: {', '.join(f'{w:.2f}' for w in median['runs_wall_s'])}" if repeat > 1 else ""
            table.row(scale, name, median, "; ".join(filter(None, [note, spread])))
            measured.append(median)
        return measured

    def from_scratch(*folders):
        def remove(run):
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)

        return remove

    colds = [("ours cold", ours, ours_out, from_scratch(ours_out, ours_cache))]
    if not skip_stock:
        colds.append(("stock cold", stock, stock_out, from_scratch(stock_out, stock_cache)))
    measured = measure(colds)
    result["ours"] = {"cold": measured[0]}
    if not skip_stock:
        result["stock"] = {"cold": measured[1]}
    [result["ours"]["unchanged"]] = measure([("ours unchanged", ours, ours_out, None)])
    # The same build made to go through every step (its record of the last build removed,
    # so no "nothing changed" shortcut): what a rebuild costs before any page is rendered.
    [result["ours"]["unchanged_full_pass"]] = measure(
        [("ours unchanged*", ours, ours_out, lambda run: (ours_cache / BUILD_STAMP_NAME).unlink(missing_ok=True))],
        "every step run, no page rendered",
    )

    keep(snapshot, ours_out, ours_cache, *(() if skip_stock else (stock_out, stock_cache)))
    added = import_days(content, [held_back]) - papers
    result["added_papers"] = added
    if not skip_stock:
        sync_stock_content(content, stock_content)
    days_builds = [("ours +1 day", ours, ours_out, lambda run: run and restore(snapshot, ours_out, ours_cache))]
    if not skip_stock:
        days_builds.append(("stock +1 day", stock, stock_out, lambda run: run and restore(snapshot, stock_out, stock_cache)))
    measured = measure(days_builds, f"{added} papers added")
    result["ours"]["one_day"] = measured[0]
    if not skip_stock:
        result["stock"]["one_day"] = measured[1]
    shutil.rmtree(snapshot)
    result["search"] = search = measure_search_payload(ours_out)
    if "skipped" in search:
        print(f"{scale:>4}x  search: skipped, {search['skipped']}", flush=True)
    else:
        print(
            f"{scale:>4}x  search: {search['gzip_bytes_before_first_result_median'] / 1024:.0f} KB gzip before the first results, "
            f"first result {search['first_result_ms_median']:.0f} ms (worst {search['first_result_ms_max']:.0f}), "
            f"complete {search['complete_results_ms_median'] / 1000:.1f} s",
            flush=True,
        )

    cold = result["ours"]["cold"]["wall_s"]
    result["ratios"] = {
        "one_day_vs_cold": ratio(result["ours"]["one_day"]["wall_s"], cold),
        "unchanged_vs_cold": ratio(result["ours"]["unchanged"]["wall_s"], cold),
        "unchanged_full_pass_vs_cold": ratio(result["ours"]["unchanged_full_pass"]["wall_s"], cold),
    }
    # CPU time too: the machine is shared, and wall time counts the waits for it.
    result["cpu_ratios"] = {key: ratio(result["ours"][name]["cpu_s"], result["ours"]["cold"]["cpu_s"]) for key, name in (("one_day_vs_cold", "one_day"), ("unchanged_vs_cold", "unchanged"))}
    if not skip_stock:
        stock_cold = result["stock"]["cold"]["wall_s"]
        result["cpu_ratios"]["cold_vs_stock_cold"] = ratio(result["ours"]["cold"]["cpu_s"], result["stock"]["cold"]["cpu_s"])
        result["ratios"].update(
            cold_vs_stock_cold=ratio(cold, stock_cold),
            one_day_vs_stock_one_day=ratio(result["ours"]["one_day"]["wall_s"], result["stock"]["one_day"]["wall_s"]),
            stock_one_day_vs_stock_cold=ratio(result["stock"]["one_day"]["wall_s"], stock_cold),
        )
    return result


def judge(scales: dict[int, dict]) -> list[dict]:
    """Each target of issue 7 with its measured value and pass/fail (None: not measured)."""
    values = {}
    for key in ("cold_vs_stock_cold", "one_day_vs_cold", "unchanged_vs_cold"):
        measured = [r["ratios"][key] for r in scales.values() if r["ratios"].get(key) is not None]
        values[key] = max(measured) if measured else None  # the worst scale decides
    if 4 in scales:
        values["peak_memory_gb_at_4x"] = round(
            max(b["peak_rss_mb"] for b in scales[4]["ours"].values()) / 1024, 3
        )
    if 1 in scales and 4 in scales:
        values["cold_4x_vs_1x"] = ratio(scales[4]["ours"]["cold"]["wall_s"], scales[1]["ours"]["cold"]["wall_s"])
    return [
        {
            "target": key,
            "what": what,
            "limit": limit,
            "value": values.get(key),
            "pass": None if values.get(key) is None else values[key] <= limit,
        }
        for key, what, limit in TARGETS
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 2, 4], choices=range(1, MAX_SCALE + 1), metavar="N", help=f"archive multiples to measure, 1 to {MAX_SCALE} (default: 1 2 4)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the archive, one API response a day (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results (default: bench-results/bench-<time>.json)")
    parser.add_argument("--quick", action="store_true", help=f"only the archive's last {QUICK_DAYS} days: checks the harness in a minute or two")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Pelican (our builds only)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="runs of each compared build, ours and stock in turn; the median counts (default: %(default)s)")
    parser.add_argument("--workdir", type=Path, help="keep the builds in a new folder under this one (default: a temporary folder in memory, removed afterwards)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The fetch path warns about each dropped link or rejected entry; the archive has a
    # few of each and they say nothing about speed.
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    days = load_corpus(args.corpus, args.quick)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="paper-digest-bench-", dir=args.workdir or memory_folder()))
    print(f"corpus: {args.corpus} ({len(days)} days{', quick' if args.quick else ''}); work: {work}", flush=True)
    table = Table()
    results = {}
    try:
        for scale in sorted(set(args.scale)):
            results[scale] = bench_scale(days, scale, work, table, args.no_stock, args.repeat)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    report = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
        "corpus": str(args.corpus),
        "work_folder": str(work),
        "quick": args.quick,
        "scales": {f"{s}x": r for s, r in results.items()},
        "targets": judge(results),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print("\nratios:")
    for scale, r in results.items():
        print(f"{scale:>4}x  " + ", ".join(f"{k} {v}" for k, v in r["ratios"].items()))
        print(f"{scale:>4}x  CPU time: " + ", ".join(f"{k} {v}" for k, v in r["cpu_ratios"].items()))
    print("\ntargets:")
    for t in report["targets"]:
        verdict = "not measured" if t["pass"] is None else ("PASS" if t["pass"] else "FAIL")
        print(f"  {verdict:<12} {t['what']}: {t['value']} (limit {t['limit']})")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
