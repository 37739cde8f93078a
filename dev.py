"""One-command setup for newcomers and CI: `python3 dev.py run | chat | test | bench`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_installed() -> None:
    """Creates .venv and installs the project with its dev extras when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("Membuat virtualenv .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    print("Memasang dependensi (sekali saja) ...", flush=True)
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def umkm(*args: str) -> None:
    """Runs the project's CLI inside the virtualenv."""
    subprocess.run([str(BIN / "umkm"), *args], check=True, cwd=ROOT)


def main(argv: list[str]) -> int:
    """Dispatches the dev command."""
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    ensure_installed()
    if command == "test":
        return subprocess.run([str(BIN / "pytest"), *rest], cwd=ROOT).returncode
    if command == "bench":
        for script in sorted((ROOT / "bench").glob("[!_]*.py")):
            subprocess.run([str(BIN / "python"), "-m", f"bench.{script.stem}", *rest], check=True, cwd=ROOT)
        return 0
    umkm("migrate")
    umkm("seed-demo")
    if command == "chat":
        umkm("chat", *rest)
    elif command == "run":
        umkm("serve", *rest)
    elif command != "setup":
        print(f"Unknown command {command!r}: use run, chat, test, bench or setup", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
