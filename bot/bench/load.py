"""The load generator: conversations over Rasa's REST channel (/webhooks/rest/webhook), one
request at a time per conversation, as a chat front end sends them (asyncio + aiohttp)."""
from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass
from typing import Sequence

import aiohttp

REQUEST_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Reply:
    sender: str
    latency: float  # seconds from sending the request to reading the whole reply
    status: int  # HTTP status; 0 when the request failed without one
    texts: tuple[str, ...]
    error: str = ""
    messages: tuple[dict, ...] = ()  # the bot messages as sent (text, buttons, custom payloads)

    @property
    def answered(self) -> bool:
        """A real reply: HTTP 200 with at least one non-empty bot message."""
        return self.status == 200 and any(text.strip() for text in self.texts)


@dataclass(frozen=True)
class LoadRun:
    replies: list[Reply]
    elapsed: float  # wall time of the whole run, seconds


def new_sender(label: str) -> str:
    """A conversation id that no earlier run used (the tracker store keeps old conversations)."""
    return f"bench-{label}-{uuid.uuid4().hex[:12]}"


class RestClient:
    """One HTTP session (kept-alive connections) to the Rasa server's REST channel."""

    def __init__(self, rasa_url: str, connections: int = 100):
        self.url = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("RestClient is used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> "RestClient":
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.connections),
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS))
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()

    async def send(self, sender: str, message: str) -> Reply:
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, json={"sender": sender, "message": message}) as response:
                body = await response.json(content_type=None) if response.status == 200 else None
                latency = time.perf_counter() - started
                messages = tuple(m for m in body or [] if isinstance(m, dict))
                texts = tuple(str(m.get("text") or "") for m in messages)
                return Reply(sender, latency, response.status, texts, messages=messages)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            return Reply(sender, time.perf_counter() - started, 0, (), f"{type(error).__name__}: {error}")


async def sequential(rasa_url: str, questions: Sequence[str], count: int, per_sender: int) -> LoadRun:
    """`count` questions one after another, a new visitor every `per_sender` questions."""
    async with RestClient(rasa_url, connections=1) as client:
        started = time.perf_counter()
        replies: list[Reply] = []
        sender = ""
        for index, question in zip(range(count), itertools.cycle(questions)):
            if index % per_sender == 0:
                sender = new_sender("seq")
            replies.append(await client.send(sender, question))
        return LoadRun(replies, time.perf_counter() - started)


async def concurrent(rasa_url: str, questions: Sequence[str], conversations: int, seconds: float) -> LoadRun:
    """`conversations` visitors at once, each sending its next question as soon as the last one is
    answered, until `seconds` have passed (a request in flight then is still waited for)."""
    async with RestClient(rasa_url, connections=conversations) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def visitor(number: int) -> list[Reply]:
            sender, replies = new_sender(f"c{conversations}"), list[Reply]()
            # Each visitor starts at another place in the list, so they do not ask in lockstep.
            offset = number * len(questions) // conversations
            for question in itertools.cycle([*questions[offset:], *questions[:offset]]):
                if time.perf_counter() >= deadline:
                    break
                replies.append(await client.send(sender, question))
            return replies

        results = await asyncio.gather(*(visitor(n) for n in range(conversations)))
        return LoadRun([reply for replies in results for reply in replies], time.perf_counter() - started)


async def one_conversation(rasa_url: str, questions: Sequence[str], count: int) -> LoadRun:
    """`count` questions in one conversation (the tracker grows with every message)."""
    async with RestClient(rasa_url, connections=1) as client:
        sender = new_sender("long")
        started = time.perf_counter()
        replies = [await client.send(sender, question) for _, question in zip(range(count), itertools.cycle(questions))]
        return LoadRun(replies, time.perf_counter() - started)


async def single(rasa_url: str, message: str) -> Reply:
    """One message from a new visitor."""
    async with RestClient(rasa_url, connections=1) as client:
        return await client.send(new_sender("one"), message)
