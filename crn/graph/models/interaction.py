"""Interactions (calls, emails, meetings, chats, notes, visits): the timeline of every relationship."""

from __future__ import annotations

from neomodel import RelationshipTo, StringProperty, StructuredRel

from crn.graph.models.base import Record
from crn.graph.models.fields import Options, choice
from crn.graph.models.properties import DateTimeProperty

KIND = Options(("email", "Email", "邮件"), ("call", "Call", "电话"), ("meeting", "Meeting", "会议"),
               ("chat", "Chat", "聊天"), ("note", "Note", "备注"), ("visit", "Visit", "拜访"))
DIRECTION = Options(("inbound", "Inbound", "呼入"), ("outbound", "Outbound", "呼出"), ("internal", "Internal", "内部"))
KINDS, DIRECTIONS = KIND.names, DIRECTION.names


class Involved(StructuredRel):
    """(Interaction)-[:INVOLVED]->(Person|User); ``role`` is e.g. sender, recipient, attendee."""

    role = StringProperty(default="participant", caption=("Role", "角色"))


class Interaction(Record):
    """One touch point; ``direction`` is from our point of view."""

    __caption__ = ("Interaction", "互动")

    kind = choice(KIND, required=True, index=True, caption=("Kind", "类型"), filter="in",
                  aliases=("type", "activity type", "activitytype", "类型"),
                  synonyms={"phone": "call", "phone_call": "call", "邮件": "email", "电话": "call", "会议": "meeting",
                            "拜访": "visit"})
    at = DateTimeProperty(required=True, index=True, caption=("When", "时间"), filter="range", sort=True,
                          aliases=("date", "time", "timestamp", "activity date", "activitydate", "时间", "日期"))
    direction = choice(DIRECTION, default="outbound", caption=("Direction", "方向"), filter="in", aliases=("方向",))
    subject = StringProperty(caption=("Subject", "主题"), aliases=("主题",))
    summary = StringProperty(caption=("Summary", "摘要"), aliases=("notes", "body", "description", "内容", "摘要"))

    people = RelationshipTo("crn.graph.models.person.Person", "INVOLVED", model=Involved)
    users = RelationshipTo("crn.graph.models.person.User", "INVOLVED", model=Involved)
    about_deals = RelationshipTo("crn.graph.models.deal.Deal", "ABOUT")
    about_tickets = RelationshipTo("crn.graph.models.ticket.Ticket", "ABOUT")
    about_companies = RelationshipTo("crn.graph.models.company.Company", "ABOUT")
