"""Interactions (calls, emails, meetings, chats, notes, visits): the timeline of every relationship."""

from __future__ import annotations

from neomodel import RelationshipTo, StringProperty, StructuredRel

from crn.graph.models.base import Record
from crn.graph.models.properties import DateTimeProperty

KINDS = ("email", "call", "meeting", "chat", "note", "visit")
DIRECTIONS = ("inbound", "outbound", "internal")


class Involved(StructuredRel):
    """(Interaction)-[:INVOLVED]->(Person|User); ``role`` is e.g. sender, recipient, attendee."""

    role = StringProperty(default="participant")


class Interaction(Record):
    """One touch point; ``direction`` is from our point of view."""

    kind = StringProperty(choices={k: k for k in KINDS}, required=True, index=True)
    at = DateTimeProperty(required=True, index=True)
    direction = StringProperty(choices={d: d for d in DIRECTIONS}, default="outbound")
    subject = StringProperty()
    summary = StringProperty()

    people = RelationshipTo("crn.graph.models.person.Person", "INVOLVED", model=Involved)
    users = RelationshipTo("crn.graph.models.person.User", "INVOLVED", model=Involved)
    about_deals = RelationshipTo("crn.graph.models.deal.Deal", "ABOUT")
    about_tickets = RelationshipTo("crn.graph.models.ticket.Ticket", "ABOUT")
    about_companies = RelationshipTo("crn.graph.models.company.Company", "ABOUT")
