"""Which recipients got which day's digest: a day is sent to each recipient once.

A JSON file (``cache/email-state.json`` by default; the daily workflow keeps it in the
Actions cache)::

    {"version": 1, "days": {"2026-08-21": {"<recipient key>": "2026-08-22T03:31:07Z"}}}

A recipient's key is a SHA-256 of the address, not the address: the file may sit where
the recipients list itself (a secret) may not.  It is written again, atomically, after
every message sent, so a send that fails halfway leaves the first half recorded and a
rerun sends only to the rest.  Days older than ``KEEP_DAYS`` are dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from papers.errors import ConfigError
from papers.store import atomic_write

VERSION = 1
KEEP_DAYS = 120


def recipient_key(address: str) -> str:
    return hashlib.sha256(address.casefold().encode("utf-8")).hexdigest()[:32]


class SentState:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.days: dict[str, dict[str, str]] = self._load()

    def _load(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.path}: cannot read the email state: {exc}") from exc
        try:
            data = json.loads(text)
            days = data["days"] if data.get("version") == VERSION else None
            if not (isinstance(days, dict) and all(isinstance(v, dict) for v in days.values())):
                raise ValueError("not an email state of this version")
        except (ValueError, AttributeError, KeyError, TypeError) as exc:
            # Guessing would resend (or skip) a day: the maintainer decides.
            raise ConfigError(f"{self.path}: not a readable email state ({exc}); move it away to start a new one") from None
        return days

    def was_sent(self, day: str, address: str) -> bool:
        return recipient_key(address) in self.days.get(day, {})

    def record(self, day: str, address: str, when: dt.datetime) -> None:
        self.days.setdefault(day, {})[recipient_key(address)] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        oldest = (dt.date.fromisoformat(day) - dt.timedelta(days=KEEP_DAYS)).isoformat()
        self.days = {d: sent for d, sent in self.days.items() if d >= oldest}
        atomic_write(self.path, json.dumps({"version": VERSION, "days": self.days}, indent=1, sort_keys=True) + "\n")
