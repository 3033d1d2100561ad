"""Every node type of the model by its label: for `node(id)`/`nodes(ids)`, the look-ahead and the schema's types."""

from __future__ import annotations

from crn.schema.accounts.types import Company
from crn.schema.activity.types import Interaction
from crn.schema.people.types import Person, User
from crn.schema.sales.types import Deal, Order, Product
from crn.schema.service.types import Ticket

TYPE_BY_LABEL: dict[str, type] = {"Company": Company, "Person": Person, "User": User, "Deal": Deal,
                                  "Ticket": Ticket, "Interaction": Interaction, "Product": Product, "Order": Order}
