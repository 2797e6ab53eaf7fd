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
    # Menu entries and record types.
    "Journal entries": "凭证",
    "Journal entry": "凭证",
    "Chart of accounts": "会计科目表",
    "Account": "科目",
    "Journals": "日记账",
    "Journal": "日记账",
    "Taxes": "税率",
    "Tax": "税率",
    "Exchange rates": "汇率",
    "Exchange rate": "汇率",
    # Fields.
    "Code": "编码",
    "Name": "名称",
    "Name (English)": "名称（英文）",
    "Name (Chinese)": "名称（中文）",
    "Type": "类型",
    "Subtype": "子类型",
    "Parent account": "上级科目",
    "Reconcilable": "可核销",
    "Active": "启用",
    "Kind": "类别",
    "Number": "凭证号",
    "Date": "日期",
    "Memo": "摘要",
    "Currency": "币种",
    "Status": "状态",
    "Total": "合计",
    "Reverses": "冲销的凭证",
    "Source": "来源",
    "Posted on": "过账时间",
    "Rate (%)": "税率（%）",
    "Included in prices": "价内税",
    "Rate": "汇率",
    # Options, as they read in English.
    "Asset": "资产",
    "Liability": "负债",
    "Equity": "所有者权益",
    "Income": "收入",
    "Expense": "费用",
    "Receivable": "应收",
    "Payable": "应付",
    "Bank": "银行",
    "Cash": "现金",
    "Stock": "存货",
    "Other": "其他",
    "Sale": "销售",
    "Purchase": "采购",
    "General": "通用",
    "Draft": "草稿",
    "Posted": "已过账",
    "Reversed": "已冲销",
    # Actions.
    "Post": "过账",
    "Reverse": "冲销",
    "Post the reversing entry?": "生成并过账冲销凭证？",
    # Reports.
    "Trial balance": "试算平衡表",
    "Profit and loss": "利润表",
    "Balance sheet": "资产负债表",
    "General ledger": "总分类账",
    "Period": "期间",
    "Compared with": "对比期间",
    "As of": "截至",
    "Opening": "期初余额",
    "Debit": "借方",
    "Credit": "贷方",
    "Closing": "期末余额",
    "Amount": "金额",
    "Expenses": "费用",
    "Net profit": "净利润",
    "Assets": "资产",
    "Liabilities": "负债",
    "Total assets": "资产总计",
    "Total liabilities and equity": "负债和所有者权益总计",
    "Current year earnings": "本年利润",
    "Label": "说明",
    "Balance": "余额",
}
