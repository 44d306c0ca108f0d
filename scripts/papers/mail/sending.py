"""Sending messages over SMTP, politely: one connection for the whole run, a pause
between messages, retries with backoff when the server says "try again later" (4xx) or
drops the connection, and a clear verdict for each recipient.

Configured from the environment (the daily workflow's secrets): ``SMTP_HOST``,
``SMTP_PORT``, ``SMTP_USERNAME``, ``SMTP_PASSWORD``, ``SMTP_FROM`` and ``SMTP_SECURITY``
(``starttls``, the default; ``ssl``; or ``none``, for a local server only).
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

from email_validator import EmailNotValidError, validate_email

from papers.errors import ConfigError, PaperDigestError
from papers.mail.message import CONTROL_RE

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 60.0
LOOPBACK = ("localhost", "127.0.0.1", "::1")


class SendFailed(PaperDigestError):
    """A message the server would not take; ``temporary`` when it was still refusing
    after every retry (4xx), otherwise a permanent refusal (5xx)."""

    def __init__(self, reason: str, temporary: bool = False):
        super().__init__(reason)
        self.temporary = temporary


def sender_address(text: str | None, what: str = "SMTP_FROM") -> Address:
    """``Name <address>`` or ``address``, checked for form."""
    if text and CONTROL_RE.search(text):
        raise ConfigError(f"{what}: refused a value with a line break or control character")
    name, address = parseaddr(text or "")
    if not address:
        raise ConfigError(f"{what} is not set: the address the digest is sent from, like 'Paper Digest <digest@example.org>'")
    try:
        address = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ConfigError(f"{what}: {address!r} is not a valid email address: {exc}") from None
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str | None
    password: str | None
    sender: Address

    @classmethod
    def from_env(cls, env) -> SmtpConfig:
        host = (env.get("SMTP_HOST") or "").strip()
        if not host:
            raise ConfigError("SMTP_HOST is not set: the mail server the digest is sent through")
        security = (env.get("SMTP_SECURITY") or "starttls").strip().lower()
        if security not in SECURITY_PORTS:
            raise ConfigError(f"SMTP_SECURITY must be one of {', '.join(SECURITY_PORTS)}, not {security!r}")
        port_text = (env.get("SMTP_PORT") or "").strip()
        if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
            raise ConfigError(f"SMTP_PORT must be a port number, not {port_text!r}")
        username = env.get("SMTP_USERNAME") or None
        password = env.get("SMTP_PASSWORD") or None
        if bool(username) != bool(password):
            raise ConfigError("SMTP_USERNAME and SMTP_PASSWORD go together: set both, or neither")
        if security == "none" and username and host not in LOOPBACK:
            raise ConfigError(f"SMTP_SECURITY none would send the password to {host} unencrypted: use starttls or ssl")
        return cls(host, int(port_text) if port_text else SECURITY_PORTS[security], security, username, password, sender_address(env.get("SMTP_FROM")))


def _is_temporary(code: int | None) -> bool:
    return code is not None and 400 <= code < 500


def _reason(code, text) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"


class Mailer:
    """One SMTP connection, opened at the first message and closed by ``close``."""

    def __init__(self, config: SmtpConfig, *, pause: float = 1.0, retries: int = 3, backoff: float = 10.0, sleep: Callable[[float], None] = time.sleep):
        self.config, self.pause, self.retries, self.backoff, self.sleep = config, pause, retries, backoff, sleep
        self._smtp: smtplib.SMTP | None = None
        self._sent_any = False

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c.security == "ssl":
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=TIMEOUT)
            if c.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if c.username:
            smtp.login(c.username, c.password)  # a refusal here stops the run: no retry
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, message: EmailMessage, to: str) -> None:
        """Send ``message`` to ``to``, or raise ``SendFailed`` saying why."""
        if self._sent_any and self.pause > 0:
            self.sleep(self.pause)
        self._sent_any = True
        for attempt in range(self.retries + 1):
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                self._smtp.send_message(message, from_addr=self.config.sender.addr_spec, to_addrs=[to])
                return
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = exc.recipients.get(to, next(iter(exc.recipients.values()), (None, "refused")))
                reason, temporary = _reason(code, text), _is_temporary(code)
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                reason, temporary = _reason(exc.smtp_code, exc.smtp_error), _is_temporary(exc.smtp_code)
            except smtplib.SMTPAuthenticationError:
                raise
            except (TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError) as exc:
                self._smtp = None  # a new connection for the retry
                reason, temporary = f"connection lost: {exc}", True
            except smtplib.SMTPResponseException as exc:
                reason, temporary = _reason(exc.smtp_code, exc.smtp_error), _is_temporary(exc.smtp_code)
            if not temporary:
                raise SendFailed(f"{reason} (permanent: not retried)")
            if attempt < self.retries:
                self.sleep(self.backoff * 2**attempt)
        raise SendFailed(f"{reason} (temporary, still refused after {self.retries + 1} attempts)", temporary=True)
