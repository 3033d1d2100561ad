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

    qty = IntegerProperty(default=1)
    price = FloatProperty(default=0.0)


class Product(Record):
    """Something we sell."""

    name = StringProperty(required=True, index=True)
    sku = StringProperty(unique_index=True)
    category = StringProperty(index=True)
    price = FloatProperty()
    currency = StringProperty(default="USD")


class Order(Record):
    """A purchase placed by a person or a company."""

    number = StringProperty(unique_index=True)
    placed_at = DateTimeProperty(required=True, index=True)
    total = FloatProperty(default=0.0)
    currency = StringProperty(default="USD")
    status = StringProperty(default="completed")

    person = RelationshipTo("crn.graph.models.person.Person", "PLACED_BY")
    company = RelationshipTo("crn.graph.models.company.Company", "PLACED_BY")
    items = RelationshipTo("Product", "CONTAINS", model=Contains)
