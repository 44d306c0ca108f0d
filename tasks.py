"""Project tasks (``invoke --list``).  The Makefile and CI call these, so a maintainer runs
exactly what CI runs."""

import shlex
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
PY = shlex.quote(sys.executable)


def pelican(c, settings, extra=""):
    c.run(f"{PY} -m pelican content -s {settings} {extra}", pty=False)


@task(help={"date": "day to fetch (default today, UTC)", "since": "first day of a range", "until": "last day of a range", "source": "hf (default)"})
def fetch(c, source="hf", date=None, since=None, until=None):
    """Fetch papers into content/ (scripts/fetch.py)."""
    args = [f"--source {source}"]
    if date:
        args.append(f"--date {date}")
    if since:
        args.append(f"--since {since}")
    if until:
        args.append(f"--until {until}")
    c.run(f"{PY} scripts/fetch.py {' '.join(args)}")


@task
def build(c):
    """Build the site into output/ with pelicanconf.py."""
    pelican(c, "pelicanconf.py")


@task
def publish(c):
    """Build the site for publishing with publishconf.py (SITEURL from the environment)."""
    pelican(c, "publishconf.py")


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def serve(c, port=8000):
    """Build, then serve output/ on 127.0.0.1 and rebuild on changes."""
    pelican(c, "pelicanconf.py", f"--autoreload --listen --bind 127.0.0.1 --port {int(port)}")


@task
def update(c):
    """Fetch today's papers, then build."""
    fetch(c)
    build(c)


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{PY} -m pytest", pty=False)
