"""The catalogue of contracts: its texts in the languages the browser app offers, keyed by the
English (tessera.plugin.UI.translations). A text left out shows in English."""

from __future__ import annotations

ZH = {
    # Manifest.
    "Contracts": "合同",
    "Contracts with CRM accounts, approval above an amount, payment plans with reminders": (
        "关联客户的合同、超额审批、回款计划与到期提醒"
    ),
    # Menus, dashboards, record types, metrics.
    "Contract": "合同",
    "Contract receivables": "合同回款",
    "Due by month": "按月应收",
    # Fields.
    "Number": "合同编号",
    "Title": "合同名称",
    "Account": "客户",
    "Status": "状态",
    "Currency": "币种",
    "Amount": "金额",
    "Signed on": "签订日期",
    "Owner": "负责人",
    "Payment plan": "回款计划",
    "Due date": "到期日",
    "Paid": "已回款",
    "Outstanding": "未回款",
    "Created": "创建时间",
    "Changed": "修改时间",
    "Instalment no.": "期次",
    "Paid on": "回款日期",
    "Note": "备注",
    # Enum options, as they read in English.
    "Draft": "草稿",
    "Pending approval": "待审批",
    "Active": "执行中",
    "Closed": "已关闭",
    "Rejected": "已驳回",
    "Open": "未结清",
    # Facts on a CRM account's page.
    "Active contracts": "执行中的合同",
    "To receive": "待回款",
    # Actions.
    "Sign": "签订",
    "Sign this contract? Above the approval threshold it goes for approval.": (
        "确认签订此合同？超过审批金额的合同将提交审批。"
    ),
    "Record payment": "登记回款",
    "Close": "关闭",
    "Close this contract?": "确认关闭此合同？",
    # Permissions.
    "See contracts, their payment plans and payments": "查看合同、回款计划与回款",
    "Make, change, sign and close contracts": "新建、修改、签订和关闭合同",
    "Record payments against contracts' instalments": "登记合同各期回款",
    "Approve contracts above the threshold (the default workflow asks the admins)": (
        "审批超过金额的合同（默认流程由管理员审批）"
    ),
    "Set the approval threshold and when reminders go out": "设置审批金额与提醒时间",
}
