"""Fields whose inputs the data decides: a ``field_list`` (a list of field definitions a tenant's
admin designs) and ``values`` (one value per field of the list a referenced record holds).

Checked here, by what is wrong with them (a text for :class:`ManifestError`), so the manifest's
own checks stay short.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tessera.plugin.manifest import Field

#: The types a ``field_list`` row may have, as the API takes them (``{"type": "amount"}``).
VALUE_TYPES = (
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
#: The shapes the two field types take; their values are JSON, not one scalar.
DYNAMIC = ("field_list", "values")


def field_problem(f: Field, by_name: Mapping[str, Field]) -> str | None:
    """What is wrong with a field's ``schema_from``, ``schema_field`` or a field list's options."""
    if f.type != "values":
        if f.schema_from is not None or f.schema_field is not None:
            return "only a values field has schema_from and schema_field"
        if f.type == "field_list" and (unknown := sorted(set(f.options) - set(VALUE_TYPES))):
            return f"a field_list offers the types {', '.join(VALUE_TYPES)}, not {unknown}"
        return None
    if f.schema_from is None or f.schema_field is None:
        return "a values field needs schema_from and schema_field"
    source = by_name.get(f.schema_from)
    if source is None or source.type != "reference" or source.reference is None:
        return (
            f"schema_from must name a reference field of the resource that names its resource "
            f"({f.schema_from!r} does not)"
        )
    if f.options:
        return "a values field takes its options from the referenced record"
    return None


def source_problem(
    f: Field, by_name: Mapping[str, Field], fields_of: Mapping[str, Mapping[str, Field]]
) -> str | None:
    """A values field's schema is a ``field_list`` field of the plugin's resource it references."""
    if f.type != "values" or f.schema_from is None:
        return None
    target = by_name[f.schema_from].reference
    schema = fields_of.get(target or "", {}).get(f.schema_field or "")
    if schema is None or schema.type != "field_list":
        return (
            f"schema_field {f.schema_field!r} must name a field_list field of {target!r}, a "
            "resource of the plugin"
        )
    return None
