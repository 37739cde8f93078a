"""Benchmark of the WhatsApp webhook: signed inbound messages on loopback against the real app. Prints its figures.

Three processes on 127.0.0.1: the app (create_app under uvicorn, SQLite in a temporary folder, scheduler and
dispatcher on, as `umkm serve` runs on one machine), the Twilio stand-in (tests/fake_twilio.py) that the replies
go to through the real twilio library, and this load generator. Users walk a simulation (menu, amount, tenor,
scheme, back to the menu). Phase 1 is closed-loop (fixed concurrency: the most the app takes); phase 2 sends at
a fixed rate (the target 200/s) and measures latency there. Every process stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[1]  # run from here: python -m bench.whatsapp

PUBLIC = "https://umkm.example.id"
PATH = "/webhooks/whatsapp"
ACCOUNT = "AC" + "0123456789abcdef" * 2
TOKEN = "bench-auth-token-not-a-secret"
FROM = "whatsapp:+14155238886"
SCRIPT = ["halo", "Simulasi angsuran", "20 juta", "12 bulan", "KUR Mikro", "menu"]
LIFETIME = 300.0  # seconds after which every child process stops, whatever happens here
_sids = itertools.count(1)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_app(port: int, db_url: str, twilio_url: str, seconds: float) -> None:
    """Child process: the app under uvicorn with the WhatsApp channel pointed at the stand-in."""
    import logging

    import uvicorn

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: maximum number of running instances"
    from pydantic import SecretStr

    from bot.app import create_app
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,
        database_url=db_url,
        public_base_url=PUBLIC,
        twilio_account_sid=ACCOUNT,
        twilio_auth_token=SecretStr(TOKEN),
        twilio_whatsapp_from=FROM,
        twilio_api_base_url=twilio_url,
        twilio_rate_per_second=1000,
    )
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    timer = threading.Timer(seconds, lambda: setattr(server, "should_exit", True))
    timer.daemon = True
    timer.start()
    server.run()


def signed(user: int, step: int) -> tuple[dict[str, str], dict[str, str]]:
    """The form of a user's next message and its X-Twilio-Signature header."""
    sid = f"SM{next(_sids):032x}"
    number = f"+62812{user:07d}"
    form = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": ACCOUNT,
        "From": f"whatsapp:{number}",
        "To": FROM,
        "Body": SCRIPT[step % len(SCRIPT)],
        "NumMedia": "0",
        "ProfileName": f"Pengguna {user}",
        "WaId": number[1:],
        "ApiVersion": "2010-04-01",
    }
    return form, {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(PUBLIC + PATH, form)}


async def post(client: httpx.AsyncClient, form: dict[str, str], headers: dict[str, str]) -> float:
    """Posts one webhook and returns its latency in seconds."""
    start = time.perf_counter()
    response = await client.post(PATH, data=form, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"webhook answered {response.status_code}")
    return elapsed


async def closed_loop(client: httpx.AsyncClient, users: range, rounds: int, concurrency: int) -> list[float]:
    """Each worker walks its users through the script; returns every latency."""
    queue = [signed(user, step) for step in range(rounds) for user in users]
    latencies: list[float] = []

    async def worker(items: list[tuple[dict[str, str], dict[str, str]]]) -> None:
        for form, headers in items:
            latencies.append(await post(client, form, headers))

    await asyncio.gather(*(worker(queue[n::concurrency]) for n in range(concurrency)))
    return latencies


async def open_loop(client: httpx.AsyncClient, users: range, rate: float, seconds: float) -> list[float]:
    """Sends at a fixed rate (whatever the answers take); returns every latency."""
    total = int(rate * seconds)
    messages = [signed(users[n % len(users)], n // len(users)) for n in range(total)]
    start = time.perf_counter()
    tasks = []
    for n, (form, headers) in enumerate(messages):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(post(client, form, headers)))
    return list(await asyncio.gather(*tasks))


def figures(latencies: list[float], elapsed: float) -> str:
    """Requests per second and p50/p99 in milliseconds."""
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(ordered)} requests in {elapsed:.1f} s = {len(ordered) / elapsed:,.0f}/s, "
        f"p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
    )


async def wait_until(url: str, seconds: float = 30.0) -> None:
    """Waits for a child's HTTP server to answer."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def settle(stats_url: str, quiet: float = 2.0, limit: float = 60.0) -> tuple[int, float]:
    """Waits until the stand-in stops receiving replies; returns how many and how long it took."""
    start = time.monotonic()
    last, since = -1, time.monotonic()
    async with httpx.AsyncClient() as client:
        while time.monotonic() - start < limit:
            count = (await client.get(stats_url)).json()["messages"]
            if count != last:
                last, since = count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            await asyncio.sleep(0.2)
    return last, since - start


def handled(db_path: Path) -> int:
    """How many inbound messages the engine recorded as handled."""
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT count(*) FROM processedinbound").fetchone()[0]


async def measure(args: argparse.Namespace, app_url: str, twilio_url: str, db_path: Path) -> None:
    """Runs both phases against the running app and prints the figures."""
    await wait_until(f"{twilio_url}/stats")
    await wait_until(f"{app_url}/healthz")
    limits = httpx.Limits(
        max_connections=args.concurrency * 4, max_keepalive_connections=args.concurrency * 4
    )
    async with httpx.AsyncClient(base_url=app_url, limits=limits, timeout=30) as client:
        await closed_loop(client, range(900_000, 900_020), 1, 4)  # warm-up: 20 other users, one message each
        base, _ = await settle(f"{twilio_url}/stats")
        start = time.perf_counter()
        closed = await closed_loop(client, range(args.users), len(SCRIPT), args.concurrency)
        closed_elapsed = time.perf_counter() - start
        replies, drained = await settle(f"{twilio_url}/stats")
        start = time.perf_counter()
        opened = await open_loop(client, range(args.users, 2 * args.users), args.rate, args.seconds)
        open_elapsed = time.perf_counter() - start
        total_replies, open_drained = await settle(f"{twilio_url}/stats")
    warm_up = 20
    sent = len(closed) + len(opened) + warm_up
    print("bench/whatsapp.py (app, Twilio stand-in and load generator as 3 processes on loopback; SQLite)")
    print(f"  closed loop, {args.concurrency} concurrent, {args.users} users x {len(SCRIPT)} messages:")
    print(f"    {figures(closed, closed_elapsed)}")
    answered = closed_elapsed + drained
    print(
        f"    end to end: {len(closed)} messages answered ({replies - base} replies through the stand-in) in "
        f"{answered:.1f} s = {len(closed) / answered:,.0f} messages/s"
    )
    print(f"  offered at a fixed {args.rate:g}/s for {args.seconds:g} s, {args.users} other users:")
    print(f"    {figures(opened, open_elapsed)}  (target >= 200/s, p99 < 100 ms)")
    print(
        f"    replies sent through the stand-in: {total_replies - replies} (drained {open_drained:.1f} s after)"
    )
    print(f"  messages handled by the engine (ProcessedInbound rows): {handled(db_path)} of {sent} sent")
    print(f"  CPU cores: {os.cpu_count()}")


def main() -> None:
    """Starts the stand-in and the app, measures, and stops everything."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--serve", nargs=3, metavar=("PORT", "DB_URL", "TWILIO_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_app(int(args.serve[0]), args.serve[1], args.serve[2], LIFETIME)
        return

    from storage.migrate import upgrade

    folder = Path(tempfile.mkdtemp(prefix="umkm-bench-"))
    db_url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(db_url)
    twilio_port, app_port = free_port(), free_port()
    twilio_url, app_url = f"http://127.0.0.1:{twilio_port}", f"http://127.0.0.1:{app_port}"
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.fake_twilio",
                "--port",
                str(twilio_port),
                "--seconds",
                str(LIFETIME),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "bench.whatsapp", "--serve", str(app_port), db_url, twilio_url],
            cwd=ROOT,
            env=os.environ,
        ),
    ]
    try:
        asyncio.run(asyncio.wait_for(measure(args, app_url, twilio_url, folder / "bench.db"), LIFETIME - 30))
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
