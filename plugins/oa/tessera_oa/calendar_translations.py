"""The catalogue of the calendar, meeting rooms and announcements: their texts in the languages
the browser app offers, keyed by the English (tessera.plugin.UI.translations)."""

from __future__ import annotations

ZH = {
    # Menu entries.
    "Calendar": "日程",
    "Meeting rooms": "会议室",
    "Room bookings": "会议室预订",
    "Announcements": "公告",
    # Record types.
    "Event": "日程",
    "Meeting room": "会议室",
    "Room booking": "会议室预订",
    "Announcement": "公告",
    # Fields.
    "All day": "全天",
    "Audience": "发布范围",
    "Author": "发布人",
    "Booked by": "预订人",
    "Changed": "修改时间",
    "Created": "创建时间",
    "Description": "描述",
    "Ends": "结束时间",
    "Expires at": "过期时间",
    "Location": "地点",
    "My answer": "我的答复",
    "Name": "名称",
    "Organiser": "组织者",
    "Pinned": "置顶",
    "Publish at": "发布时间",
    "Published": "已发布于",
    "Purpose": "用途",
    "Read at": "已读于",
    "Seats": "座位数",
    "Starts": "开始时间",
    "State": "状态",
    "Takes bookings": "可预订",
    "Text": "正文",
    "Title": "标题",
    # Options, as they read in English.
    "Needs action": "待答复",
    "Accepted": "接受",
    "Declined": "拒绝",
    "Tentative": "暂定",
    "Everyone": "全体成员",
    "Departments": "部门",
    "Roles": "角色",
    "Draft": "草稿",
    "Scheduled": "定时发布",
    "Live": "发布中",
    "Expired": "已过期",
    # Permissions.
    "See calendar events (members: the events they attend or organise)": "查看日程（成员：自己参加或组织的日程）",
    "Create events; change and cancel the events you organise": "创建日程；修改和取消自己组织的日程",
    "See meeting rooms and their bookings": "查看会议室及其预订",
    "Add, change, retire and delete meeting rooms": "添加、修改、停用和删除会议室",
    "Book meeting rooms; cancel your bookings": "预订会议室；取消自己的预订",
    "Read the announcements addressed to you": "阅读发给自己的公告",
    "Write, publish and delete announcements; see who has read them": "撰写、发布和删除公告；查看阅读情况",
}  # fmt: skip
