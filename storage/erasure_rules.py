"""How the erasure registry (storage/personal_data.py) is written: the person, sets of rows, classified columns.

A set of rows either gets fixed anonymous values (constants, or values built from the person), is deleted, or,
for rows of other people that quote the person, has every quote cut out of its text and JSON, row by row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, cast, false, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Contact

CUT_QUOTES = "<cut the person's data out of this value>"
QUOTE_MIN = 4  # shorter values (a two-letter name) would cut words out of other people's text


@dataclass(frozen=True, slots=True)
class Person:
    """The contact being erased, as it was before erasure (its chat id finds rows sent to it)."""

    contact_id: int
    channel: str
    external_id: str
    now: datetime
    quotes: tuple[str, ...] = ()  # the person's names, numbers and notes, to cut out of other people's rows


Value = Any | Callable[[Person], Any]  # a constant, or built from the person (a SQL expression or a value)


@dataclass(frozen=True, slots=True)
class Rows:
    """One set of a table's rows that belongs to the person, and what erasing writes into them."""

    describe: str
    where: Callable[[Person], ColumnElement[bool]]
    erase: Mapping[str, Value] = field(default_factory=dict)  # personal columns -> anonymous value
    settle: Mapping[str, Value] = field(default_factory=dict)  # bookkeeping columns (status) -> new value
    delete: bool = False

    @property
    def quoting(self) -> bool:
        """Other people's rows that quote the person: the quotes are cut out of the erase columns, row by row."""
        return CUT_QUOTES in self.erase.values()


@dataclass(frozen=True, slots=True)
class TableData:
    """A table's columns, classified, and the sets of rows an erasure touches."""

    personal: Mapping[str, str]  # column -> what personal data it holds
    not_personal: Mapping[str, str]  # column -> why it holds none
    rows: tuple[Rows, ...] = ()


def quoting(*columns: Any, contact: Any) -> Callable[[Person], ColumnElement[bool]]:
    """Rows of consultants and admins whose text or JSON columns quote any of the person's data (case folded).

    Only staff see other people's data (an owner's messages and answers are about themselves), so an owner's row
    is never rewritten because it happens to contain the same word as the person's name.
    """

    def where(person: Person) -> ColumnElement[bool]:
        texts = [func.lower(cast(column, Text)) for column in columns]
        forms = {form for quote in person.quotes for form in _json_forms(quote.lower())}
        found = or_(false(), *(text.contains(form, autoescape=True) for text in texts for form in forms))
        staff = select(Contact.id).where(Contact.role != "owner", Contact.id != person.contact_id)
        return and_(contact.in_(staff), found)

    return where


def _json_forms(quote: str) -> set[str]:
    """A quote as it appears inside stored JSON: ASCII-escaped (SQLite) or not (PostgreSQL's JSONB)."""
    return {quote, json.dumps(quote)[1:-1], json.dumps(quote, ensure_ascii=False)[1:-1]}


def cut_quotes(value: Any, quotes: tuple[str, ...]) -> Any:
    """A text or JSON value with every quote of the person replaced by '-' (case folded), keys and shape kept."""
    if isinstance(value, str):
        for quote in quotes:
            value = re.sub(re.escape(quote), "-", value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: cut_quotes(item, quotes) for key, item in value.items()}
    if isinstance(value, list):
        return [cut_quotes(item, quotes) for item in value]
    return value


def values_for(rows: Rows, person: Person) -> dict[str, Any]:
    """What erasing writes into one set of rows for this person."""
    chosen = {**rows.erase, **rows.settle}
    return {name: value(person) if callable(value) else value for name, value in chosen.items()}
