"""A local stand-in for Twilio's Messages API: records what was sent, answers like Twilio, fails on request.

Tests run it on a loopback port with uvicorn in a thread (the real twilio library talks to it through aiohttp);
the benchmark runs it as its own process: `python -m tests.fake_twilio --port 8999 --seconds 60`.
Either way it stops by itself after `seconds`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

RECORDED = ("To", "From", "Body", "ContentSid", "ContentVariables", "StatusCallback")
ERRORS = {
    63016: (400, "Failed to send freeform message because you are outside the allowed window."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    63018: (429, "Rate limit exceeded for Channel"),
    20429: (429, "Too Many Requests"),
    21211: (400, "Invalid 'To' Phone Number"),
    500: (500, "Internal Server Error"),
}


@dataclass
class FakeTwilio:
    """The stand-in's state: the messages it accepted and the errors it still has to answer with."""

    messages: list[dict[str, str]] = field(default_factory=list)
    requests: int = 0
    _failures: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, code: int, times: int = 1) -> None:
        """Answers the next `times` create calls with Twilio's error JSON for `code` (63016, 21610, 63018, 500...)."""
        with self._lock:
            self._failures.extend([code] * times)

    def reset(self) -> None:
        """Forgets recorded messages and pending failures."""
        with self._lock:
            self.messages.clear()
            self._failures.clear()
            self.requests = 0

    def bodies(self) -> list[str]:
        """The Body of every accepted message, in order."""
        return [message.get("Body", "") for message in self.messages]

    def _next_failure(self) -> int | None:
        """Takes the next scripted failure, if any."""
        with self._lock:
            self.requests += 1
            return self._failures.pop(0) if self._failures else None

    def app(self) -> FastAPI:
        """The ASGI app speaking the part of Twilio's REST API we use."""
        api = FastAPI()

        @api.post("/2010-04-01/Accounts/{account_sid}/Messages.json")
        async def create_message(account_sid: str, request: Request) -> JSONResponse:
            """Creates a message, or answers the next scripted error."""
            authorization = request.headers.get("authorization", "")
            user = base64.b64decode(authorization.removeprefix("Basic ")).decode().partition(":")[0]
            if not authorization.startswith("Basic ") or user != account_sid:
                return _error(20003, 401, "Authenticate")
            form = await request.form()
            code = self._next_failure()
            if code is not None:
                status, message = ERRORS.get(code, (400, "Error"))
                return _error(code, status, message)
            recorded = {name: str(form[name]) for name in RECORDED if name in form}
            recorded["sid"] = "SM" + secrets.token_hex(16)
            with self._lock:
                self.messages.append(recorded)
            return JSONResponse(_message_json(account_sid, recorded), status_code=201)

        @api.get("/stats")
        async def stats() -> dict[str, int]:
            """How many create calls came in and how many messages were accepted (for the benchmark)."""
            return {"requests": self.requests, "messages": len(self.messages)}

        return api

    @contextlib.contextmanager
    def serve(self, seconds: float = 600.0) -> Iterator[str]:
        """Runs the stand-in on a free loopback port in a thread; yields its base URL; stops after `seconds`."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(self.app(), log_level="warning", lifespan="off", access_log=False)
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        deadline = threading.Timer(seconds, lambda: setattr(server, "should_exit", True))
        deadline.daemon = True
        thread.start()
        deadline.start()
        try:
            started = time.monotonic()
            while not server.started:
                if not thread.is_alive() or time.monotonic() - started > 10:
                    raise RuntimeError("the Twilio stand-in did not start")
                time.sleep(0.01)
            yield f"http://127.0.0.1:{port}"
        finally:
            deadline.cancel()
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()


def _error(code: int, status: int, message: str) -> JSONResponse:
    """Twilio's error JSON."""
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return JSONResponse(body, status_code=status)


def _message_json(account_sid: str, recorded: dict[str, str]) -> dict[str, object]:
    """A Message resource as Twilio returns it on create."""
    now = format_datetime(datetime.now(UTC), usegmt=True)
    sid = recorded["sid"]
    return {
        "sid": sid,
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "body": recorded.get("Body", ""),
        "date_created": now,
        "date_updated": now,
        "date_sent": None,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": recorded.get("From"),
        "to": recorded.get("To"),
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": None,
        "status": "queued",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}/Media.json"},
        "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
    }


def main() -> None:
    """Runs the stand-in as a process until `--seconds` pass (for the benchmark)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    fake = FakeTwilio()
    server = uvicorn.Server(
        uvicorn.Config(
            fake.app(),
            host="127.0.0.1",
            port=args.port,
            log_level="warning",
            lifespan="off",
            access_log=False,
        )
    )
    deadline = threading.Timer(args.seconds, lambda: setattr(server, "should_exit", True))
    deadline.daemon = True
    deadline.start()
    server.run()
    print(f"fake twilio: {len(fake.messages)} messages accepted", flush=True)


if __name__ == "__main__":
    main()
