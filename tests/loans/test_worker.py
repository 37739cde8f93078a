"""`umkm worker`: the scheduled jobs and the dispatcher without the web app, stopped by SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.cli import parser
from bot.cli_run import run_worker_until
from bot.jobs import JOBS
from bot.settings import Settings
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]


def test_the_repayment_scan_is_one_periodic_job_of_every_worker() -> None:
    [job] = [job for job in JOBS if job.id == "repayment_reminders"]
    assert job.seconds == 60
    assert parser().parse_args(["worker"]).command == "worker"


async def test_worker_starts_and_stops_without_the_web_app(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    upgrade(url)
    stop = asyncio.Event()
    stop.set()
    await run_worker_until(Settings(database_url=url, _env_file=None), stop)


def test_sigterm_stops_the_worker_cleanly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    upgrade(url)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "TWILIO_"))}
    env |= {"DATABASE_URL": url, "UMKM_ENV": "dev", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Worker berjalan" in process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Worker berhenti." in out
