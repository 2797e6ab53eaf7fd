"""The financial reports under /api/v1/accounting/reports: JSON, or a file with
``format=xlsx`` or ``format=pdf``. Each takes a period (the balance sheet a day) and an
optional period (day) to compare with. Texts come in the member's language."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get
from litestar.params import FromPath, QueryParameter

from tessera.plugin import Invalid, Language, Member, Uow, company_profile, requires
from tessera_accounting import reports
from tessera_accounting.books import company_currency
from tessera_accounting.chart_routes import in_language
from tessera_accounting.models import REPORT, Account
from tessera_accounting.report_exports import Sheet, pdf_response, xlsx_response
from tessera_accounting.reports import Movement, Period

From = Annotated[date | None, QueryParameter(description="First day of the period")]
To = Annotated[date | None, QueryParameter(description="Last day of the period")]
CompareFrom = Annotated[date | None, QueryParameter(description="First day to compare with")]
CompareTo = Annotated[date | None, QueryParameter(description="Last day to compare with")]
Format = Annotated[str, QueryParameter(description="xlsx or pdf")]
FORMATS = ("xlsx", "pdf")

#: What the reports write besides account names, translated through the catalogue.
MESSAGES = (
    "Trial balance",
    "Profit and loss",
    "Balance sheet",
    "General ledger",
    "Period",
    "Compared with",
    "As of",
    "Currency",
    "Code",
    "Account",
    "Opening",
    "Debit",
    "Credit",
    "Closing",
    "Amount",
    "Total",
    "Income",
    "Expenses",
    "Net profit",
    "Assets",
    "Liabilities",
    "Equity",
    "Total assets",
    "Total liabilities and equity",
    reports.CURRENT_EARNINGS,
    "Date",
    "Number",
    "Journal",
    "Memo",
    "Label",
    "Balance",
)


class MovementOut(msgspec.Struct):
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


class TrialRowOut(msgspec.Struct):
    account_id: uuid.UUID
    code: str
    name: str
    type: str
    current: MovementOut
    comparison: MovementOut | None


class TrialBalanceOut(msgspec.Struct):
    date_from: date
    date_to: date
    compare_from: date | None
    compare_to: date | None
    currency: str
    rows: list[TrialRowOut]
    total: MovementOut
    comparison_total: MovementOut | None


class AmountOut(msgspec.Struct):
    account_id: uuid.UUID | None
    code: str | None
    name: str
    amount: Decimal
    comparison: Decimal | None


class TotalOut(msgspec.Struct):
    amount: Decimal
    comparison: Decimal | None


class ProfitAndLossOut(msgspec.Struct):
    date_from: date
    date_to: date
    compare_from: date | None
    compare_to: date | None
    currency: str
    income: list[AmountOut]
    expenses: list[AmountOut]
    total_income: TotalOut
    total_expenses: TotalOut
    net_profit: TotalOut


class BalanceSheetOut(msgspec.Struct):
    date_to: date
    compare_to: date | None
    currency: str
    assets: list[AmountOut]
    liabilities: list[AmountOut]
    equity: list[AmountOut]
    total_assets: TotalOut
    total_liabilities_and_equity: TotalOut


class LedgerLineOut(msgspec.Struct):
    date: date
    number: str
    journal: str
    memo: str
    label: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    partner_id: uuid.UUID | None
    entry_id: uuid.UUID


class GeneralLedgerOut(msgspec.Struct):
    account_id: uuid.UUID
    code: str
    name: str
    date_from: date
    date_to: date
    currency: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal
    lines: list[LedgerLineOut]


def _format(value: str) -> str:
    if value not in FORMATS:
        raise Invalid("format", f"is one of {', '.join(FORMATS)}")
    return value


def _name(account: Account, locale: str) -> str:
    return in_language(account.name, account.name_zh, locale)


def _movement(m: Movement) -> MovementOut:
    return MovementOut(m.opening, m.debit, m.credit, m.closing)


def _total(pair: tuple[Decimal, Decimal | None]) -> TotalOut:
    return TotalOut(pair[0], pair[1])


def _amounts(rows: list[reports.AmountRow], texts: Any) -> list[AmountOut]:
    return [
        AmountOut(
            r.account.id if r.account else None,
            r.account.code if r.account else None,
            _name(r.account, texts.locale) if r.account else texts.of("accounting", r.label),
            r.amount,
            r.comparison,
        )
        for r in rows
    ]


def _span(period: Period | None) -> str:
    return "" if period is None else f"{period.start.isoformat()} to {period.end.isoformat()}"


async def _file(sheet: Sheet, format: str, uow: Uow, actor: Member, texts: Any) -> Response[bytes]:
    if format == "xlsx":
        return await xlsx_response(sheet)
    return await pdf_response(sheet, texts.locale, await company_profile(uow, actor.tenant))


def _trial_sheet(out: TrialBalanceOut, period: Period, compare: Period | None, t: Any) -> Sheet:
    def of(text: str) -> str:
        return str(t.of("accounting", text))

    columns = [of("Code"), of("Account"), of("Opening"), of("Debit"), of("Credit"), of("Closing")]
    if compare:
        columns += [f"{of(x)} ({of('Compared with')})" for x in ("Debit", "Credit", "Closing")]
    sheet = Sheet(
        "trial-balance",
        of("Trial balance"),
        [
            (of("Period"), _span(period)),
            (of("Compared with"), _span(compare)),
            (of("Currency"), out.currency),
        ],
        columns,
        frozenset(range(2, len(columns))),
    )

    def cells(m: MovementOut, c: MovementOut | None) -> list[Decimal | None]:
        extra = [] if not compare else [c.debit, c.credit, c.closing] if c else [None] * 3
        return [m.opening, m.debit, m.credit, m.closing, *extra]

    for row in out.rows:
        sheet.add([row.code, row.name, *cells(row.current, row.comparison)])
    sheet.add(["", of("Total"), *cells(out.total, out.comparison_total)], bold=True)
    return sheet


def _amount_sheet(
    name: str,
    title: str,
    parameters: list[tuple[str, str]],
    sections: list[tuple[str, list[AmountOut], list[tuple[str, TotalOut]]]],
    comparing: bool,
    t: Any,
) -> Sheet:
    def of(text: str) -> str:
        return str(t.of("accounting", text))

    columns = [of("Code"), of("Account"), of("Amount")]
    if comparing:
        columns.append(of("Compared with"))
    sheet = Sheet(name, of(title), parameters, columns, frozenset(range(2, len(columns))))
    for heading, rows, totals in sections:
        sheet.add(["", of(heading)], bold=True)
        for row in rows:
            sheet.add(
                [row.code or "", row.name, row.amount, *([row.comparison] if comparing else [])]
            )
        for label, total in totals:
            sheet.add(
                ["", of(label), total.amount, *([total.comparison] if comparing else [])], bold=True
            )
    return sheet


async def _trial_out(
    uow: Uow, actor: Member, texts: Any, period: Period, compare: Period | None
) -> TrialBalanceOut:
    rows = await reports.trial_balance(uow.db, actor.tenant, period, compare)
    total = sum((r.current for r in rows), Movement())
    comparison_total = sum((r.comparison or Movement() for r in rows), Movement())
    return TrialBalanceOut(
        date_from=period.start,
        date_to=period.end,
        compare_from=compare.start if compare else None,
        compare_to=compare.end if compare else None,
        currency=await company_currency(uow.db, actor.tenant),
        rows=[
            TrialRowOut(
                r.account.id,
                r.account.code,
                _name(r.account, texts.locale),
                r.account.type,
                _movement(r.current),
                _movement(r.comparison) if r.comparison else None,
            )
            for r in rows
        ],
        total=_movement(total),
        comparison_total=_movement(comparison_total) if compare else None,
    )


async def _profit_out(
    uow: Uow, actor: Member, texts: Any, period: Period, compare: Period | None
) -> ProfitAndLossOut:
    result = await reports.profit_and_loss(uow.db, actor.tenant, period, compare)
    return ProfitAndLossOut(
        date_from=period.start,
        date_to=period.end,
        compare_from=compare.start if compare else None,
        compare_to=compare.end if compare else None,
        currency=await company_currency(uow.db, actor.tenant),
        income=_amounts(result.income, texts),
        expenses=_amounts(result.expenses, texts),
        total_income=_total(result.total_income),
        total_expenses=_total(result.total_expenses),
        net_profit=_total(result.net_profit),
    )


def _profit_sheet(out: ProfitAndLossOut, period: Period, compare: Period | None, t: Any) -> Sheet:
    return _amount_sheet(
        "profit-and-loss",
        "Profit and loss",
        [
            (t.of("accounting", "Period"), _span(period)),
            (t.of("accounting", "Compared with"), _span(compare)),
            (t.of("accounting", "Currency"), out.currency),
        ],
        [
            ("Income", out.income, [("Total", out.total_income)]),
            ("Expenses", out.expenses, [("Total", out.total_expenses)]),
            ("Net profit", [], [("Net profit", out.net_profit)]),
        ],
        compare is not None,
        t,
    )


async def _balance_out(
    uow: Uow, actor: Member, texts: Any, day: date | None, compare: date | None
) -> BalanceSheetOut:
    if day is None:
        raise Invalid("date_to", "is needed")
    result = await reports.balance_sheet(uow.db, actor.tenant, day, compare)
    return BalanceSheetOut(
        date_to=day,
        compare_to=compare,
        currency=await company_currency(uow.db, actor.tenant),
        assets=_amounts(result.assets, texts),
        liabilities=_amounts(result.liabilities, texts),
        equity=_amounts(result.equity, texts),
        total_assets=_total(result.total_assets),
        total_liabilities_and_equity=_total(result.total_liabilities_and_equity),
    )


def _balance_sheet(out: BalanceSheetOut, t: Any) -> Sheet:
    return _amount_sheet(
        "balance-sheet",
        "Balance sheet",
        [
            (t.of("accounting", "As of"), out.date_to.isoformat()),
            (
                t.of("accounting", "Compared with"),
                out.compare_to.isoformat() if out.compare_to else "",
            ),
            (t.of("accounting", "Currency"), out.currency),
        ],
        [
            ("Assets", out.assets, [("Total assets", out.total_assets)]),
            ("Liabilities", out.liabilities, []),
            (
                "Equity",
                out.equity,
                [("Total liabilities and equity", out.total_liabilities_and_equity)],
            ),
        ],
        out.compare_to is not None,
        t,
    )


async def _ledger_out(
    uow: Uow, actor: Member, texts: Any, account_id: uuid.UUID, period: Period
) -> GeneralLedgerOut:
    ledger = await reports.general_ledger(uow.db, actor.tenant, account_id, period)
    return GeneralLedgerOut(
        account_id=ledger.account.id,
        code=ledger.account.code,
        name=_name(ledger.account, texts.locale),
        date_from=period.start,
        date_to=period.end,
        currency=await company_currency(uow.db, actor.tenant),
        opening=ledger.opening,
        debit=ledger.debit,
        credit=ledger.credit,
        closing=ledger.closing,
        lines=[
            LedgerLineOut(
                x.date, x.number, x.journal, x.memo, x.label, x.debit, x.credit, x.balance,
                x.partner_id, x.entry_id,
            )
            for x in ledger.lines
        ],
    )  # fmt: skip


class ReportsController(Controller):
    path = "/reports"
    tags = ["accounting"]

    @get("/trial-balance", summary="Trial balance of a period", opt=requires(REPORT))
    async def trial_balance(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        date_from: From = None,
        date_to: To = None,
        compare_from: CompareFrom = None,
        compare_to: CompareTo = None,
    ) -> TrialBalanceOut:
        period = reports.period_of(date_from, date_to)
        compare = reports.optional_period(compare_from, compare_to)
        return await _trial_out(uow, actor, texts, period, compare)

    @get("/trial-balance/export", summary="Trial balance as XLSX or PDF", opt=requires(REPORT))
    async def trial_balance_file(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        format: Format,
        date_from: From = None,
        date_to: To = None,
        compare_from: CompareFrom = None,
        compare_to: CompareTo = None,
    ) -> Response[bytes]:
        format = _format(format)
        period = reports.period_of(date_from, date_to)
        compare = reports.optional_period(compare_from, compare_to)
        out = await _trial_out(uow, actor, texts, period, compare)
        return await _file(_trial_sheet(out, period, compare, texts), format, uow, actor, texts)

    @get("/profit-and-loss", summary="Profit and loss of a period", opt=requires(REPORT))
    async def profit_and_loss(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        date_from: From = None,
        date_to: To = None,
        compare_from: CompareFrom = None,
        compare_to: CompareTo = None,
    ) -> ProfitAndLossOut:
        period = reports.period_of(date_from, date_to)
        compare = reports.optional_period(compare_from, compare_to)
        return await _profit_out(uow, actor, texts, period, compare)

    @get("/profit-and-loss/export", summary="Profit and loss as XLSX or PDF", opt=requires(REPORT))
    async def profit_and_loss_file(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        format: Format,
        date_from: From = None,
        date_to: To = None,
        compare_from: CompareFrom = None,
        compare_to: CompareTo = None,
    ) -> Response[bytes]:
        format = _format(format)
        period = reports.period_of(date_from, date_to)
        compare = reports.optional_period(compare_from, compare_to)
        out = await _profit_out(uow, actor, texts, period, compare)
        return await _file(_profit_sheet(out, period, compare, texts), format, uow, actor, texts)

    @get("/balance-sheet", summary="Balance sheet at the end of a day", opt=requires(REPORT))
    async def balance_sheet(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        date_to: To = None,
        compare_to: CompareTo = None,
    ) -> BalanceSheetOut:
        return await _balance_out(uow, actor, texts, date_to, compare_to)

    @get("/balance-sheet/export", summary="Balance sheet as XLSX or PDF", opt=requires(REPORT))
    async def balance_sheet_file(
        self,
        actor: Member,
        uow: Uow,
        texts: Language,
        format: Format,
        date_to: To = None,
        compare_to: CompareTo = None,
    ) -> Response[bytes]:
        format = _format(format)
        out = await _balance_out(uow, actor, texts, date_to, compare_to)
        return await _file(_balance_sheet(out, texts), format, uow, actor, texts)

    @get(
        "/general-ledger/{account_id:uuid}",
        summary="An account's posted lines in a period, with its running balance",
        opt=requires(REPORT),
    )
    async def general_ledger(
        self,
        account_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        texts: Language,
        date_from: From = None,
        date_to: To = None,
    ) -> GeneralLedgerOut:
        period = reports.period_of(date_from, date_to)
        return await _ledger_out(uow, actor, texts, account_id, period)

    @get(
        "/general-ledger/{account_id:uuid}/export",
        summary="An account's general ledger as XLSX or PDF",
        opt=requires(REPORT),
    )
    async def general_ledger_file(
        self,
        account_id: FromPath[uuid.UUID],
        actor: Member,
        uow: Uow,
        texts: Language,
        format: Format,
        date_from: From = None,
        date_to: To = None,
    ) -> Response[bytes]:
        format = _format(format)
        period = reports.period_of(date_from, date_to)
        out = await _ledger_out(uow, actor, texts, account_id, period)
        return await _file(_ledger_sheet(out, period, texts), format, uow, actor, texts)


def _ledger_sheet(out: GeneralLedgerOut, period: Period, t: Any) -> Sheet:
    def of(text: str) -> str:
        return str(t.of("accounting", text))

    columns = [
        of(x) for x in ("Date", "Number", "Journal", "Memo", "Label", "Debit", "Credit", "Balance")
    ]
    sheet = Sheet(
        "general-ledger",
        f"{of('General ledger')}: {out.code} {out.name}",
        [(of("Period"), _span(period)), (of("Currency"), out.currency)],
        columns,
        frozenset({5, 6, 7}),
    )
    sheet.add(["", "", "", of("Opening"), "", None, None, out.opening], bold=True)
    for x in out.lines:
        sheet.add(
            [x.date.isoformat(), x.number, x.journal, x.memo, x.label, x.debit, x.credit, x.balance]
        )
    sheet.add(["", "", "", of("Closing"), "", out.debit, out.credit, out.closing], bold=True)
    return sheet
