"""Column kinds shared by the tables: JSON (JSONB on PostgreSQL), whole Rupiah, exact yearly rates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

JSONType = JSON().with_variant(JSONB(), "postgresql")


def json_field(default_factory: Any = dict) -> Any:
    """A JSON column (JSONB on PostgreSQL) with a default."""
    return Field(default_factory=default_factory, sa_column=Column(JSONType, nullable=False))


def money_field(*, nullable: bool = False, default: int | None = None) -> Any:
    """A whole-Rupiah column wide enough for miliar and triliun."""
    return Field(default=default, sa_type=BigInteger, nullable=nullable)


def rate_field() -> Any:
    """A yearly rate stored exactly as a decimal fraction."""
    return Field(default=Decimal(0), sa_type=Numeric(8, 6), nullable=False)
