"""A fake Telegram Bot API: a small FastAPI app that records every call and can be told to fail the next ones.

Plug it into python-telegram-bot in-process with `FakeTelegram.transport()` (no sockets), or serve it on a loopback
port with `serve_in_thread(fake.app)` (benchmark, CLI tests). PTB posts url-encoded forms whose nested fields
(reply_markup, commands, allowed_updates, ...) are JSON strings; `Call.params` holds them decoded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

TOKEN = "123456:TEST-fake-bot-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Rumah UMKM", "username": "RumahUmkmBot"}
BASE_URL = "http://fake-telegram/bot"
# Form fields that are plain strings, never JSON (a text "123" must stay a string).
STRING_FIELDS = frozenset({"text", "parse_mode", "callback_query_id", "url", "secret_token", "caption"})
BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass(frozen=True)
class Call:
    """One request the fake received: method, decoded parameters, the status it answered, when it arrived."""

    method: str
    params: dict[str, Any]
    status: int
    at: float


@dataclass
class Fault:
    """A scripted failure for the next `times` matching calls (None: every matching call)."""

    status: int
    description: str
    method: str | None = "sendMessage"
    chat_id: int | None = None
    times: int | None = 1
    retry_after: int | None = None
    hang: bool = False

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        """Whether this fault applies to a call."""
        return (self.method is None or self.method == method) and (
            self.chat_id is None or params.get("chat_id") == self.chat_id
        )


def decode_form(body: bytes) -> dict[str, Any]:
    """PTB's url-encoded form with JSON-encoded values, decoded."""
    params: dict[str, Any] = {}
    for name, value in parse_qsl(body.decode(), keep_blank_values=True):
        if name in STRING_FIELDS:
            params[name] = value
            continue
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params


@dataclass
class FakeTelegram:
    """The fake server's state: calls, scripted faults, pending updates for getUpdates, webhook and commands."""

    token: str = TOKEN
    poll_wait: float = 0.2
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    commands: list[dict[str, Any]] | None = None
    hanging: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._message_ids = itertools.count(1)
        self.app = FastAPI()
        self.app.add_api_route("/bot{token}/{method}", self._handle, methods=["GET", "POST"])

    def transport(self) -> httpx.ASGITransport:
        """An in-process transport to this fake, for HTTPXRequest."""
        return httpx.ASGITransport(app=self.app)

    def fail(self, status: int, description: str, **fault: Any) -> None:
        """Answers the next matching call(s) with an error (see Fault for the options)."""
        self.faults.append(Fault(status, description, **fault))

    def flood(self, retry_after: int, **fault: Any) -> None:
        """Answers 429 with parameters.retry_after, like Telegram's flood control."""
        self.fail(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after, **fault)

    def block(self, chat_id: int, **fault: Any) -> None:
        """Makes every send to a chat fail with 403 "bot was blocked by the user"."""
        self.fail(403, BLOCKED, chat_id=chat_id, **{"times": None, **fault})

    def break_down(self, times: int = 1) -> None:
        """Answers the next sends with 500 Internal Server Error."""
        self.fail(500, "Internal Server Error", times=times)

    def hang(self, times: int = 1) -> None:
        """Never answers the next sends (the caller times out or is killed); `hanging` is set when one hangs."""
        self.fail(0, "hangs", times=times, hang=True)

    def push_update(self, update: dict[str, Any]) -> None:
        """Queues an update for getUpdates."""
        self.updates.append(update)

    def of(self, method: str, status: int | None = 200) -> list[Call]:
        """The calls of one method (answered with `status`; None for any status)."""
        return [c for c in self.calls if c.method == method and (status is None or c.status == status)]

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Parameters of every accepted sendMessage (to one chat if given), in order."""
        return [c.params for c in self.of("sendMessage") if chat_id is None or c.params["chat_id"] == chat_id]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """The texts of every accepted sendMessage, in order."""
        return [params["text"] for params in self.sent(chat_id)]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Waits (bounded) until `condition` holds, for work another task or process does."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the fake Bot API never saw what was expected")
            await asyncio.sleep(0.01)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The first fault matching this call, used up by one."""
        fault = next((f for f in self.faults if f.matches(method, params)), None)
        if fault is not None and fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
        return fault

    async def _handle(self, token: str, method: str, request: Request) -> JSONResponse:
        """Answers one Bot API call."""
        arrived = time.perf_counter()
        body = await request.body()
        params = json.loads(body) if body.startswith(b"{") else decode_form(body)
        if token != self.token:
            return self._answer(Call(method, params, 401, arrived), {"description": "Unauthorized"})
        fault = self._take_fault(method, params)
        if fault is not None:
            if fault.hang:
                self.calls.append(Call(method, params, 0, arrived))
                self.hanging.set()
                await asyncio.get_running_loop().create_future()
            extra = {"parameters": {"retry_after": fault.retry_after}} if fault.retry_after else {}
            return self._answer(
                Call(method, params, fault.status, arrived), {"description": fault.description, **extra}
            )
        result = await self._result(method, params)
        if result is None:
            return self._answer(
                Call(method, params, 404, arrived), {"description": "Not Found: method not found"}
            )
        return self._answer(Call(method, params, 200, arrived), {"result": result})

    def _answer(self, call: Call, payload: dict[str, Any]) -> JSONResponse:
        """Records a call and answers it in the Bot API's envelope."""
        self.calls.append(call)
        if call.status == 200:
            return JSONResponse({"ok": True, **payload})
        return JSONResponse({"ok": False, "error_code": call.status, **payload}, status_code=call.status)

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        """The successful result of a method, or None for a method the fake does not know."""
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            chat_id = params["chat_id"]
            chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": BOT_USER,
            }
        if method == "setMyCommands":
            self.commands = params["commands"]
            return True
        if method == "setWebhook":
            self.webhook = params
            return True
        if method == "deleteWebhook":
            self.webhook = None
            return True
        if method in ("answerCallbackQuery", "editMessageReplyMarkup"):
            return True
        if method == "getUpdates":
            return await self._updates(params)
        return None

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long polling: confirms updates before `offset`, then waits briefly for pending ones."""
        offset = params.get("offset") or 0
        self.updates[:] = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), self.poll_wait)
        while not self.updates and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return self.updates[: int(params.get("limit") or 100)]


@contextmanager
def serve_in_thread(app: Any, *, lifespan: str = "off", keep_alive: int = 75) -> Iterator[str]:
    """Serves an ASGI app with uvicorn on a free loopback port in a thread; yields its base URL."""
    # Idle connections stay open `keep_alive` seconds, like Telegram's servers: uvicorn's 5-second default races
    # clients that reuse a connection just as the server closes it (httpx.ReadError).
    sock = socket.socket()
    sock.setsockopt(
        socket.IPPROTO_TCP, socket.TCP_NODELAY, 1
    )  # else Nagle + delayed ACK stall each answer 40 ms
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan=lifespan, timeout_keep_alive=keep_alive
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the loopback server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
