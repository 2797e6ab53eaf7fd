"""Importing accounts and contacts from CSV or XLSX files. Under /api/v1/crm/imports.

The API takes JSON only, so the file travels inside it: as text (CSV) or base64 (XLSX, or a CSV
whose bytes should be checked as UTF-8). A dry run reports every problem and writes nothing; a
commit writes every row or, if any row has an error, none.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

import anyio
import msgspec
from litestar import Controller, Response, post
from litestar.params import FromPath, JSONBody

from tessera.plugin import Input, Member, NotFound, Uow, requires
from tessera_crm.import_checks import (
    Checked,
    ImportRefused,
    ImportReport,
    OnDuplicate,
    read_rows,
    resolve,
    write,
)
from tessera_crm.import_kinds import IMPORT_KINDS
from tessera_crm.importing import ImportKind
from tessera_crm.tabular import decode_content, read_csv, read_xlsx

IMPORT = "crm.data.import"
#: The body around a 5 MB file: base64 adds a third, JSON escapes quotes and line breaks.
MAX_BODY = 16 * 1024 * 1024

Header = Annotated[str, msgspec.Meta(max_length=200)]
FieldName = Annotated[str, msgspec.Meta(max_length=60)]


class ImportIn(Input):
    format: Literal["csv", "xlsx"]
    #: The file: text for CSV, base64 for XLSX (see ``encoding``).
    content: str
    #: File column header -> field name, or null to skip the column. Columns not named here
    #: are matched to fields by name ("E-mail" fills email).
    mapping: Annotated[dict[Header, FieldName | None], msgspec.Meta(max_length=100)] | None = None
    #: Check and report only; write nothing.
    dry_run: bool = False
    #: A row like an earlier row or an existing record (same name, email or phone): skip it,
    #: create it anyway, or count it as an error.
    on_duplicate: OnDuplicate = "skip"
    #: How ``content`` is encoded; by default text for CSV, base64 for XLSX.
    encoding: Literal["text", "base64"] | None = None


def _read(kind: ImportKind, data: ImportIn) -> Checked:
    """The file parsed and its rows checked on their own: CPU work, done off the event loop."""
    encoding = data.encoding or ("text" if data.format == "csv" else "base64")
    content = decode_content(data.content, base64_encoded=encoding == "base64")
    table = read_csv(content) if data.format == "csv" else read_xlsx(content)
    return read_rows(kind, table, data.mapping)


class ImportsController(Controller):
    path = "/imports"
    tags = ["crm"]

    @post(
        "/{kind:str}",
        summary="Import accounts or contacts from a CSV or XLSX file (all rows or none)",
        opt=requires(IMPORT),
        request_max_body_size=MAX_BODY,
    )
    async def run(
        self, kind: FromPath[str], data: JSONBody[ImportIn], actor: Member, uow: Uow
    ) -> Response[ImportReport]:
        importable = IMPORT_KINDS.get(kind)
        if importable is None:
            raise NotFound(f"Nothing imports as {kind!r}; try {', '.join(IMPORT_KINDS)}.")
        actor.require(importable.write_permission)
        checked = await anyio.to_thread.run_sync(partial(_read, importable, data))
        await resolve(uow, actor, checked, data.on_duplicate)
        if data.dry_run:
            planned = sum(not row.skip for row in checked.rows)
            return Response(checked.report(dry_run=True, created=planned), status_code=200)
        if checked.errors:
            report = checked.report(dry_run=False, created=0)
            raise ImportRefused(
                f"{report.error_count} problem(s) in the file; nothing was imported.",
                extensions=msgspec.to_builtins(report),
            )
        created = await write(uow, actor, checked)
        return Response(checked.report(dry_run=False, created=created), status_code=201)
