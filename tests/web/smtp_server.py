"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can be
stopped and started again on the same port to play a mail server that goes down."""

from __future__ import annotations

import asyncio
import email
import email.message
import email.policy
import socket
import threading
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Recorder:
    """The server's handler: accepts every message (or refuses listed recipients)."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        # Once the count reaches `go_down_after`, the server goes down: the open
        # connection ends after its reply and the next connection is refused.
        self.go_down_after: int | None = None
        self.close_listener: Callable[[], None] = lambda: None
        # The server hangs up after this many messages on one connection (as some do).
        self.messages_per_connection: int | None = None
        self.connections = 0
        self._lock = threading.Lock()

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope,
                          hostname: str, responses: list[str]) -> list[str]:
        session.host_name = hostname
        with self._lock:
            self.connections += 1
        return responses

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        with self._lock:
            self.received.append(parsed)
            going_down = self.go_down_after is not None and len(self.received) >= self.go_down_after
        session_count = getattr(session, "omov_messages", 0) + 1
        session.omov_messages = session_count  # type: ignore[attr-defined]
        limit = self.messages_per_connection
        if going_down or (limit is not None and session_count >= limit):
            transport = server.transport
            assert transport is not None
            asyncio.get_running_loop().call_soon(transport.close)
        if going_down:
            # No new connection from now on; this one ends once the 250 is written
            # (closing a transport flushes it first), so this message counts as sent.
            self.go_down_after = None
            self.close_listener()
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(message["Subject"]) for message in self.received]


class SmtpServer:
    """One port; `stop()` and `start()` take the server down and bring it back."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Recorder()
        self._controller: Controller | None = None

    def start(self) -> None:
        controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        controller.start()
        self._controller = controller

        def close_listener() -> None:
            assert controller.server is not None
            controller.server.close()

        self.handler.close_listener = close_listener

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self) -> dict[str, Any]:
        return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": self.port, "EMAIL_USE_TLS": False,
                "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "", "EMAIL_TIMEOUT": 5}
