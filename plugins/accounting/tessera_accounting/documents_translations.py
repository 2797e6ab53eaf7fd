"""The Chinese of partners, invoices, payments and their printed documents, keyed by the
English; merged into the module's catalogue (plugin.py)."""

from __future__ import annotations

from collections.abc import Mapping

from tessera_accounting.documents_ui import PRINTED

DOCUMENTS_ZH: Mapping[str, str] = {
    # Permissions
    "See customers and vendors": "查看客户和供应商",
    "Add and change customers and vendors": "添加和修改客户和供应商",
    "See invoices, bills and payments, and print them": "查看和打印发票、账单和付款",
    "Write and change draft invoices and bills": "编写和修改发票和账单草稿",
    "Post and cancel invoices and bills": "过账和取消发票和账单",
    "Register payments against invoices and bills": "登记发票和账单的收付款",
    # Menus, screens, dashboard
    "Customers and vendors": "客户和供应商",
    "Invoices and bills": "发票和账单",
    "Payments": "收付款",
    "Receivables": "应收账款",
    "Partner": "往来单位",
    "Invoice": "发票",
    "Payment": "收付款",
    "Name": "名称",
    "Kind": "类型",
    "Email": "邮箱",
    "Phone": "电话",
    "Address": "地址",
    "Payment terms (days)": "付款期限（天）",
    "CRM account": "CRM 客户",
    "Active": "启用",
    "Created": "创建时间",
    "Changed": "修改时间",
    "Customer": "客户",
    "Both": "客户兼供应商",
    "Posted on": "过账时间",
    "Lines": "明细行",
    "Print": "打印",
    "Invoices paid": "所付发票",
    "Direction": "方向",
    "Incoming": "收款",
    "Outgoing": "付款",
    "Exchange difference": "汇兑损益",
    "Tax code": "税码",
    "Account": "科目",
    "Product": "产品",
    "Receivable": "应收",
    "Overdue": "已逾期",
    "Post": "过账",
    "Cancel": "取消",
    "Post it? A posted invoice is numbered and booked; it can no longer change.": "确认过账？过账后的发票将编号并记账，不能再修改。",
    "Cancel it? A posted invoice is undone by a reversing entry.": "确认取消？已过账的发票将以冲销凭证撤销。",
    "Receivables and payables": "应收应付",
    "Owed by customers": "客户欠款",
    "Owed by customers, over 90 days overdue": "客户欠款（逾期超过 90 天）",
    "Owed to vendors": "应付供应商",
    # Printed (and shown) texts
    "Vendor bill": "供应商账单",
    "Draft invoice": "发票草稿",
    "Draft vendor bill": "供应商账单草稿",
    "Draft": "草稿",
    "Posted": "已过账",
    "Partially paid": "部分付款",
    "Paid": "已付清",
    "Cancelled": "已取消",
    "Tax ID": "税号",
    "Number": "编号",
    "Date": "日期",
    "Due date": "到期日",
    "Currency": "币种",
    "Status": "状态",
    "Reference": "参考号",
    "Bill to": "客户",
    "Vendor": "供应商",
    "Description": "描述",
    "Quantity": "数量",
    "Unit price": "单价",
    "Discount %": "折扣 %",
    "Tax": "税额",
    "Amount": "金额",
    "Untaxed amount": "不含税金额",
    "Total": "合计",
    "Amount due": "应付余额",
    "Notes": "备注",
    "Current": "未到期",
    "1-30 days": "1-30 天",
    "31-60 days": "31-60 天",
    "61-90 days": "61-90 天",
    "Over 90 days": "90 天以上",
    "Invoices": "发票数",
    "Aged receivables": "应收账龄",
    "Aged payables": "应付账龄",
}  # fmt: skip


def printed_texts(language: str) -> Mapping[str, str]:
    """English -> the language's text for what documents print; empty for English."""
    if language != "zh":
        return {}
    return {text: DOCUMENTS_ZH[text] for text in PRINTED if text in DOCUMENTS_ZH}
