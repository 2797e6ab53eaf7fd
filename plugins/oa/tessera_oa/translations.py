"""OA's catalogue for the module itself, departments and leave: its texts in the languages the
browser app offers, keyed by the English (tessera.plugin.UI.translations). Each area of OA keeps
its own catalogue beside its code; plugin.py merges them."""

from __future__ import annotations

ZH = {
    # A leave request's action buttons.
    "Withdraw this request?": "撤回此申请？",
    "Cancel leave": "取消休假",
    "Cancel this approved leave? The days go back to the balance.": "取消此已批准的休假？天数将退回余额。",
    # The module.
    "Office": "办公",
    "Departments, leave, approvals, expenses, announcements, tasks, documents": "部门、请假、审批、报销、公告、任务、文档",
    # Shared fields and options.
    "Name": "名称",
    "Email": "电子邮箱",
    "Kind": "类型",
    "Type": "类型",
    "Status": "状态",
    "Created": "创建时间",
    "Changed": "更新时间",
    "Active": "启用",
    "Pending": "待审批",
    "Approved": "已批准",
    "Rejected": "已驳回",
    "Returned": "已退回",
    "Cancelled": "已取消",
    # Departments.
    "Department": "部门",
    "Departments": "部门",
    "Head": "负责人",
    "Part of": "上级部门",
    "Member": "成员",
    "See departments and who is in them": "查看部门及其成员",
    "Create, change and delete departments; place members": "创建、更改和删除部门；安排成员",
    # Leave.
    "Leave": "请假",
    "Leave type": "假期类型",
    "Leave types": "假期类型",
    "Leave request": "请假申请",
    "Absence": "缺勤",
    "Who is away": "谁不在",
    "Who": "人员",
    "Day": "日期",
    "From": "开始",
    "To": "结束",
    "From noon": "从中午开始",
    "Until noon": "到中午结束",
    "Half day": "半天",
    "Am": "上午",
    "Pm": "下午",
    "Reason": "事由",
    "Paid leave": "带薪",
    "Days a year": "每年天数",
    "Days carried into next year (at most)": "可结转至下一年的天数（上限）",
    "May go below zero": "允许余额为负",
    "Attachment needed above (days)": "超过（天）需附证明",
    "Attachment (file id or name)": "附件（文件编号或名称）",
    "Working days": "工作日",
    "Ask for leave, withdraw or cancel your own; see who is away": "申请请假，撤回或取消自己的申请；查看谁不在",
    "See leave requests and balances": "查看请假申请和假期余额",
    "Set leave types, allocations and the holiday calendar; roll the year; cancel anyone's leave": "设置假期类型、额度和节假日日历；年度结转；取消任何人的请假",
}  # fmt: skip
