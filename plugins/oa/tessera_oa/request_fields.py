"""A request form's fields: what an admin may declare, checked before a form is stored.

Each field is ``{key, label, type, required, options, max_length}``. Keys are short snake_case
names (the JSON keys of a request's ``values``), unique in the form; ``options`` belong to the
select types only (1 to 50 distinct ones); ``max_length`` to the text types; a form has at most
one ``amount`` field, which workflow conditions read as the request's ``amount``. Every problem
is a 422 naming ``fields[i].<what>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec

from tessera.plugin import Input, Invalid

FIELD_TYPES = (
    "text",
    "long_text",
    "number",
    "amount",
    "date",
    "select",
    "multi_select",
    "bool",
    "member",
    "file",
)
SELECT_TYPES = ("select", "multi_select")
TEXT_TYPES = ("text", "long_text")
#: The longest text a field takes when its form sets no ``max_length`` (and at most).
TEXT_LIMITS = {"text": 500, "long_text": 10_000}
MAX_FIELDS = 50
MAX_OPTIONS = 50
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

Label = Annotated[str, msgspec.Meta(max_length=200)]
Option = Annotated[str, msgspec.Meta(max_length=200)]


class FormFieldIn(Input):
    key: Annotated[str, msgspec.Meta(max_length=40)]
    label: Label
    #: text, long_text, number, amount, date, select, multi_select, bool, member or file
    type: Annotated[str, msgspec.Meta(max_length=20)]
    required: bool = False
    #: The choices of a select or multi_select field (1 to 50, distinct).
    options: Annotated[list[Option], msgspec.Meta(max_length=200)] | None = None
    #: The longest answer a text field takes (at most 500 for text, 10 000 for long_text).
    max_length: int | None = None


class FormFieldOut(msgspec.Struct):
    key: str
    label: str
    type: str
    required: bool
    options: list[str] | None
    max_length: int | None


def field_out(data: dict[str, Any]) -> FormFieldOut:
    return FormFieldOut(
        key=data["key"],
        label=data["label"],
        type=data["type"],
        required=data["required"],
        options=data.get("options"),
        max_length=data.get("max_length"),
    )


def _options(field: FormFieldIn, path: str) -> list[str] | None:
    if field.type not in SELECT_TYPES:
        if field.options is not None:
            raise Invalid(f"{path}.options", "only select and multi_select fields have options")
        return None
    options = [" ".join(option.split()) for option in field.options or []]
    if not 1 <= len(options) <= MAX_OPTIONS:
        raise Invalid(f"{path}.options", f"give 1 to {MAX_OPTIONS} options")
    for index, option in enumerate(options):
        if not option:
            raise Invalid(f"{path}.options[{index}]", "must not be blank")
        if "\x00" in option:  # JSONB cannot hold it: refused here, not a 500 there
            raise Invalid(f"{path}.options[{index}]", "must not contain NUL characters")
        if option in options[:index]:
            raise Invalid(f"{path}.options[{index}]", f"{option!r} is there twice")
    return options


def _max_length(field: FormFieldIn, path: str) -> int | None:
    if field.max_length is None:
        return None
    if field.type not in TEXT_TYPES:
        raise Invalid(f"{path}.max_length", "only text and long_text fields have a length")
    limit = TEXT_LIMITS[field.type]
    if not 1 <= field.max_length <= limit:
        raise Invalid(f"{path}.max_length", f"must be from 1 to {limit}")
    return field.max_length


def _checked(field: FormFieldIn, path: str, seen: set[str]) -> dict[str, Any]:
    if not KEY.fullmatch(field.key):
        raise Invalid(
            f"{path}.key", "1-40 lowercase letters, digits or '_', starting with a letter"
        )
    if field.key in seen:
        raise Invalid(f"{path}.key", f"{field.key!r} is the key of an earlier field")
    label = " ".join(field.label.split())
    if not label:
        raise Invalid(f"{path}.label", "must not be blank")
    if field.type not in FIELD_TYPES:
        raise Invalid(f"{path}.type", f"must be one of {', '.join(FIELD_TYPES)}")
    return {
        "key": field.key,
        "label": label,
        "type": field.type,
        "required": field.required,
        "options": _options(field, path),
        "max_length": _max_length(field, path),
    }


def check_fields(fields: Sequence[FormFieldIn]) -> list[dict[str, Any]]:
    """The fields as stored; 422 naming ``fields[i].<what>`` for the first problem."""
    if not fields:
        raise Invalid("fields", "a form needs at least one field")
    if len(fields) > MAX_FIELDS:
        raise Invalid("fields", f"at most {MAX_FIELDS} fields")
    checked: list[dict[str, Any]] = []
    seen: set[str] = set()
    amount_at: int | None = None
    for index, field in enumerate(fields):
        path = f"fields[{index}]"
        stored = _checked(field, path, seen)
        if stored["type"] == "amount":
            if amount_at is not None:
                raise Invalid(
                    f"{path}.type", f"a form has one amount field (fields[{amount_at}] is one)"
                )
            amount_at = index
        seen.add(field.key)
        checked.append(stored)
    return checked


def amount_key(fields: Sequence[dict[str, Any]]) -> str | None:
    return next((f["key"] for f in fields if f["type"] == "amount"), None)


def check_title_field(title_field: str | None, fields: Sequence[dict[str, Any]]) -> str | None:
    """A title field names one of the form's text fields."""
    if title_field is None:
        return None
    if not any(f["key"] == title_field and f["type"] == "text" for f in fields):
        raise Invalid("title_field", "must be the key of one of the form's text fields")
    return title_field
