"""Notifiers the settings choose from: a file under var/ (the default, for one machine),
the console log, or SMTP for production."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import smtplib
from email.message import EmailMessage
from pathlib import Path

from resolvers.notifier import Message, Notifier
from server.settings import Settings

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


class SmtpNotifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: Message) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: Message) -> None:
        settings = self.settings
        mail = EmailMessage()
        mail["From"] = settings.smtp_from
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(mail)


def make_notifier(settings: Settings) -> Notifier:
    if settings.notifier == "smtp":
        return SmtpNotifier(settings)
    if settings.notifier == "console":
        return ConsoleNotifier()
    return FileNotifier(settings.var_dir / "outbox.jsonl")
