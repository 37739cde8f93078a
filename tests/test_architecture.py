"""The import contracts in pyproject.toml hold (import-linter), and they name every flow the engine knows."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from bot.flows.registry import FLOWS

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> dict[str, dict]:
    """The import-linter contracts by name."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["name"]: contract for contract in config["contracts"]}


def test_the_import_contracts_are_kept() -> None:
    """core below storage below bot; no flow imports another; shared pieces import no flow."""
    lint = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_every_flow_is_in_the_independence_contract() -> None:
    """A new flow cannot slip out of the contract: each flow's module is listed."""
    listed = set(_contracts()["flows do not import each other"]["modules"])
    modules = {flow.steps[flow.first].ask.__module__ for flow in FLOWS.values()}
    for module in modules:
        assert any(module == entry or module.startswith(f"{entry}.") for entry in listed), module
