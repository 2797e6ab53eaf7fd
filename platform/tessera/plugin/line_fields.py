"""Line items: a ``lines`` field holds a list of rows (an order's products, quantities and
prices), each row the same few plain values, edited as a table on the record's form.

Checked here, by what is wrong with a field (a text for :class:`ManifestError`), so the
manifest's own checks stay short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tessera.modules.texts import humanize

if TYPE_CHECKING:
    from tessera.plugin.manifest import Field

#: What one cell of a line may hold: one plain value, drawn with the generic inputs. No files
#: (a line is sent as JSON with its record), no designed fields, no lines within lines.
LINE_TYPES = (
    "text",
    "longtext",
    "number",
    "money",
    "date",
    "datetime",
    "bool",
    "enum",
    "reference",
)
#: The parts of a line's amount, in ``line_amount``'s order, and the types each may have.
AMOUNT_PARTS = (
    ("quantity", ("number", "money")),
    ("unit price", ("money", "number")),
    ("discount percent", ("number",)),
)


def lines_problem(f: Field) -> str | None:
    """What is wrong with a field's ``line_fields`` or ``line_amount``, if anything."""
    if f.type != "lines":
        if f.line_fields or f.line_amount:
            return "only a lines field has line_fields and line_amount"
        return None
    if not f.line_fields:
        return "a lines field needs line_fields, the values of each line"
    names = [cell.name for cell in f.line_fields]
    if len(set(names)) != len(names):
        return "line_fields names a field twice"
    for cell in f.line_fields:
        if problem := _cell_problem(cell):
            return f"line field {cell.name!r}: {problem}"
    return _amount_problem(f)


def _cell_problem(cell: Field) -> str | None:
    if cell.type not in LINE_TYPES:
        return f"a line holds only {', '.join(LINE_TYPES)}, not {cell.type!r}"
    if cell.type == "reference" and cell.reference is None:
        return "a reference on a line names the resource it points at"
    if (
        cell.reference_from is not None
        or cell.create_only
        or cell.upload_endpoint is not None
        or cell.download_endpoint is not None
        or cell.schema_from is not None
        or cell.schema_field is not None
    ):
        # Each of these reads a sibling or a route of the record, which a line has not.
        return "a line's value is plain: no reference_from, create_only, endpoints or schema"
    return None


def _amount_problem(f: Field) -> str | None:
    if not f.line_amount:
        return None
    if len(f.line_amount) not in (2, 3):
        return "line_amount names a quantity, a unit price and, optionally, a discount percent"
    cells = {cell.name: cell for cell in f.line_fields}
    for name, (part, types) in zip(f.line_amount, AMOUNT_PARTS, strict=False):
        cell = cells.get(name)
        if cell is None:
            return f"line_amount names {name!r}, which is not one of its line_fields"
        if cell.type not in types:
            return f"line_amount's {part} {name!r} must be a {' or '.join(types)} line field"
    if len(set(f.line_amount)) != len(f.line_amount):
        return "line_amount names a line field twice"
    return None


def line_texts(f: Field) -> set[str]:
    """What people read of a lines field's columns (labels, help, enum options)."""
    found: set[str] = set()
    for cell in f.line_fields:
        found.add(cell.label)
        if cell.help:
            found.add(cell.help)
        found.update(humanize(option) for option in cell.options)
    return found
