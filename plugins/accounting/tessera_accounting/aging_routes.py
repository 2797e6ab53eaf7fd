"""The aged receivables and payables: /api/v1/accounting/reports/aging (JSON) and
/reports/aging.xlsx."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import QueryParameter

from tessera.plugin import Language, Member, Uow, requires
from tessera_accounting.aging import AgingOut, aging, aging_xlsx
from tessera_accounting.documents_translations import printed_texts
from tessera_accounting.invoices import today
from tessera_accounting.models import REPORT

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Kind = Annotated[
    str, QueryParameter(pattern="^(receivable|payable)$", description="receivable or payable")
]
AsOf = Annotated[date | None, QueryParameter(description="Default: today")]


class AgingController(Controller):
    path = "/reports"
    tags = ["accounting"]

    @get(
        "/aging",
        summary="What each partner owes or is owed, by days overdue",
        opt=requires(REPORT),
    )
    async def report(
        self, actor: Member, uow: Uow, kind: Kind = "receivable", as_of: AsOf = None
    ) -> AgingOut:
        return await aging(uow.db, actor.tenant, kind, as_of or today())

    @get(
        "/aging.xlsx",
        summary="The aging report as an XLSX workbook",
        opt=requires(REPORT),
        media_type=XLSX_TYPE,
    )
    async def workbook(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        kind: Kind = "receivable",
        as_of: AsOf = None,
    ) -> Response[bytes]:
        day = as_of or today()
        report = await aging(uow.db, actor.tenant, kind, day)
        language = "zh" if texts.locale.lower().startswith("zh") else "en"
        return Response(
            aging_xlsx(report, dict(printed_texts(language))),
            media_type=XLSX_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="aging-{kind}-{day.isoformat()}.xlsx"'
            },
        )
