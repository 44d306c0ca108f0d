"""One day's digest to every recipient: the email each one asked for, sent once.

``deliver`` goes through the recipients in order.  A recipient already in the sent state
is skipped; one whose themes have no paper that day gets nothing; the others get their
email, recorded in the state as soon as the server took it.  A refused recipient is named
in the report and the rest are still sent.  ``--dry-run`` writes ``.eml`` files instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path

from papers.mail.digest import day_digest
from papers.mail.message import digest_message, unsubscribe_link
from papers.mail.render import DigestRenderer, Recipient, plain_text
from papers.mail.sending import Mailer, SendFailed
from papers.mail.sent_state import SentState
from papers.store import atomic_write


@dataclass
class DeliveryReport:
    day: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    nothing_to_send: list[str] = field(default_factory=list)  # no paper in their themes
    written: list[Path] = field(default_factory=list)  # dry run
    failed: list[tuple[str, str]] = field(default_factory=list)  # (who, why)

    def summary(self) -> str:
        done = f"{len(self.written)} written (dry run)" if self.written else f"{len(self.sent)} sent"
        parts = [done, f"{len(self.already_sent)} already sent", f"{len(self.nothing_to_send)} with no paper in their themes", f"{len(self.failed)} failed"]
        return f"Email digest of {self.day}: {', '.join(parts)}."


def recipient_message(renderer: DigestRenderer, day, settings: dict, paper_themes: list, recipient: Recipient, sender: Address):
    """The email for ``recipient``, or None when their themes have no paper that day."""
    digest = day_digest(day, settings, paper_themes, recipient.themes)
    if digest.paper_count == 0:
        return None
    unsubscribe = unsubscribe_link(settings, sender)
    return digest_message(
        sender=sender, to=recipient.address, subject=digest.subject,
        text=plain_text(digest, recipient, unsubscribe), html=renderer.document(digest, recipient, unsubscribe),
        site_name=settings["SITENAME"], site_url=settings["SITEURL"], unsubscribe=unsubscribe, day=day.iso,
    )


def deliver(
    *, day, recipients: list[Recipient], renderer: DigestRenderer, settings: dict, paper_themes: list,
    sender: Address, state: SentState, mailer: Mailer | None = None, eml_dir: Path | None = None,
    now=lambda: dt.datetime.now(dt.timezone.utc),
) -> DeliveryReport:
    """Send (``mailer``) or write (``eml_dir``, a dry run: the state is left as it is)."""
    report = DeliveryReport(day.iso)
    for number, recipient in enumerate(recipients, 1):
        who = f"recipient {number} <{recipient.address}>"
        if state.was_sent(day.iso, recipient.address):
            report.already_sent.append(who)
            continue
        message = recipient_message(renderer, day, settings, paper_themes, recipient, sender)
        if message is None:
            report.nothing_to_send.append(who)
            continue
        if eml_dir is not None:
            path = eml_dir / f"{day.iso}-{number:03d}.eml"
            atomic_write(path, message.as_bytes())
            report.written.append(path)
            continue
        try:
            mailer.send(message, recipient.address)
        except SendFailed as exc:
            report.failed.append((who, str(exc)))
            continue
        state.record(day.iso, recipient.address, now())
        report.sent.append(who)
    return report
