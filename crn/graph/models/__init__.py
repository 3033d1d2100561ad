"""neomodel classes for crn's graph model, one module per domain (see docs/graph-model.md)."""

from crn.graph.models.base import Record, new_uid
from crn.graph.models.commerce import Order, Product
from crn.graph.models.company import Company
from crn.graph.models.deal import COMMITTEE_ROLES, STAGES, Deal
from crn.graph.models.interaction import Interaction
from crn.graph.models.person import Person, User
from crn.graph.models.ticket import Ticket

ALL_MODELS = (Company, Person, User, Deal, Ticket, Interaction, Product, Order)
NODE_LABELS = tuple(m.__name__ for m in ALL_MODELS)

__all__ = [
    "ALL_MODELS", "COMMITTEE_ROLES", "Company", "Deal", "Interaction", "NODE_LABELS", "Order", "Person",
    "Product", "Record", "STAGES", "Ticket", "User", "new_uid",
]
