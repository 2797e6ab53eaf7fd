"""The document store's catalogue: its texts in the languages the browser app offers, keyed by
the English (tessera.plugin.UI.translations)."""

from __future__ import annotations

ZH = {
    # Menu entries and record types.
    "Folders": "文件夹",
    "Documents": "文档",
    "Folder": "文件夹",
    "Document": "文档",
    "Document version": "文档版本",
    "Share": "共享",
    # Fields.
    "Access": "权限",
    "Built-in role": "内置角色",
    "Changed": "修改时间",
    "Created": "创建时间",
    "Created by": "创建人",
    "Custom role": "自定义角色",
    "Department": "部门",
    "Inside": "上级文件夹",
    "Last uploaded by": "最后上传人",
    "Member": "成员",
    "Name": "名称",
    "SHA-256": "SHA-256 校验值",
    "Shared by": "共享人",
    "Size (bytes)": "大小（字节）",
    "Type": "类型",
    "Uploaded": "上传时间",
    "Uploaded as": "上传文件名",
    "Uploaded by": "上传人",
    "Version": "版本",
    "Your access": "我的权限",
    # Options, as they read in English.
    "Read": "只读",
    "Write": "读写",
    "Manage": "管理",
    "Owner": "所有者",
    "Admin": "管理员",
    # Permissions.
    "See the folders shared with you; upload, rename, move and delete documents where a share lets you write": "查看共享给自己的文件夹；在有读写权限的文件夹中上传、重命名、移动和删除文档",
    "Manage every folder and document: lay out top-level folders, share, move and delete anything": "管理所有文件夹和文档：建立顶层文件夹，共享、移动和删除任何内容",
    "Bring back deleted folders and documents (members: those they deleted)": "恢复已删除的文件夹和文档（成员：自己删除的）",
}  # fmt: skip
