"""Project tasks (``invoke --list``).  The Makefile and CI call these, so a maintainer runs
exactly what CI runs."""

import datetime as dt
import shlex
import sys
import time
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
PY = shlex.quote(sys.executable)
# Papers labelled by hand with their paper themes (tests/fixtures/theme_labels/TAXONOMY.md).
EVALUATION_SET = ROOT / "tests" / "fixtures" / "theme_labels" / "evaluation_set.jsonl"


def pelican(c, settings, extra=""):
    c.run(f"{PY} -m pelican content -s {settings} {extra}", pty=False)


SOURCES = ("all", "hf", "arxiv")


def source_name(text):
    """One of SOURCES, so that nothing else reaches the shell."""
    if text not in SOURCES:
        raise Exit(f"--source must be one of {', '.join(SOURCES)}, not {text!r}", code=2)
    return text


@task(help={"date": "day to fetch (default today, UTC)", "since": "first day of a range", "until": "last day of a range", "source": "all (default: every source in sources.yml), hf or arxiv"})
def fetch(c, source="all", date=None, since=None, until=None):
    """Fetch papers into content/ (scripts/fetch.py)."""
    args = ["--source", source_name(source)]
    for flag, day in (("--date", date), ("--since", since), ("--until", until)):
        if day:
            args += [flag, iso_day(day)]
    c.run(f"{PY} scripts/fetch.py {shlex.join(args)}", pty=False)


@task
def build(c):
    """Build the site into output/ with pelicanconf.py."""
    pelican(c, "pelicanconf.py")


@task
def publish(c):
    """Build the site for publishing with publishconf.py (SITEURL from the environment)."""
    pelican(c, "publishconf.py")
    # What the build holds, for the next deploy's comparison (`invoke check --previous`).
    c.run(f"{PY} scripts/build_info.py write", pty=False)


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def serve(c, port=8000):
    """Build, then serve output/ on 127.0.0.1 and rebuild on changes."""
    pelican(c, "pelicanconf.py", f"--autoreload --listen --bind 127.0.0.1 --port {int(port)}")


@task
def update(c):
    """Fetch today's papers, then build."""
    fetch(c)
    build(c)


@task(help={"args": "more pytest arguments, e.g. '-m \"not browser\"' or 'tests/unit'"})
def test(c, args=""):
    """Run the whole test suite (the browser tests need Chromium: see papers.browser)."""
    from papers.browser import BrowserMissing, chromium_executable

    if "not browser" not in args:
        try:
            chromium_executable()
        except BrowserMissing as exc:
            raise Exit(f"{exc}; or skip the browser tests: make test PYTEST_ARGS='-m \"not browser\"'", code=2) from None
    c.run(f"{PY} -m pytest {args}", pty=False)


@task(
    help={
        "corpus": "daily-papers archive (.jsonl.gz) or content directory (default: the shared archive)",
        "themes": "paper themes file (default themes.yml)",
        "labels": "papers labelled by hand to score the themes against (default: tests/fixtures/theme_labels/evaluation_set.jsonl)",
    }
)
def themes_report(c, corpus=None, themes=None, labels=str(EVALUATION_SET)):
    """How papers spread over the paper themes of themes.yml and how well they match papers
    labelled by hand; fails when the targets are missed."""
    args = [f"--corpus {shlex.quote(corpus)}"] if corpus else []
    if themes:
        args.append(f"--themes {shlex.quote(themes)}")
    if labels:
        args.append(f"--labels {shlex.quote(labels)}")
    c.run(f"{PY} scripts/themes_report.py {' '.join(args)}", pty=False)


@task(
    help={
        "scale": "archive multiples, e.g. '1 2 4' (default) or '1'",
        "quick": "only the archive's last days: checks the harness in a minute or two",
        "corpus": "daily-papers archive (.jsonl.gz; default: the shared archive)",
        "out": "JSON results (default bench-results/bench-<time>.json)",
    }
)
def bench(c, scale="1 2 4", quick=False, corpus=None, out=None):
    """Benchmark our builds (cold, one more day, unchanged) against stock Pelican (scripts/bench.py)."""
    args = ["--scale", *(shlex.quote(n) for n in scale.split())]
    if quick:
        args.append("--quick")
    if corpus:
        args.append(f"--corpus {shlex.quote(corpus)}")
    if out:
        args.append(f"--out {shlex.quote(out)}")
    c.run(f"{PY} scripts/bench.py {' '.join(args)}", pty=False)


# --- Daily CI run (.github/workflows/daily.yml calls these, in this order) -----------------
# ci-fetch, ci-commit, publish, check; after the deploy email-digest and websub-ping;
# keepalive runs beside them.  Each works locally too.

CI_FETCH_DAYS = 3  # today, yesterday, the day before: new papers and upvotes that grew
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
# GitHub disables a scheduled workflow after 60 days without repository activity.
KEEPALIVE_IDLE_DAYS = 45


def iso_day(text):
    """A YYYY-MM-DD day, so that nothing else reaches the shell."""
    return dt.date.fromisoformat(text).isoformat()


@task(
    help={
        "days": f"refetch this many days up to UNTIL (default {CI_FETCH_DAYS})",
        "since": "backfill: first day of a range (days already complete are skipped)",
        "until": "last day (default today, UTC)",
        "source": "all (default: every source in sources.yml), hf or arxiv",
    }
)
def ci_fetch(c, days=CI_FETCH_DAYS, since=None, until=None, source=None):
    """Fetch what the daily run fetches: the last DAYS days again, or a backfill range.

    Fails (exit 2) only when fetch.py does (nothing at all could be fetched, or sources.yml
    is wrong): content/ is then unchanged, and the run stops before anything is deployed.
    """
    until = iso_day(until) if until else dt.datetime.now(dt.timezone.utc).date().isoformat()
    if since:
        days_args = f"--since {iso_day(since)} --until {until}"
    else:
        first = dt.date.fromisoformat(until) - dt.timedelta(days=int(days) - 1)
        days_args = f"--since {first.isoformat()} --until {until} --refetch"
    source_arg = f"--source {shlex.quote(source)} " if source else ""
    result = c.run(f"{PY} scripts/fetch.py {source_arg}{days_args}", warn=True, pty=False)
    if result.exited == 2:
        raise Exit("fetch failed (nothing could be fetched, or sources.yml is wrong): content/ is unchanged and nothing is deployed", code=2)


def content_commit_message(name_status):
    """The message of a content commit, naming the days of the papers it adds or changes."""
    added = changed = 0
    days = set()
    for line in name_status:
        status, *paths = line.split("\t")
        parts = [Path(path).parts for path in paths]
        paper_days = {"-".join(p[2:5]) for p in parts if len(p) == 6 and p[:2] == ("content", "papers")}
        if not paper_days:
            continue  # the fetch state
        days |= paper_days
        if status.startswith("A"):
            added += 1
        else:
            changed += 1
    if not days:
        return "Content: fetch state"
    days = sorted(days)
    named = ", ".join(days) if len(days) <= 5 else f"{days[0]} … {days[-1]} ({len(days)} days)"
    return f"Papers {named}: {added} new, {changed} updated"


@task(help={"push": "push the commit to origin (default yes)"})
def ci_commit(c, push=True):
    """Commit content/ as the GitHub Actions bot when the fetch changed it, then push."""
    c.run("git add -- content", pty=False)
    name_status = c.run("git diff --cached --name-status -- content", hide=True, pty=False).stdout.splitlines()
    if not name_status:
        print("content/ unchanged: nothing to commit")
        return
    message = content_commit_message(name_status)
    identity = f"-c user.name={shlex.quote(BOT_NAME)} -c user.email={shlex.quote(BOT_EMAIL)}"
    c.run(f"git {identity} commit -q -m {shlex.quote(message)} -- content", pty=False)
    print(message)
    if push:
        c.run("git push origin HEAD", pty=False)


@task(
    help={
        "previous": "URL or path of the live site's build-info.json: fail if the new site would shrink",
        "today": "freshness: the day to measure from (default today, UTC)",
        "max_weekdays": "freshness: allowed age in weekdays (default FRESHNESS_MAX_WEEKDAYS)",
    }
)
def check(c, previous=None, today=None, max_weekdays=None):
    """Check output/ before it is deployed: links, size, freshness, and no fewer papers than live."""
    c.run(f"{PY} scripts/check_site.py output", pty=False)  # SITEURL from the environment
    c.run(f"{PY} scripts/site_size.py output", pty=False)  # under GitHub Pages' 1 GB
    freshness_args = f" --today {iso_day(today)}" if today else ""
    if max_weekdays is not None:
        freshness_args += f" --max-weekdays {int(max_weekdays)}"
    c.run(f"{PY} scripts/freshness.py{freshness_args}", pty=False)
    if previous:
        c.run(f"{PY} scripts/build_info.py compare --previous {shlex.quote(previous)}", pty=False)


@task(
    help={
        "day": "the digest day to send, YYYY-MM-DD (default: the newest)",
        "dry_run": "write .eml files to cache/email-dry-run/ instead of sending",
        "state": "who got which day (default cache/email-state.json)",
    }
)
def email_digest(c, day=None, dry_run=False, state=None):
    """Send a day's email digest to EMAIL_RECIPIENTS through SMTP_* (scripts/email_digest.py).

    Exit 1 when some recipient failed or was left out, 2 when nothing could be sent.
    """
    args = []
    if day:
        args += ["--day", iso_day(day)]
    if dry_run:
        args.append("--dry-run")
    if state:
        args += ["--state", state]
    c.run(f"{PY} scripts/email_digest.py {shlex.join(args)}", pty=False)


@task(help={"opml": "the site's OPML, a path or URL (default output/feeds/feeds.opml)"})
def websub_ping(c, opml=None):
    """Tell the WebSub hub (WEBSUB_HUB) that the feeds changed (scripts/websub_ping.py)."""
    args = ["--opml", opml] if opml else []
    c.run(f"{PY} scripts/websub_ping.py {shlex.join(args)}", pty=False)


@task(help={"workflow": "workflow file name (default daily.yml)", "idle_days": f"act after this many quiet days (default {KEEPALIVE_IDLE_DAYS})"})
def keepalive(c, workflow="daily.yml", idle_days=KEEPALIVE_IDLE_DAYS):
    """Re-enable the scheduled workflow when the repository has been quiet for IDLE_DAYS.

    GitHub disables a schedule after 60 days without activity; re-enabling it through the
    API (``gh``, with a token allowed ``actions: write``) starts the 60 days again.
    """
    last_commit = int(c.run("git log -1 --format=%ct", hide=True, pty=False).stdout)
    idle = (time.time() - last_commit) / 86400
    if idle < int(idle_days):
        print(f"last commit {idle:.0f} days ago: the schedule is active")
        return
    c.run(f"gh workflow enable {shlex.quote(workflow)}", pty=False)
    print(f"last commit {idle:.0f} days ago: re-enabled {workflow}")
