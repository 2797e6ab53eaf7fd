"""Outgoing mail through one interface.

SMTP (aiosmtplib) when ``TESSERA_SMTP_URL`` is set. Otherwise the dev mailer logs each
message and keeps it as a JSON file under the data directory, where ``GET /api/v1/dev/mail``
lists it so a developer can click the link.

Messages are queued during a request and sent only after its transaction commits: a
rolled-back sign-up sends no mail.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from tessera.db.ids import uuid7

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Message:
    to: str
    subject: str
    body: str
    #: The link the message is about, kept apart so dev tools can show it.
    link: str | None = None


@dataclass(slots=True)
class MailQueue:
    """Messages waiting for their transaction to commit."""

    messages: list[Message] = field(default_factory=list)

    def add(self, message: Message) -> None:
        self.messages.append(message)


class Mailer(Protocol):
    async def send(self, message: Message) -> None: ...


class SmtpMailer:
    def __init__(self, smtp_url: str, sender: str) -> None:
        parts = urlsplit(smtp_url)
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (465 if parts.scheme == "smtps" else 587)
        self._tls = parts.scheme == "smtps"
        self._username = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._sender = sender

    async def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"] = self._sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email.set_content(message.body)
        await aiosmtplib.send(
            email,
            hostname=self._host,
            port=self._port,
            use_tls=self._tls,
            # smtps:// is TLS from the start; smtp:// upgrades with STARTTLS when offered.
            start_tls=False if self._tls else None,
            username=self._username,
            password=self._password,
            timeout=20,
        )


class DevMailer:
    """Keeps every message as a file and logs it (never used when SMTP is configured)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: Message) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {"id": str(uuid7()), "sent_at": datetime.now(UTC).isoformat(), **asdict(message)}
        (self.directory / f"{record['id']}.json").write_text(json.dumps(record))
        logger.info(
            "mail kept for development", extra={"to": message.to, "subject": message.subject}
        )

    def messages(self, limit: int = 50) -> list[dict[str, str]]:
        """The newest messages first."""
        if not self.directory.exists():
            return []
        files = sorted(self.directory.glob("*.json"), reverse=True)[:limit]
        return [json.loads(path.read_text()) for path in files]


async def deliver(mailer: Mailer, queue: MailQueue) -> None:
    """Send what a committed transaction queued; a failure is logged, never raised."""
    for message in queue.messages:
        try:
            await mailer.send(message)
        except Exception:
            logger.exception("mail delivery failed", extra={"subject": message.subject})
    queue.messages.clear()
