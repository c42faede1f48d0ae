"""Notifiers the settings choose from: a file under var/ (the default, for one machine),
the console log, or SMTP for production."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from resolvers.platform import Message

logger = logging.getLogger("satupintu.notify")


class FileNotifier:
    """Appends each message as one JSON line to a file only its owner may read."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, message: Message) -> None:
        line = json.dumps(message.__dict__, ensure_ascii=False) + "\n"
        await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as file:
            file.write(line)


class ConsoleNotifier:
    async def send(self, message: Message) -> None:
        logger.info("message to %s: %s\n%s", message.to, message.subject, message.body)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False


class SmtpNotifier:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def send(self, message: Message) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: Message) -> None:
        server = self.server
        mail = EmailMessage()
        mail["From"] = server.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        with smtplib.SMTP(server.host, server.port, timeout=10) as smtp:
            if server.starttls:
                smtp.starttls()
            if server.username and server.password:
                smtp.login(server.username, server.password)
            smtp.send_message(mail)
