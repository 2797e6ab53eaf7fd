"""The ledger's catalogue: its texts in the languages the browser app offers, keyed by the
English (tessera.plugin.UI.translations)."""

from __future__ import annotations

ZH = {
    # The manifest.
    "Accounting": "会计",
    "Chart of accounts, journals, invoices and bills, payments, taxes, currencies, financial "
    "reports": "会计科目、日记账、发票与账单、收付款、税率、币种、财务报表",
    # Permissions.
    "See the chart of accounts, journals, journal entries, taxes and rates": (
        "查看会计科目、日记账、凭证、税率和汇率"
    ),
    "Write, post and reverse journal entries": "填制、过账和冲销凭证",
    "Manage the chart of accounts, journals, taxes, exchange rates and accounting settings "
    "(lock date, company currency, account roles)": (
        "管理会计科目、日记账、税率、汇率和会计设置（锁账日期、本位币、科目角色）"
    ),
    "See and export the financial reports": "查看和导出财务报表",
}
