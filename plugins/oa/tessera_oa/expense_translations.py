"""The catalogue of expenses: their texts in the languages the browser app offers, keyed by the
English (tessera.plugin.UI.translations)."""

from __future__ import annotations

ZH = {
    # Menu entries and the dashboard.
    "Expense claims": "费用报销",
    "Cash advances": "备用金借款",
    "Expense categories": "费用类别",
    "Expense reports": "费用报表",
    "Expenses": "费用",
    "Expenses per category and month": "按类别和月份统计的费用",
    # Record types (resources and approvable record types).
    "Expense category": "费用类别",
    "Expense claim": "报销单",
    "Expense line": "报销明细",
    "Cash advance": "备用金借款",
    # Fields.
    "Name": "名称",
    "Description": "描述",
    "Currency": "币种",
    "Limit per": "限额周期",
    "Limit": "限额",
    "Receipt needed above": "超过此金额需附票据",
    "Only in its currency": "仅限该币种",
    "Active": "启用",
    "Created": "创建时间",
    "Changed": "修改时间",
    "Title": "标题",
    "Advance deducted": "冲抵的借款",
    "Member": "成员",
    "Status": "状态",
    "Total": "合计",
    "Over a limit": "超出限额",
    "Lines": "明细数",
    "Submitted on": "提交时间",
    "Decided on": "审批完成时间",
    "Paid on": "付款时间",
    "Paid by": "付款人",
    "Payment reference": "付款凭证号",
    "Claim": "报销单",
    "Category": "类别",
    "Date": "日期",
    "Amount": "金额",
    "Receipt": "票据",
    "Has a receipt": "有票据",
    "Over the limit": "超出限额",
    "Purpose": "用途",
    "Deducted from": "已冲抵的报销单",
    # Options: statuses and limit periods, as they read in English.
    "Draft": "草稿",
    "Submitted": "已提交",
    "Approved": "已批准",
    "Rejected": "已驳回",
    "Paid": "已付款",
    "None": "无",
    "Line": "每笔",
    "Month": "每月",
    # Permissions.
    "File expense claims and request cash advances": "提交费用报销和申请备用金",
    "Manage expense categories; see every claim and advance": "管理费用类别；查看所有报销单和借款",
    "Mark approved expense claims and cash advances paid": "将已批准的报销单和借款标记为已付款",
}
