"""Products and orders: purchase history for business and individual customers."""

from __future__ import annotations

from neomodel import (
    FloatProperty,
    IntegerProperty,
    RelationshipTo,
    StringProperty,
    StructuredRel,
)

from crn.graph.models.base import Record
from crn.graph.models.properties import DateTimeProperty


class Contains(StructuredRel):
    """(Order)-[:CONTAINS]->(Product) with quantity and unit price."""

    qty = IntegerProperty(default=1, caption=("Quantity", "数量"))
    price = FloatProperty(default=0.0, caption=("Price", "价格"))


class Product(Record):
    """Something we sell."""

    __caption__ = ("Product", "产品")

    name = StringProperty(required=True, index=True, caption=("Name", "名称"), filter="contains", sort=True)
    sku = StringProperty(unique_index=True, caption=("SKU", "SKU"))
    category = StringProperty(index=True, caption=("Category", "类别"), filter="in")
    price = FloatProperty(caption=("Price", "价格"), sort=True)
    currency = StringProperty(default="USD", caption=("Currency", "币种"))


class Order(Record):
    """A purchase placed by a person or a company."""

    __caption__ = ("Order", "订单")

    number = StringProperty(unique_index=True, caption=("Number", "编号"),
                            aliases=("order number", "ordernumber", "order id", "orderid", "id", "订单号", "订单编号"))
    placed_at = DateTimeProperty(required=True, index=True, caption=("Placed at", "下单时间"), filter="range", sort=True,
                                 aliases=("order date", "date", "placed", "下单时间", "下单日期"))
    total = FloatProperty(default=0.0, caption=("Total", "总额"), sort=True, aliases=("amount", "order total", "金额", "总额"))
    currency = StringProperty(default="USD", caption=("Currency", "币种"), aliases=("币种",))
    status = StringProperty(default="completed", caption=("Status", "状态"), filter="in", aliases=("order status", "状态"))

    person = RelationshipTo("crn.graph.models.person.Person", "PLACED_BY")
    company = RelationshipTo("crn.graph.models.company.Company", "PLACED_BY")
    items = RelationshipTo("Product", "CONTAINS", model=Contains)
