"""The MIME message of one digest email: ``multipart/alternative`` (plain text, then
HTML), with the headers a list mail carries.

Every header value is checked before it is set: a carriage return, line feed or other
control character in a subject, an address or a setting is refused (``HeaderRefused``,
naming the header) instead of being folded, encoded or allowed to start a new header.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from email.headerregistry import Address
from email.message import EmailMessage
from urllib.parse import quote, urlsplit

from papers.cleaning import clean_url
from papers.errors import ConfigError, Rejected

MAILTO_RE = re.compile(r"mailto:[^\s<>\"@]+@[^\s<>\"@?]+(\?[^\s<>\"]*)?\Z")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


class HeaderRefused(Rejected):
    """A header value that could inject headers or break the message."""


def checked_header(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise HeaderRefused(f"email header {name}: {type(value).__name__}, expected text")
    if CONTROL_RE.search(value):
        raise HeaderRefused(f"email header {name}: refused a value with a line break or control character ({value[:60]!r})")
    return value


def list_domain(site_url: str) -> str:
    """The list's identifier, a dot-atom from the site's address (RFC 2919):
    ``https://me.github.io/paper-digest`` is ``paper-digest.me.github.io``."""
    parts = urlsplit(site_url)
    labels = [re.sub(r"[^A-Za-z0-9-]+", "-", p).strip("-") for p in reversed(parts.path.strip("/").split("/")) if p]
    labels.append(parts.hostname or "localhost")
    return ".".join(label for label in labels if label).lower()


def unsubscribe_link(settings: dict, sender: Address) -> str:
    """``EMAIL_UNSUBSCRIBE_URL`` (https: or mailto:), else a mail to the sender."""
    configured = settings.get("EMAIL_UNSUBSCRIBE_URL")
    if configured:
        if clean_url(configured) == configured and configured.startswith("https://") or MAILTO_RE.match(str(configured)):
            return configured
        raise ConfigError(f"EMAIL_UNSUBSCRIBE_URL must be an https: or mailto: address, not {configured!r}")
    return f"mailto:{sender.addr_spec}?subject={quote('unsubscribe')}"


def digest_message(*, sender: Address, to: str, subject: str, text: str, html: str, site_name: str, site_url: str, unsubscribe: str, day: str) -> EmailMessage:
    """One recipient's email (``to``: an address already validated)."""
    message = EmailMessage(policy=email.policy.SMTP)
    domain = list_domain(site_url)
    message["From"] = Address(checked_header("From", sender.display_name), addr_spec=checked_header("From", sender.addr_spec))
    message["To"] = checked_header("To", to)
    message["Subject"] = checked_header("Subject", subject)
    message["Date"] = email.utils.formatdate(usegmt=True)
    message["Message-ID"] = email.utils.make_msgid(idstring=day, domain=domain)
    phrase = re.sub(r"[<>\"\\()]", "", checked_header("List-Id", site_name)).strip()
    message["List-Id"] = f"{phrase} daily digest <daily.{domain}>"
    message["List-Unsubscribe"] = f"<{checked_header('List-Unsubscribe', unsubscribe)}>"
    # No out-of-office replies to a list mail (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
