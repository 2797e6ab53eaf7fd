"""Chart templates: the accounts, roles, journals and taxes a tenant's books start from.

Each template names every account role (tessera_accounting.models.ROLES) and every account
carries its name in English and Chinese; the member's language picks which one shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class AccountSpec:
    code: str
    name: str
    name_zh: str
    type: str
    subtype: str = "other"
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class TaxSpec:
    code: str
    name: str
    name_zh: str
    kind: str
    rate: Decimal
    account: str
    inclusive: bool = False


@dataclass(frozen=True, slots=True)
class ChartTemplate:
    name: str
    label: str
    accounts: tuple[AccountSpec, ...]
    #: Role -> account code.
    roles: dict[str, str]
    taxes: tuple[TaxSpec, ...] = field(default_factory=tuple)


#: Journals every tenant gets, whatever its chart: code -> (kind, name, Chinese name).
JOURNALS: dict[str, tuple[str, str, str]] = {
    "SAJ": ("sale", "Sales", "销售日记账"),
    "PUJ": ("purchase", "Purchases", "采购日记账"),
    "BNK": ("bank", "Bank", "银行日记账"),
    "CSH": ("cash", "Cash", "现金日记账"),
    "STJ": ("stock", "Stock valuation", "存货日记账"),
    "EXP": ("expense", "Expenses", "费用日记账"),
    "MISC": ("general", "Miscellaneous", "总账杂项"),
}

A = AccountSpec

GENERIC = ChartTemplate(
    name="generic",
    label="Generic (international)",
    accounts=(
        A("1000", "Cash", "库存现金", "asset", "cash"),
        A("1010", "Bank", "银行存款", "asset", "bank"),
        A("1100", "Accounts receivable", "应收账款", "asset", "receivable"),
        A("1150", "Employee advances", "员工借款", "asset"),
        A("1200", "Input tax", "进项税额", "asset"),
        A("1300", "Inventory", "存货", "asset", "stock"),
        A("1500", "Fixed assets", "固定资产", "asset"),
        A("1510", "Accumulated depreciation", "累计折旧", "asset"),
        A("2000", "Accounts payable", "应付账款", "liability", "payable"),
        A("2010", "Goods received not invoiced", "已收货未开票", "liability"),
        A("2100", "Output tax", "销项税额", "liability"),
        A("2200", "Employee payables", "应付职工款项", "liability", "payable"),
        A("2300", "Accrued liabilities", "应计负债", "liability"),
        A("2500", "Loans", "借款", "liability"),
        A("3000", "Share capital", "实收资本", "equity"),
        A("3100", "Retained earnings", "留存收益", "equity"),
        A("4000", "Sales", "销售收入", "income"),
        A("4100", "Other income", "其他收入", "income"),
        A("4200", "Exchange gains", "汇兑收益", "income"),
        A("5000", "Cost of goods sold", "销售成本", "expense"),
        A("5100", "Purchases", "采购", "expense"),
        A("5200", "Stock adjustments", "存货调整", "expense"),
        A("6000", "Salaries", "工资", "expense"),
        A("6100", "Rent", "租金", "expense"),
        A("6200", "Travel and expenses", "差旅及费用", "expense"),
        A("6300", "Office supplies", "办公用品", "expense"),
        A("6400", "Depreciation", "折旧费用", "expense"),
        A("6500", "Bank charges", "银行手续费", "expense"),
        A("6900", "Exchange losses", "汇兑损失", "expense"),
    ),
    roles={
        "receivable": "1100",
        "payable": "2000",
        "sales": "4000",
        "purchase": "5100",
        "stock": "1300",
        "stock_received": "2010",
        "cogs": "5000",
        "stock_adjustment": "5200",
        "tax_output": "2100",
        "tax_input": "1200",
        "bank": "1010",
        "cash": "1000",
        "fx_gain": "4200",
        "fx_loss": "6900",
        "expense": "6200",
        "employee_payable": "2200",
        "retained_earnings": "3100",
    },
    taxes=(
        TaxSpec("VAT-S", "Sales tax", "销项税", "sale", Decimal("10"), "2100"),
        TaxSpec("VAT-P", "Purchase tax", "进项税", "purchase", Decimal("10"), "1200"),
    ),
)

TEMPLATES: dict[str, ChartTemplate] = {GENERIC.name: GENERIC}
