"""Service tickets with SLA timers and satisfaction."""

from __future__ import annotations

from neomodel import IntegerProperty, RelationshipFrom, RelationshipTo, StringProperty

from crn.graph.models.base import Record
from crn.graph.models.properties import DateTimeProperty

TICKET_STATUSES = ("open", "pending", "resolved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")


class Ticket(Record):
    """A service request from a person at a company; ``sla_due_at`` drives SLA state and escalation."""

    subject = StringProperty(required=True)
    status = StringProperty(choices={s: s for s in TICKET_STATUSES}, default="open", index=True)
    priority = StringProperty(choices={p: p for p in PRIORITIES}, default="normal")
    channel = StringProperty()
    opened_at = DateTimeProperty(default_now=True, index=True)
    first_response_at = DateTimeProperty()
    resolved_at = DateTimeProperty()
    sla_due_at = DateTimeProperty(index=True)
    csat = IntegerProperty()

    company = RelationshipTo("crn.graph.models.company.Company", "FOR")
    raised_by = RelationshipTo("crn.graph.models.person.Person", "RAISED_BY")
    assignees = RelationshipFrom("crn.graph.models.person.User", "ASSIGNED")
