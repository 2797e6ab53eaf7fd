"""The catalogue of generic requests: their texts in the languages the browser app offers,
keyed by the English (tessera.plugin.UI.translations)."""

from __future__ import annotations

ZH = {
    # Menu entries and record types.
    "Requests": "申请",
    "Request forms": "申请表单",
    "Request form": "申请表单",
    "Request": "申请",
    # Fields.
    "Name": "名称",
    "Description": "描述",
    "Category": "类别",
    "Icon": "图标",
    "Amount field": "金额字段",
    "Title field": "标题字段",
    "Active": "启用",
    "Created": "创建时间",
    "Changed": "修改时间",
    "Title": "标题",
    "Form": "表单",
    "Form name": "表单名称",
    "Requester": "申请人",
    "Amount": "金额",
    "Status": "状态",
    "Submitted on": "提交时间",
    "Submit for approval": "提交审批",
    "Take it back": "撤回申请",
    "Take this request back before anyone decides?": "在审批人处理前撤回此申请？",
    "Decided on": "审批完成时间",
    "Fields": "字段",
    "Details": "详细内容",
    "What a request made with this form asks for. Who approves it: the workflow for requests on the Workflows admin page (by default the requester's manager).": "用此表单提交的申请需要填写的内容。审批人：工作流管理页面中申请的审批流程（默认为申请人的上级）。",
    # Options: statuses, as they read in English.
    "Draft": "草稿",
    "Pending": "待审批",
    "Approved": "已批准",
    "Rejected": "已驳回",
    "Returned": "已退回",
    "Withdrawn": "已撤回",
    # Permissions.
    "Design request forms and their approval workflows; retire forms": "设计申请表单及其审批流程；停用表单",
    "Fill in request forms; submit and withdraw your requests": "填写申请表单；提交和撤回自己的申请",
    "See other members' requests": "查看其他成员的申请",
}  # fmt: skip
