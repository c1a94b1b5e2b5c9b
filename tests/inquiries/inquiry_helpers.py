"""Helpers the inquiry tests import (conftest.py holds the fixtures)."""
import dataclasses
import socket
import threading
from email import message_from_bytes
from email.message import Message
from typing import List

from bot.inquiries.service import InquiryDraft
from bot.settings import load_settings


def free_port() -> int:
    """A port nothing listens on (the OS picked it and it was released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """aiosmtpd handler keeping every message received."""

    def __init__(self):
        self.lock = threading.Lock()
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted"

    @property
    def messages(self) -> List[Message]:
        with self.lock:
            return [message_from_bytes(e.original_content or e.content) for e in self.envelopes]


class SmtpServer:
    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.port = port
        self.handler = Collector()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def mail_settings(port=None, **overrides):
    """Settings pointing to 127.0.0.1:port, plain SMTP; port None: outbox mode."""
    values = dict(smtp_host="127.0.0.1" if port else "", smtp_port=port or 587, smtp_user="", smtp_password="",
                  smtp_starttls=False, smtp_from="assistant@clair.example", staff_emails=("staff@clair.example",))
    values.update(overrides)
    return dataclasses.replace(load_settings(), **values)


def make_draft(**overrides) -> InquiryDraft:
    values = dict(
        organisation="Batangas City Government", organisation_country="Philippines",
        contact_name="Maria Santos", email="maria.santos@batangas.example", phone="+63 43 123 4567",
        partner_preference="a coastal city in Kyushu", partner_country="Japan",
        purpose="Fisheries, tourism and youth exchange", message="We visited Japan in 2024.",
        conversation_id="conv-1", channel="rest",
    )
    values.update(overrides)
    return InquiryDraft(**values)
