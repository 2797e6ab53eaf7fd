"""Mail through SMTP (a real SMTP server on loopback), and what happens when it is down."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tessera.mail.service import MailQueue, Message, SmtpMailer, deliver
from tests.support import free_port


class _Inbox:
    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox, port = _Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def test_smtp_delivers_the_message(smtp_server: tuple[_Inbox, int]) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer(f"smtp://127.0.0.1:{port}", "Tessera <no-reply@tessera.test>")
    await mailer.send(
        Message(to="ada@example.com", subject="Hello", body="Open this:\nhttps://x\n")
    )
    [envelope] = inbox.received
    assert envelope.rcpt_tos == ["ada@example.com"]
    parsed = message_from_bytes(envelope.content)
    assert parsed["Subject"] == "Hello"
    assert parsed["From"] == "Tessera <no-reply@tessera.test>"
    assert "https://x" in parsed.get_payload()


async def test_a_mail_server_that_is_down_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailer = SmtpMailer(f"smtp://127.0.0.1:{free_port()}", "Tessera <no-reply@tessera.test>")
    queue = MailQueue()
    queue.add(Message(to="ada@example.com", subject="Lost", body="…"))
    with caplog.at_level(logging.ERROR, logger="tessera.mail.service"):
        await deliver(mailer, queue)
    assert queue.messages == []
    assert any(r.getMessage() == "mail delivery failed" for r in caplog.records)
