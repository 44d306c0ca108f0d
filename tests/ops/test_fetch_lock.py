"""One fetch run at a time per content folder, with real processes of scripts/fetch.py: a
second run exits 2 naming the holder, or waits with --wait; overlapping days run one after
the other store each paper once; a killed run's lock file and temporary files block nothing
and are cleaned up by the next run."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap

import pytest
from papers.content_lock import LOCK_FILE, ContentLocked, content_lock
from papers.errors import PaperDigestError
from papers.layout import PAPER_GLOB, PAPERS_DIR
from papers.store import TEMPORARY_RE, ContentStore

from tests.helpers import ROOT, hf_entries, hf_fixture, script

FETCH = ROOT / "scripts" / "fetch.py"
# Two days that share a paper (2608.13558), as `--date 2026-08-20` beside `--date 2026-08-14`.
DAY, OTHER_DAY, SHARED = "2026-08-20", "2026-08-14", "2608.13558"
# Only so that a broken lock fails the test instead of hanging it; no run comes near it.
HANG = 120


def fetch_command(content, day: str, *extra: str) -> list[str]:
    return [sys.executable, str(FETCH), "--source", "hf", "--date", day, "--input", str(hf_fixture(day)), "--content", str(content), *extra]


def start_fetch(content, day: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(fetch_command(content, day, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_until(stream, text: str) -> str:
    """The lines of ``stream`` up to the first holding ``text`` (fails if it ends first)."""
    seen = ""
    while text not in seen:
        line = stream.readline()
        assert line, f"ended before {text!r}: {seen!r}"
        seen += line
    return seen


def paper_files(content) -> list[str]:
    return sorted(p.relative_to(content).as_posix() for p in (content / PAPERS_DIR).glob(PAPER_GLOB))


def child(code: str) -> subprocess.Popen:
    """A Python process running ``code``, talking through pipes."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_the_error_is_the_librarys_and_wait_is_an_option():
    assert issubclass(ContentLocked, PaperDigestError)
    assert script("fetch").parse_args(["--wait"]).wait and not script("fetch").parse_args([]).wait
    assert "--wait" in subprocess.run([sys.executable, str(FETCH), "--help"], check=False, capture_output=True, text=True, timeout=HANG).stdout


def test_a_second_run_exits_2_naming_the_run_that_holds_the_lock(content):
    with content_lock(content, command=["fetch.py", "--date", OTHER_DAY]) as lock:
        result = subprocess.run(fetch_command(content, DAY), check=False, capture_output=True, text=True, timeout=HANG)
        assert lock.is_file()
    assert result.returncode == 2
    assert f"{lock} is held by another fetch run: pid {os.getpid()} on {socket.gethostname()}, started " in result.stderr
    assert f"fetch.py --date {OTHER_DAY}; nothing fetched" in result.stderr and "--wait" in result.stderr
    assert result.stdout == "" and paper_files(content) == []
    assert not lock.exists()  # removed by the run that held it


def test_the_holder_is_named_by_its_own_details(content):
    """What a real run writes into the lock file: its pid, host, start and command line."""
    holder = child(f"""
        import sys
        from papers.content_lock import content_lock
        with content_lock({str(content)!r}, command=["scripts/fetch.py", "--date", "{OTHER_DAY}"]):
            print("locked", flush=True)
            sys.stdin.read()
    """)
    try:
        read_until(holder.stdout, "locked")
        details = json.loads((content / LOCK_FILE).read_text(encoding="utf-8"))
        assert details["pid"] == holder.pid and details["command"] == ["scripts/fetch.py", "--date", OTHER_DAY]
        with pytest.raises(ContentLocked) as raised, content_lock(content):
            pass
        holder_line = f"pid {holder.pid} on {details['host']}, started {details['started']}: scripts/fetch.py --date {OTHER_DAY}"
        assert str(raised.value) == f"{content / LOCK_FILE} is held by another fetch run: {holder_line}"
    finally:
        holder.communicate("", timeout=HANG)
    assert holder.returncode == 0


def test_with_wait_a_second_run_waits_for_the_lock_then_fetches(content):
    with content_lock(content):
        waiting = start_fetch(content, DAY, "--wait")
        assert f"pid {os.getpid()}" in read_until(waiting.stderr, "waiting for it to finish")
        assert paper_files(content) == []  # it is still waiting: nothing written
    out, err = waiting.communicate(timeout=HANG)
    assert waiting.returncode == 0, err
    assert f"{DAY} hf: 15 new, 0 updated, 0 unchanged, 0 rejected" in out
    assert len(paper_files(content)) == 15 and not (content / LOCK_FILE).exists()


def test_a_run_that_waited_holds_the_lock_of_the_file_now_at_the_path(content):
    """The holder removes the lock file as it releases it: the waiting run must not keep
    the removed file's lock, or a third run would lock a new file beside it."""
    with content_lock(content):
        waiter = child(f"""
            import logging, sys
            from papers.content_lock import content_lock
            logging.basicConfig(level=logging.INFO, stream=sys.stdout)
            with content_lock({str(content)!r}, wait=True, command=["waiter"]):
                print("locked", flush=True)
                sys.stdin.read()
        """)
        read_until(waiter.stdout, "waiting for it to finish")
    try:
        read_until(waiter.stdout, "locked")
        with pytest.raises(ContentLocked, match=f"pid {waiter.pid} .*: waiter$"), content_lock(content):
            pass
    finally:
        waiter.communicate("", timeout=HANG)
    assert waiter.returncode == 0 and not (content / LOCK_FILE).exists()


def test_overlapping_days_fetched_at_once_store_each_paper_once(content):
    """Both runs start while the lock is held, so they really overlap; the lock puts them
    one after the other, and the second sees what the first wrote."""
    with content_lock(content):
        runs = [start_fetch(content, day, "--wait") for day in (DAY, OTHER_DAY)]
        for run in runs:
            read_until(run.stderr, "waiting for it to finish")
    for run in runs:
        _, err = run.communicate(timeout=HANG)
        assert run.returncode == 0, err
    ids = {e["paper"]["id"] for day in (DAY, OTHER_DAY) for e in hf_entries(day)}
    files = paper_files(content)
    assert sorted(f.rsplit("/", 1)[1][:-3] for f in files) == sorted(ids)  # one file each
    assert f"papers/2026/08/14/{SHARED}.md" in files
    assert ContentStore(content).load(SHARED).featured == [OTHER_DAY, DAY]


def test_a_killed_runs_lock_file_and_temporary_files_block_nothing(content):
    """A run killed in the middle of a write (SIGKILL: no clean-up runs at all)."""
    killed = child(f"""
        import os, sys
        from papers.content_lock import content_lock
        from papers.model import Paper
        from papers.store import ContentStore

        def replace(*args):
            print("writing", flush=True)
            sys.stdin.read()

        with content_lock({str(content)!r}):
            os.replace = replace
            ContentStore({str(content)!r}).save(Paper("{SHARED}", "Half", ["A"], "x", ["{DAY}"], ["hf"]))
    """)
    read_until(killed.stdout, "writing")
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=HANG)
    assert json.loads((content / LOCK_FILE).read_text(encoding="utf-8"))["pid"] == killed.pid
    [left] = [p for p in (content / "papers/2026/08/20").iterdir()]
    assert TEMPORARY_RE.match(left.name)

    result = subprocess.run(fetch_command(content, DAY), check=False, capture_output=True, text=True, timeout=HANG)
    assert result.returncode == 0, result.stderr
    assert f"removed {left}, left by an interrupted run" in result.stderr
    assert not left.exists() and not (content / LOCK_FILE).exists()
    assert len(paper_files(content)) == 15
    assert sorted(p.name for p in content.rglob("*") if p.is_file() and not p.name.endswith(".md")) == []
