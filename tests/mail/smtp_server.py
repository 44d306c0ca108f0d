"""A real SMTP server for the email tests: aiosmtpd on 127.0.0.1, recording what it
receives, refusing the recipients it is told to (5xx) and deferring others (4xx) a number
of times before taking them."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket

from aiosmtpd.controller import Controller


class RecordingHandler:
    def __init__(self):
        self.received: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self.refused: set[str] = set()  # 550 at RCPT
        self.deferred: dict[str, int] = {}  # 451 at RCPT this many more times
        self.attempts: list[str] = []  # every RCPT address, in order

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.attempts.append(address)
        if address in self.refused:
            return "550 5.1.1 No such user here"
        if self.deferred.get(address, 0) > 0:
            self.deferred[address] -= 1
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for _, rcpt, message in self.received if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_server():
    """A running server: yields (handler, port)."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
