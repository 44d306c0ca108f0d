#!/usr/bin/env python3
"""Send a day's email digest to its recipients: run by the daily workflow after the
deploy (``invoke email-digest``), or by hand.

    python scripts/email_digest.py                    # the newest digest day, sent
    python scripts/email_digest.py --day 2026-08-21 --dry-run

The email is made from the site's catalogue, as the build makes the site's
``YYYY/MM/DD/email.html`` (``papers.mail``), with the settings of ``--settings``
(``publishconf.py``: its links must be absolute, ``SITEURL``).  Recipients come from the
environment variable ``EMAIL_RECIPIENTS`` (``papers.mail.recipients``), the mail server
from ``SMTP_*`` (``papers.mail.sending``).  ``--state`` records who got which day, so a
rerun sends only to recipients who did not get it yet.

Exit status: 0 all sent (or nothing to send), 1 some recipient failed or was left out
as invalid, 2 nothing could be sent (configuration, server, or the day has no digest).
"""

from __future__ import annotations

import argparse
import os
import re
import smtplib
import sys
import time
from pathlib import Path

from papers.arguments import iso_date
from papers.catalog import load_catalog
from papers.errors import PaperDigestError
from papers.mail.delivery import deliver
from papers.mail.recipients import read_recipients
from papers.mail.render import DigestRenderer, theme_loader
from papers.mail.sending import Mailer, SmtpConfig, sender_address
from papers.mail.sent_state import SentState
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]
# Anything in EMAIL_RECIPIENTS that looks like an address, valid or not (for masking).
ADDRESS_LIKE_RE = re.compile(r"[^\s'\"\[\],{}:]*@[^\s'\"\[\],{}]*")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--day", type=iso_date, help="the digest day to send, YYYY-MM-DD (default: the newest)")
    parser.add_argument("--dry-run", action="store_true", help="write the emails as .eml files to --eml-dir instead of sending them")
    parser.add_argument("--eml-dir", type=Path, default=ROOT / "cache" / "email-dry-run", help="where --dry-run writes (default cache/email-dry-run/)")
    parser.add_argument("--state", type=Path, default=ROOT / "cache" / "email-state.json", help="who got which day (default cache/email-state.json)")
    parser.add_argument("--settings", default=str(ROOT / "publishconf.py"), help="Pelican settings (default publishconf.py)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between two messages (default 1)")
    return parser.parse_args(argv)


def site_settings(path: str) -> dict:
    settings = read_settings(path)
    if not str(settings.get("SITEURL", "")).startswith(("https://", "http://")):
        raise PaperDigestError(f"{path}: SITEURL is {settings.get('SITEURL')!r}: an email's links must be absolute (https://…)")
    for name in ("PATH", "THEME", "CACHE_PATH"):  # read as the build reads them, from the project
        settings[name] = os.path.join(ROOT, settings[name])
    return settings


def main(argv=None, env=os.environ, sleep=time.sleep) -> int:
    """``env``: the environment to read; ``sleep``: how the mailer waits (tests)."""
    args = parse_args(argv)
    try:
        settings = site_settings(args.settings)
        catalog = load_catalog(settings)
        days = {day.iso: day for day in catalog.days}
        day = days.get(args.day) if args.day else catalog.last_digest_day
        if day is None:
            raise PaperDigestError(f"no digest for {args.day or 'any day'}: nothing to send")
        if env.get("GITHUB_ACTIONS") == "true":  # addresses, even invalid ones, never show in a public log
            for address in sorted(set(ADDRESS_LIKE_RE.findall(env.get("EMAIL_RECIPIENTS") or ""))):
                print(f"::add-mask::{address}")
        recipients, problems = read_recipients(env.get("EMAIL_RECIPIENTS"), [t.slug for t in catalog.paper_themes])
        for problem in problems:
            print(f"left out: {problem}", file=sys.stderr)
        if args.dry_run:
            sender, mailer = sender_address(env.get("SMTP_FROM") or f"{settings['SITENAME']} <digest@example.org>"), None
        else:
            config = SmtpConfig.from_env(env)
            sender, mailer = config.sender, Mailer(config, pause=args.pause, sleep=sleep)
        state = SentState(args.state)
        renderer = DigestRenderer(theme_loader(settings), settings)
        if not recipients:
            print(f"Email digest of {day.iso}: no recipients (EMAIL_RECIPIENTS is empty or every item was left out).")
            return 1 if problems else 0
        try:
            report = deliver(
                day=day, recipients=recipients, renderer=renderer, settings=settings, paper_themes=catalog.paper_themes,
                sender=sender, state=state, mailer=mailer, eml_dir=args.eml_dir if args.dry_run else None,
            )
        finally:
            if mailer is not None:
                mailer.close()
    except (PaperDigestError, smtplib.SMTPException, OSError) as exc:
        print(f"email-digest: stopped: {exc}", file=sys.stderr)
        return 2
    for who, why in report.failed:
        print(f"failed: {who}: {why}", file=sys.stderr)
    for path in report.written:
        print(f"wrote {path}")
    print(report.summary())
    return 1 if report.failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
