"""The catalogue of sales and purchasing: its texts in the languages the browser app offers,
keyed by the English (tessera.plugin.UI.translations)."""

from __future__ import annotations

ZH = {
    "Sales & Purchasing": "销售与采购",
    "Quotations, sales orders, deliveries, purchase orders, receipts, bills and payment plans": (
        "报价单、销售订单、发货、采购订单、收货、账单与回款计划"
    ),
    # Menus, dashboards, record types.
    "Sales orders": "销售订单",
    "Purchase orders": "采购订单",
    "Sales reports": "销售报表",
    "Sales": "销售",
    "Sales order": "销售订单",
    "Purchase order": "采购订单",
    "Revenue by month": "按月营业收入",
    "Top customers": "主要客户",
    # Fields.
    "Number": "编号",
    "Quotation": "报价单",
    "Request for quotation": "询价单",
    "State": "状态",
    "Customer": "客户",
    "Vendor": "供应商",
    "Currency": "币种",
    "Order date": "订单日期",
    "Valid until": "有效期至",
    "Note": "备注",
    "Untaxed": "未税金额",
    "Tax": "税额",
    "Total": "合计",
    "Total in company currency": "本位币合计",
    "Confirmed on": "确认时间",
    "Created": "创建时间",
    "Changed": "修改时间",
    "Vendor's bill number": "供应商发票号",
    "Lines": "明细行",
    "Product": "产品",
    "Description": "描述",
    "Quantity": "数量",
    "Unit price": "单价",
    "Discount %": "折扣 %",
    "Tax code": "税码",
    # Printed documents.
    "Print": "打印",
    "Date": "日期",
    "Reference": "参考号",
    "Amount": "金额",
    # States.
    "Rfq": "询价",
    "To approve": "待审批",
    "Purchase": "采购",
    "Done": "完成",
    "Rejected": "已驳回",
    "Cancelled": "已取消",
    "Sale": "销售",
    # Actions.
    "Confirm": "确认",
    "Deliver all": "全部发货",
    "Deliver everything left on this order?": "将此订单剩余数量全部发货？",
    "Invoice delivered": "为已发货开票",
    "Invoice everything delivered and not yet invoiced?": "为所有已发货未开票的数量开票？",
    "Cancel": "取消",
    "Cancel this order?": "取消此订单？",
    "Receive all": "全部收货",
    "Receive everything left on this order?": "将此订单剩余数量全部收货？",
    "Record bill": "登记账单",
    # Permissions.
    "See quotations, sales orders and payment plans": "查看报价单、销售订单和回款计划",
    "Make and change quotations; deliver, invoice and cancel sales orders": (
        "创建和修改报价单；对销售订单发货、开票和取消"
    ),
    "Confirm quotations as sales orders": "将报价单确认为销售订单",
    "See requests for quotation and purchase orders": "查看询价单和采购订单",
    "Make purchase orders; receive goods and record vendor bills": "创建采购订单；收货并登记供应商账单",
    "Approve purchase orders above the threshold (the default workflow asks the admins)": (
        "审批超过金额阈值的采购订单（默认流程由管理员审批）"
    ),
    "Set the purchase approval threshold and the bill price tolerance": "设置采购审批阈值和账单价格容差",
}
