"""A request's values, checked against its form's fields whenever they are written.

``values`` is a JSON object keyed by the form's field keys. Each value must be of its field's
type: text (within its length), a number, an amount (a decimal with at most two places, as a
string or a number), an ISO date, one of a select's options, a list of a multi_select's, true
or false, a member of this tenant (user id), or a file the requester uploaded here (its id).
A key the form does not have is refused; so is a required field left out, once the request is
submitted (a draft may be incomplete). Every problem is a 422 naming ``values.<key>``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from tessera.plugin import Actor, Invalid, NotFound, Uow, get_file, is_member
from tessera_oa.request_fields import TEXT_LIMITS

#: The largest amount a request carries (NUMERIC(14, 2)).
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True, slots=True)
class Checked:
    """Values as stored, the amount they carry, and the files they name (field key, file id)."""

    values: dict[str, Any]
    amount: Decimal | None
    files: list[tuple[str, uuid.UUID]]


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def _text(field: Mapping[str, Any], value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise Invalid(path, "must be text")
    if "\x00" in value:  # JSONB cannot hold it: refused here, not a 500 there
        raise Invalid(path, "must not contain NUL characters")
    cleaned = value.strip()
    limit = field.get("max_length") or TEXT_LIMITS[field["type"]]
    if len(cleaned) > limit:
        raise Invalid(path, f"at most {limit} characters")
    return cleaned


def _number(field: Mapping[str, Any], value: Any, path: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(path, "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid(path, "must be a finite number")
    return value


def amount_of(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid(path, 'must be an amount, like "120.50"')
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(path, 'must be an amount, like "120.50"') from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise Invalid(path, "must be an amount with at most two decimals")
    if not Decimal(0) <= amount <= MAX_AMOUNT:
        raise Invalid(path, f"must be from 0 to {MAX_AMOUNT}")
    return amount


def _amount(field: Mapping[str, Any], value: Any, path: str) -> str:
    return f"{amount_of(value, path):.2f}"


def _date(field: Mapping[str, Any], value: Any, path: str) -> str:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise Invalid(path, 'must be a date, like "2026-12-31"')


def _select(field: Mapping[str, Any], value: Any, path: str) -> str:
    if not isinstance(value, str) or value not in field["options"]:
        raise Invalid(path, f"must be one of {', '.join(field['options'])}")
    return value


def _multi_select(field: Mapping[str, Any], value: Any, path: str) -> list[str]:
    if not isinstance(value, list):
        raise Invalid(path, "must be a list of options")
    chosen: list[str] = []
    for index, item in enumerate(value):
        option = _select(field, item, f"{path}[{index}]")
        if option in chosen:
            raise Invalid(f"{path}[{index}]", f"{option!r} is chosen twice")
        chosen.append(option)
    return chosen


def _bool(field: Mapping[str, Any], value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(path, "must be true or false")
    return value


def _uuid(value: Any, path: str, what: str) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise Invalid(path, f"must be {what}")


#: Field type -> how a value of it is checked and stored (members and files need the database).
SIMPLE: dict[str, Callable[[Mapping[str, Any], Any, str], Any]] = {
    "text": _text,
    "long_text": _text,
    "number": _number,
    "amount": _amount,
    "date": _date,
    "select": _select,
    "multi_select": _multi_select,
    "bool": _bool,
}


async def _member(uow: Uow, value: Any, path: str) -> str:
    user_id = _uuid(value, path, "a member's user id")
    if not await is_member(uow.db, user_id):
        raise Invalid(path, "is not a member of this tenant")
    return str(user_id)


async def _file(uow: Uow, requester: uuid.UUID, value: Any, path: str) -> uuid.UUID:
    file_id = _uuid(value, path, "the id of a file you uploaded")
    try:
        info = await get_file(uow, file_id)
    except NotFound:
        raise Invalid(path, "no such file: upload it first") from None
    if info.created_by != requester:
        raise Invalid(path, "no such file: upload it first")
    return file_id


async def check_values(
    uow: Uow,
    actor: Actor,
    fields: Sequence[Mapping[str, Any]],
    values: Mapping[str, Any],
    *,
    complete: bool,
) -> Checked:
    """The values as stored; 422 naming ``values.<key>`` otherwise. ``complete``: every
    required field must have a value (on submission)."""
    by_key = {field["key"]: field for field in fields}
    for key in values:
        if key not in by_key:
            raise Invalid(f"values.{key}", "is not a field of this form")
    stored: dict[str, Any] = {}
    files: list[tuple[str, uuid.UUID]] = []
    amount: Decimal | None = None
    for key, field in by_key.items():
        path, value = f"values.{key}", values.get(key)
        if _missing(value):
            if complete and field["required"]:
                raise Invalid(path, "is required")
            continue
        kind = field["type"]
        if kind == "member":
            stored[key] = await _member(uow, value, path)
        elif kind == "file":
            file_id = await _file(uow, actor.user_id, value, path)
            stored[key] = str(file_id)
            files.append((key, file_id))
        else:
            stored[key] = SIMPLE[kind](field, value, path)
        if kind == "amount":
            amount = Decimal(stored[key])
    return Checked(stored, amount, files)
