"""Running one fuzz example: fetch days into a copy of the seed content, in process and
from a working directory of its own, then build; snapshots of everything around it."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import os
import shutil
import tempfile
from pathlib import Path

from pelican.log import LimitFilter

from tests.helpers import build_site, script
from tests.site.fuzz.check_fetch import FetchRun, check_fetch_run, check_store
from tests.site.fuzz.inputs import Body
from tests.site.fuzz.values import MARK, SETTINGS_FILE, SITEURL


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(
            (record.levelname, record.getMessage(), record.exc_text or (record.exc_info and logging.Formatter().formatException(record.exc_info)) or "")
        )


@contextlib.contextmanager
def captured_logs():
    handler = Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


def fresh_log_deduplication():
    """Pelican's loggers drop a warning seen before in the process: every fetch starts clean."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def files_under(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file (and symlink) under ``root`` but under ``skip``: its size and mtime."""
    out = {}
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in names:
            st_ = (here / name).lstat()
            out[(here / name).relative_to(root).as_posix()] = (st_.st_size, st_.st_mtime_ns)
        for d in dirs:
            if (here / d).is_symlink():
                out[(here / d).relative_to(root).as_posix() + "@"] = (0, 0)
    return out


def content_tree(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file() or p.is_symlink()}


@contextlib.contextmanager
def working_directory(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def fetch_one_day(root: Path, content: Path, n: int, day: str, body: Body) -> FetchRun:
    """Replay ``body`` for ``day`` with the fetch script, from an empty working directory."""
    path = root / "input" / f"day{n}.json"
    path.write_bytes(body.data)
    before = content_tree(content)
    fresh_log_deduplication()
    out, err = io.StringIO(), io.StringIO()
    with captured_logs() as records, working_directory(root / "cwd"), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = script("fetch").main(["--source", "hf", "--date", day, "--input", str(path), "--content", str(content)])
    return FetchRun(day, body, status, out.getvalue(), err.getvalue(), records, before, content_tree(content))


def outside_targets() -> set[str]:
    """Files where the hostile paths aim outside any example folder."""
    found = set()
    for folder in {Path("/tmp"), Path(tempfile.gettempdir()), ROOT_DIR, ROOT_DIR / "content"}:
        with contextlib.suppress(OSError):
            found |= {str(p) for p in folder.iterdir() if MARK in p.name or "pwned" in p.name or p.name in ("x", "evil.html")}
    return found


ROOT_DIR = Path(__file__).resolve().parents[2]


@dataclasses.dataclass
class Example:
    root: Path
    content: Path
    output: Path
    runs: list[FetchRun]


def run_pipeline(base: Path, seed: Path, days: list[tuple[str, Body]]) -> tuple[Example, list[str]]:
    """Seed, fetch every day, build; the problems found on the way (crash excepted: it raises)."""
    # Deep enough that "../../../../x" from content/papers/YYYY/MM/DD stays inside ``base``.
    root = base / "a" / "b" / "c" / "d" / "e" / "root"
    content, output, cache = root / "content", root / "output", root / "output-cache"
    for folder in (root / "cwd", root / "input"):
        folder.mkdir(parents=True)
    shutil.copytree(seed, content)
    targets_before = outside_targets()
    problems: list[str] = []
    runs = []
    for n, (day, body) in enumerate(days):
        around = files_under(base, skip=(content, root / "input"))
        run = fetch_one_day(root, content, n, day, body)
        runs.append(run)
        problems += check_fetch_run(run, content)
        if files_under(base, skip=(content, root / "input")) != around:
            problems.append(f"day {day}: the fetch wrote outside {content}: {sorted(set(files_under(base, skip=(content, root / 'input'))) ^ set(around))}")
    problems += check_store(content)
    around = files_under(base, skip=(output, cache))
    fresh_log_deduplication()
    with captured_logs() as records, working_directory(root / "cwd"):
        build_site(content, output, SETTINGS_FILE, SITEURL=SITEURL)
    for level, message, trace in records:
        if level in ("ERROR", "CRITICAL"):  # e.g. a stored file the catalogue skips
            problems.append(f"the build logged {level} {message[:500]!r}{chr(10) + trace if trace else ''}")
    after = files_under(base, skip=(output, cache))
    if after != around:
        problems.append(f"the build wrote outside {output} and {cache}: {sorted(set(after) ^ set(around))}")
    new_targets = outside_targets() - targets_before
    if new_targets:
        problems.append(f"files appeared where hostile paths aim: {sorted(new_targets)}")
    return Example(root, content, output, runs), problems
