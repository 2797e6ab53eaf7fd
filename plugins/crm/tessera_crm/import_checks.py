"""The import engine: a file's rows checked against an importable kind, then written or not.

It maps the file's columns to the kind's fields, checks every row, looks references and
duplicates up for the whole file at once, and reports every problem by line and column. It
writes all rows in bulk, or none.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec
from sqlalchemy import ColumnElement, String, any_, bindparam, insert, or_, select
from sqlalchemy.dialects.postgresql import ARRAY

from tessera.plugin import Actor, DomainError, Invalid, Uow, audit_event, emit, uuid7
from tessera_crm.importing import ImportField, ImportKind, Lookup, normalized
from tessera_crm.records import MAX_DUPLICATES
from tessera_crm.schemas import Duplicate
from tessera_crm.tabular import Table, undefused

OnDuplicate = Literal["skip", "create", "fail"]
#: Problems listed in one answer, of each sort; the counts tell the whole number.
MAX_LISTED = 1_000
#: Rows per INSERT statement.
BATCH = 2_000
#: Columns an export writes that are not an import's to set: skipped without a word.
EXPORT_ONLY = frozenset({"id", "createdat", "updatedat"})


class ColumnOut(msgspec.Struct):
    column: str
    #: The field it fills; null for a column that is skipped.
    field: str | None


class Problem(msgspec.Struct, omit_defaults=True):
    line: int
    #: The file's header of the column, if the problem is in one.
    column: str | None
    field: str | None
    message: str
    #: Existing records the row looks like.
    duplicates: list[Duplicate] | None = None
    #: The earlier row of the file it looks like.
    same_as_line: int | None = None


class ImportReport(msgspec.Struct):
    kind: str
    dry_run: bool
    rows: int
    columns: list[ColumnOut]
    errors: list[Problem]
    warnings: list[Problem]
    error_count: int
    warning_count: int
    #: Rows created; in a dry run, the rows a commit would create (if it had no errors).
    created: int
    #: Rows skipped as duplicates (on_duplicate "skip").
    skipped: int


class ImportRefused(DomainError):
    status, code, title = 422, "import-refused", "The file has errors; nothing was imported"


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str
    field: ImportField | None


@dataclass(slots=True)
class Row:
    line: int
    values: dict[str, Any]
    #: Its keys match an earlier row or an existing record, and it is not to be created.
    skip: bool = False


@dataclass(slots=True)
class Checked:
    """The file read against its kind: what each column is, each row's values, the problems."""

    kind: ImportKind
    columns: list[Column]
    rows: list[Row]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def header_of(self, field_name: str) -> str | None:
        return next(
            (c.header for c in self.columns if c.field and c.field.name == field_name), None
        )

    def report(self, *, dry_run: bool, created: int) -> ImportReport:
        self.errors.sort(key=lambda p: p.line)
        self.warnings.sort(key=lambda p: p.line)
        return ImportReport(
            kind=self.kind.name,
            dry_run=dry_run,
            rows=len(self.rows),
            columns=[ColumnOut(c.header, c.field.name if c.field else None) for c in self.columns],
            errors=self.errors[:MAX_LISTED],
            warnings=self.warnings[:MAX_LISTED],
            error_count=len(self.errors),
            warning_count=len(self.warnings),
            created=created,
            skipped=sum(row.skip for row in self.rows),
        )


def read_rows(kind: ImportKind, table: Table, mapping: Mapping[str, str | None] | None) -> Checked:
    """Every row's values parsed, and every problem a row shows on its own. No database."""
    checked = Checked(kind, [], [])
    checked.columns = _columns(checked, table, mapping or {})
    for line, cells in table.rows:
        values: dict[str, Any] = {}
        for column in checked.columns:
            raw = undefused(cells[column.index].strip())
            target = column.field
            if target is None:
                if raw and not column.header:
                    checked.errors.append(
                        Problem(line, None, None, f"column {column.index + 1} has no header")
                    )
                continue
            if not raw:
                if target.required:
                    checked.errors.append(Problem(line, column.header, target.name, "is required"))
                continue
            try:
                values[target.name] = target.parse(raw)
            except ValueError as exc:
                checked.errors.append(Problem(line, column.header, target.name, str(exc)))
        checked.rows.append(Row(line, values))
    return checked


def _columns(checked: Checked, table: Table, mapping: Mapping[str, str | None]) -> list[Column]:
    kind, line = checked.kind, table.header_line
    by_name = {header.casefold(): header for header in table.header if header}
    chosen: dict[str, str | None] = {}
    for source, target in mapping.items():
        header = by_name.get(source.strip().casefold())
        if header is None:
            raise Invalid("mapping", f"the file has no column {source!r}")
        if target is not None and kind.field_named(target) is None:
            known = ", ".join(f.name for f in kind.fields)
            raise Invalid("mapping", f"{target!r} is not a field of {kind.name} ({known})")
        chosen[header] = target
    columns: list[Column] = []
    taken: dict[str, str] = {}
    for index, header in enumerate(table.header):
        if header in chosen:
            target = chosen[header]
            found = kind.field_named(target) if target else None
        elif not header or normalized(header) in EXPORT_ONLY:
            found = None
        else:
            found = kind.field_for(header)
            if found is None:
                checked.errors.append(
                    Problem(
                        line,
                        header,
                        None,
                        f"unknown column: map it to a field of {kind.name} "
                        f"({', '.join(f.name for f in kind.fields)}) or to null to skip it",
                    )
                )
        if found is not None and found.name in taken:
            checked.errors.append(
                Problem(
                    line,
                    header,
                    found.name,
                    f"the column {taken[found.name]!r} fills this field already; map one of "
                    "them to null",
                )
            )
            found = None
        if found is not None:
            taken[found.name] = header
        columns.append(Column(index, header, found))
    for wanted in kind.fields:
        if wanted.required and wanted.name not in taken:
            checked.errors.append(
                Problem(line, None, wanted.name, "required, but no column of the file fills it")
            )
    return columns


async def resolve(uow: Uow, actor: Actor, checked: Checked, on_duplicate: OnDuplicate) -> None:
    """Look up what rows name (owners, accounts) and what they duplicate, for all rows at once."""
    for target in checked.kind.fields:
        if target.lookup is not None:
            await _look_up(uow, actor, checked, target, target.lookup)
    await _duplicates(uow, checked, on_duplicate)


async def _look_up(
    uow: Uow, actor: Actor, checked: Checked, target: ImportField, lookup: Lookup
) -> None:
    having = [row for row in checked.rows if target.name in row.values]
    if not having:
        return
    found = await lookup.find(uow, actor, {lookup.key(row.values[target.name]) for row in having})
    header = checked.header_of(target.name)
    for row in having:
        ids = found.get(lookup.key(row.values[target.name]), ())
        if len(ids) == 1:
            row.values[target.name] = ids[0]
            continue
        message = lookup.unknown if not ids else f"names {len(ids)} records; it must name one"
        checked.errors.append(Problem(row.line, header, target.name, message))
        del row.values[target.name]


def _row_keys(kind: ImportKind, row: Row) -> dict[str, str]:
    keys = {}
    for duplicate_key in kind.duplicate_keys:
        if duplicate_key.field in row.values:
            key = duplicate_key.key(row.values[duplicate_key.field])
            if key:
                keys[duplicate_key.name] = key
    return keys


async def _duplicates(uow: Uow, checked: Checked, on_duplicate: OnDuplicate) -> None:
    kind = checked.kind
    keys_of = [_row_keys(kind, row) for row in checked.rows]
    existing = await _existing(uow, kind, keys_of)
    first_line: dict[tuple[str, str], int] = {}
    for row, keys in zip(checked.rows, keys_of, strict=True):
        earlier: dict[int, list[str]] = {}
        records: dict[uuid.UUID, Duplicate] = {}
        for name, key in keys.items():
            line = first_line.setdefault((name, key), row.line)
            if line != row.line:
                earlier.setdefault(line, []).append(name)
            for record_id, label in existing.get((name, key), ()):
                records.setdefault(record_id, Duplicate(record_id, label, [])).matched.append(name)
        if not earlier and not records:
            continue
        problems = []
        if earlier:
            line, matched = min(earlier.items())
            problems.append(
                Problem(
                    row.line,
                    None,
                    None,
                    f"looks like line {line} of the file (same {', '.join(matched)})",
                    same_as_line=line,
                )
            )
        if records:
            found = list(records.values())
            matched = sorted({name for d in found for name in d.matched})
            problems.append(
                Problem(
                    row.line,
                    None,
                    None,
                    f"looks like {len(found)} existing record(s) (same {', '.join(matched)})",
                    duplicates=found[:MAX_DUPLICATES],
                )
            )
        if on_duplicate == "fail":
            checked.errors.extend(problems)
        else:
            checked.warnings.extend(problems)
            row.skip = on_duplicate == "skip"


async def _existing(
    uow: Uow, kind: ImportKind, keys_of: Sequence[dict[str, str]]
) -> dict[tuple[str, str], list[tuple[uuid.UUID, str]]]:
    """(key name, key) -> existing records of the whole tenant (whoever owns them) with it."""
    matches: list[ColumnElement[bool]] = []
    for duplicate_key in kind.duplicate_keys:
        wanted = sorted(
            {keys[duplicate_key.name] for keys in keys_of if duplicate_key.name in keys}
        )
        if wanted:
            # One array parameter, whatever the number of rows.
            array = bindparam(f"keys_{duplicate_key.name}", wanted, type_=ARRAY(String))
            matches.append(duplicate_key.column == any_(array))
    if not matches:
        return {}
    query = select(kind.model.id, kind.label, *(k.column for k in kind.duplicate_keys)).where(
        or_(*matches)
    )
    found: dict[tuple[str, str], list[tuple[uuid.UUID, str]]] = {}
    for record_id, label, *keys in await uow.db.execute(query.order_by(kind.model.id)):
        for duplicate_key, key in zip(kind.duplicate_keys, keys, strict=True):
            if key is not None:
                found.setdefault((duplicate_key.name, key), []).append((record_id, label))
    return found


async def write(uow: Uow, actor: Actor, checked: Checked) -> int:
    """Create every row that is not skipped, in bulk; how many."""
    kind, tenant = checked.kind, actor.tenant
    records = []
    for row in checked.rows:
        if row.skip:
            continue
        record: dict[str, Any] = {"tenant_id": tenant, "id": uuid7()}
        for target in kind.fields:
            if target.name in row.values:
                target.put(record, row.values[target.name])
        kind.complete(record, actor)
        records.append(record)
    # Bulk INSERTs, not an ORM flush per row; the audit trigger still records every row.
    for start in range(0, len(records), BATCH):
        await uow.db.execute(insert(kind.model), records[start : start + BATCH])
    if records:
        facts = {"created": len(records), "skipped": len(checked.rows) - len(records)}
        audit_event(uow.db, tenant, "import", record_type=kind.model.__tablename__, details=facts)
        await emit(uow.db, tenant, kind.event, facts)
    return len(records)
