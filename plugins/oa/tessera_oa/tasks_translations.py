"""The Chinese catalogue of tasks and projects: every text their screens and permissions show,
keyed by the English (tessera.plugin.UI.translations). plugin.py merges it with the module's
other catalogues; a text they share reads the same in each ("Author", "Active")."""

from __future__ import annotations

ZH = {
    # Menu entries and record types.
    "Tasks": "任务",
    "Projects": "项目",
    "Task": "任务",
    "Project": "项目",
    "Project member": "项目成员",
    "Checklist item": "检查项",
    "Comment": "评论",
    # Fields.
    "Title": "标题",
    "Description": "描述",
    "Subtask of": "上级任务",
    "Assignee": "负责人",
    "Due": "截止日期",
    "Priority": "优先级",
    "Status": "状态",
    "Completed": "完成时间",
    "Created by": "创建人",
    "Made for": "来源类型",
    "Made for record": "来源记录",
    "Subtasks": "子任务数",
    "Checklist done": "已完成检查项",
    "Checklist lines": "检查项数",
    "Created": "创建时间",
    "Changed": "修改时间",
    "Name": "名称",
    "Owner": "所有者",
    "My part": "我的角色",
    "Member": "成员",
    "Email": "电子邮箱",
    "Role": "角色",
    "Item": "内容",
    "Position": "顺序",
    "Author": "发布人",
    # Enum options, as they read in English.
    "Low": "低",
    "Normal": "普通",
    "High": "高",
    "Urgent": "紧急",
    "Todo": "待办",
    "In progress": "进行中",
    "Done": "已完成",
    "Cancelled": "已取消",
    "Active": "启用",
    "Archived": "已归档",
    "Manager": "管理者",
    # Permissions.
    "See your tasks and the projects you take part in, with their tasks": "查看自己的任务，以及所参与项目及其任务",
    "Create tasks and projects; work on and comment on the tasks you see": "创建任务和项目；处理和评论可见的任务",
    "See and change every project and task; restore deleted ones": "查看和修改所有项目与任务；恢复已删除的项目与任务",
}
