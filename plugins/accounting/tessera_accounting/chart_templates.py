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

#: 小企业会计准则 (2013), appendix 会计科目表: its codes and names. The cost class (4xxx) holds
#: costs on their way into stock or assets, so its accounts count as assets here. 应交增值税's
#: sub-accounts follow common practice (the standard leaves sub-account codes to the company).
CN_SMALL_BUSINESS = ChartTemplate(
    name="cn_small_business",
    label="小企业会计准则 (2013)",
    accounts=(
        A("1001", "Cash on hand", "库存现金", "asset", "cash"),
        A("1002", "Bank deposits", "银行存款", "asset", "bank"),
        A("1012", "Other monetary funds", "其他货币资金", "asset"),
        A("1101", "Short-term investments", "短期投资", "asset"),
        A("1121", "Notes receivable", "应收票据", "asset"),
        A("1122", "Accounts receivable", "应收账款", "asset", "receivable"),
        A("1123", "Prepayments", "预付账款", "asset"),
        A("1131", "Dividends receivable", "应收股利", "asset"),
        A("1132", "Interest receivable", "应收利息", "asset"),
        A("1221", "Other receivables", "其他应收款", "asset"),
        A("1401", "Materials purchasing", "材料采购", "asset"),
        A("1402", "Goods in transit", "在途物资", "asset"),
        A("1403", "Raw materials", "原材料", "asset", "stock"),
        A("1404", "Materials cost variance", "材料成本差异", "asset"),
        A("1405", "Merchandise inventory", "库存商品", "asset", "stock"),
        A("1407", "Merchandise price differences", "商品进销差价", "asset"),
        A("1408", "Materials for outsourced processing", "委托加工物资", "asset"),
        A("1411", "Revolving materials", "周转材料", "asset"),
        A("1421", "Consumable biological assets", "消耗性生物资产", "asset"),
        A("1501", "Long-term bond investments", "长期债券投资", "asset"),
        A("1511", "Long-term equity investments", "长期股权投资", "asset"),
        A("1601", "Fixed assets", "固定资产", "asset"),
        A("1602", "Accumulated depreciation", "累计折旧", "asset"),
        A("1604", "Construction in progress", "在建工程", "asset"),
        A("1605", "Construction materials", "工程物资", "asset"),
        A("1606", "Fixed assets in disposal", "固定资产清理", "asset"),
        A("1621", "Productive biological assets", "生产性生物资产", "asset"),
        A(
            "1622",
            "Accumulated depreciation of productive biological assets",
            "生产性生物资产累计折旧",
            "asset",
        ),
        A("1701", "Intangible assets", "无形资产", "asset"),
        A("1702", "Accumulated amortisation", "累计摊销", "asset"),
        A("1801", "Long-term prepaid expenses", "长期待摊费用", "asset"),
        A("1901", "Assets losses and gains pending", "待处理财产损溢", "asset"),
        A("2001", "Short-term borrowings", "短期借款", "liability"),
        A("2201", "Notes payable", "应付票据", "liability"),
        A("2202", "Accounts payable", "应付账款", "liability", "payable"),
        A("220201", "Goods received not invoiced", "暂估应付账款", "liability", parent="2202"),
        A("2203", "Advances from customers", "预收账款", "liability"),
        A("2211", "Employee benefits payable", "应付职工薪酬", "liability"),
        A("2221", "Taxes payable", "应交税费", "liability"),
        A("222101", "VAT payable", "应交增值税", "liability", parent="2221"),
        A("22210101", "Input VAT", "进项税额", "liability", parent="222101"),
        A("22210102", "VAT paid", "已交税金", "liability", parent="222101"),
        A("22210103", "Output VAT", "销项税额", "liability", parent="222101"),
        A("22210104", "Input VAT transferred out", "进项税额转出", "liability", parent="222101"),
        A("222102", "Unpaid VAT", "未交增值税", "liability", parent="2221"),
        A("222103", "Corporate income tax payable", "应交企业所得税", "liability", parent="2221"),
        A(
            "222104",
            "Urban maintenance and construction tax payable",
            "应交城市维护建设税",
            "liability",
            parent="2221",
        ),
        A("222105", "Education surcharge payable", "应交教育费附加", "liability", parent="2221"),
        A("222106", "Individual income tax withheld", "应交个人所得税", "liability", parent="2221"),
        A("2231", "Interest payable", "应付利息", "liability"),
        A("2232", "Profits payable", "应付利润", "liability"),
        A("2241", "Other payables", "其他应付款", "liability", "payable"),
        A("2401", "Deferred income", "递延收益", "liability"),
        A("2501", "Long-term borrowings", "长期借款", "liability"),
        A("2701", "Long-term payables", "长期应付款", "liability"),
        A("3001", "Paid-in capital", "实收资本", "equity"),
        A("3002", "Capital reserve", "资本公积", "equity"),
        A("3101", "Surplus reserve", "盈余公积", "equity"),
        A("3103", "Current year profit", "本年利润", "equity"),
        A("3104", "Profit distribution", "利润分配", "equity"),
        A("4001", "Production costs", "生产成本", "asset"),
        A("4101", "Manufacturing overhead", "制造费用", "asset"),
        A("4301", "Research and development expenditure", "研发支出", "asset"),
        A("4401", "Construction contract costs", "工程施工", "asset"),
        A("4403", "Machinery operations", "机械作业", "asset"),
        A("5001", "Main business revenue", "主营业务收入", "income"),
        A("5051", "Other business revenue", "其他业务收入", "income"),
        A("5111", "Investment income", "投资收益", "income"),
        A("5301", "Non-operating income", "营业外收入", "income"),
        A("5401", "Cost of main business", "主营业务成本", "expense"),
        A("5402", "Cost of other business", "其他业务成本", "expense"),
        A("5403", "Business taxes and surcharges", "营业税金及附加", "expense"),
        A("5601", "Selling expenses", "销售费用", "expense"),
        A("5602", "Administrative expenses", "管理费用", "expense"),
        A("5603", "Financial expenses", "财务费用", "expense"),
        A("5711", "Non-operating expenses", "营业外支出", "expense"),
        A("5801", "Income tax expense", "所得税费用", "expense"),
    ),
    roles={
        "receivable": "1122",
        "payable": "2202",
        "sales": "5001",
        "purchase": "1402",
        "stock": "1405",
        "stock_received": "220201",
        "cogs": "5401",
        # Count differences wait in 待处理财产损溢 until management approves their write-off.
        "stock_adjustment": "1901",
        "tax_output": "22210103",
        "tax_input": "22210101",
        "bank": "1002",
        "cash": "1001",
        # Exchange differences are part of 财务费用 under the standard, gains and losses alike.
        "fx_gain": "5603",
        "fx_loss": "5603",
        "expense": "5602",
        # What the company owes employees for their expense claims: 其他应付款.
        "employee_payable": "2241",
        "retained_earnings": "3104",
    },
    taxes=(
        TaxSpec("VAT13-S", "Output VAT 13%", "销项税 13%", "sale", Decimal("13"), "22210103"),
        TaxSpec("VAT9-S", "Output VAT 9%", "销项税 9%", "sale", Decimal("9"), "22210103"),
        TaxSpec("VAT6-S", "Output VAT 6%", "销项税 6%", "sale", Decimal("6"), "22210103"),
        TaxSpec("VAT13-P", "Input VAT 13%", "进项税 13%", "purchase", Decimal("13"), "22210101"),
        TaxSpec("VAT9-P", "Input VAT 9%", "进项税 9%", "purchase", Decimal("9"), "22210101"),
        TaxSpec("VAT6-P", "Input VAT 6%", "进项税 6%", "purchase", Decimal("6"), "22210101"),
        # Small-scale taxpayers: 3% on sales, no input credit, straight to 应交增值税.
        TaxSpec(
            "VAT3-S", "VAT 3% (small-scale)", "增值税 3%（小规模）", "sale", Decimal("3"), "222101"
        ),
    ),
)

TEMPLATES: dict[str, ChartTemplate] = {t.name: t for t in (GENERIC, CN_SMALL_BUSINESS)}
