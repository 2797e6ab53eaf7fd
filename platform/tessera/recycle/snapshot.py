"""Rows as JSON and back, keeping their types (ids, times, decimals, bytes)."""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ARRAY, Table


def encode(value: Any) -> Any:
    if isinstance(value, list | tuple):
        # An array column (uuid[], date[] …): each element as a plain value.
        return [encode(item) for item in value]
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def decode_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for column in table.columns:
        # A generated column (a search vector) is PostgreSQL's to fill in again.
        if column.name not in row or column.computed is not None:
            continue
        value = row[column.name]
        if value is None:
            decoded[column.name] = None
        elif isinstance(column.type, ARRAY):
            item_type = _python_type(column.type.item_type)
            decoded[column.name] = [None if v is None else _decode(item_type, v) for v in value]
        else:
            decoded[column.name] = _decode(_python_type(column.type), value)
    return decoded


def _python_type(column_type: Any) -> type:
    try:
        python_type: type = column_type.python_type
    except NotImplementedError:
        return object
    return python_type


def _decode(python_type: type, value: Any) -> Any:
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    if python_type is bytes:
        return base64.b64decode(value)
    return value
