"""Checked reads of the TOML rule and profile files: every error names the file and the key."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, NoReturn


class RuleFileError(ValueError):
    """A rule or profile file is malformed; the message names the file and the key."""


_MISSING: Any = object()
_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
    date: "a date such as 2026-01-05",
    time: "a time of day such as 08:00:00",
}


class Table:
    """Typed, checked reads from one TOML table; every error names the file and the key."""

    def __init__(self, data: dict[str, Any], file: str, path: str = "") -> None:
        self._data, self._file, self._path = data, file, path
        self.seen: set[str] = set()

    def fail(self, key: str, problem: str) -> NoReturn:
        """Raises a RuleFileError for one key."""
        raise RuleFileError(f"{self._file}: key '{self._path}{key}': {problem}")

    def raw(self, key: str, kind: type, default: Any = _MISSING) -> Any:
        """Reads one value of the given type, or the default when the key is absent."""
        self.seen.add(key)
        if key not in self._data:
            if default is _MISSING:
                self.fail(key, f"missing; expected {_KIND_NAMES.get(kind, kind.__name__)}")
            return default
        value = self._data[key]
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            self.fail(key, f"expected {_KIND_NAMES.get(kind, kind.__name__)}, got {value!r}")
        return value

    def text(self, key: str) -> str:
        """Reads a non-empty string."""
        value = self.raw(key, str).strip()
        return value if value else self.fail(key, "must not be empty")

    def count(self, key: str, default: int | None = _MISSING) -> int | None:
        """Reads a whole number that is zero or more."""
        value = self.raw(key, int, default)
        if value is not None and value < 0:
            self.fail(key, f"must be 0 or more, got {value}")
        return value

    def flag(self, key: str) -> bool:
        """Reads true or false."""
        return self.raw(key, bool)

    def rate(self, key: str, default: None = _MISSING) -> Decimal | None:
        """Reads a yearly rate written as a string fraction ("0.06"), never a float."""
        value = self.raw(key, str, default)
        return None if value is None else self._decimal(key, value)

    def rates(self, key: str) -> tuple[Decimal, ...]:
        """Reads a non-empty list of rates, one per access number."""
        values = self.raw(key, list)
        if not values or not all(isinstance(v, str) for v in values):
            self.fail(key, 'expected a non-empty list of rate strings such as ["0.06"]')
        return tuple(self._decimal(key, v) for v in values)

    def day(self, key: str) -> date:
        """Reads a TOML date (no time part)."""
        value = self.raw(key, date)
        return self.fail(key, "expected a date, not a date-time") if isinstance(value, datetime) else value

    def clock(self, key: str) -> time:
        """Reads a TOML local time."""
        return self.raw(key, time)

    def strings(self, key: str, default: tuple[str, ...] | None = _MISSING) -> tuple[str, ...]:
        """Reads a list of non-empty strings."""
        values = self.raw(key, list, default)
        if not all(isinstance(v, str) and v.strip() for v in values):
            self.fail(key, "expected a list of non-empty strings")
        return tuple(values)

    def table(self, key: str) -> Table:
        """Opens a sub-table."""
        return Table(self.raw(key, dict), self._file, f"{self._path}{key}.")

    def tables(self, key: str) -> list[Table]:
        """Opens a non-empty list of sub-tables."""
        values = self.raw(key, list)
        if not values or not all(isinstance(v, dict) for v in values):
            self.fail(key, "expected a non-empty list of tables")
        return [Table(v, self._file, f"{self._path}{key}[{i}].") for i, v in enumerate(values)]

    def names(self) -> tuple[str, ...]:
        """Lists the keys present in this table."""
        return tuple(self._data)

    def unknown(self) -> list[str]:
        """Describes each key that was never read (typos, unknown parameters)."""
        return [
            f"{self._file}: key '{self._path}{key}': unknown key"
            for key in self._data
            if key not in self.seen
        ]

    def close(self) -> None:
        """Rejects keys that were never read."""
        problems = self.unknown()
        if problems:
            raise RuleFileError(problems[0])

    def _decimal(self, key: str, text: str) -> Decimal:
        """Parses a rate fraction between 0 and 1."""
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail(key, f"not a number: {text!r}")
        if not (value.is_finite() and Decimal(0) <= value < Decimal(1)):
            self.fail(key, f"a yearly fraction between 0 and 1 is expected, got {text!r}")
        return value


def parse_table(text: str, label: str) -> Table:
    """Parses TOML text into a checked table whose errors name `label`."""
    try:
        return Table(tomllib.loads(text), label)
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(f"{label}: {error}") from None


def read_package_file(folder: str, name: str) -> tuple[str, str]:
    """The text of core/<folder>/<name>.toml and its label for error messages."""
    label = f"core/{folder}/{name}.toml"
    try:
        return resources.files("core").joinpath(folder, f"{name}.toml").read_text(encoding="utf-8"), label
    except FileNotFoundError:
        raise RuleFileError(f"{label}: file not found") from None
