"""Service tickets with SLA timers and satisfaction."""

from __future__ import annotations

from neomodel import IntegerProperty, RelationshipFrom, RelationshipTo, StringProperty

from crn.graph.models.base import Record
from crn.graph.models.fields import Options, choice
from crn.graph.models.properties import DateTimeProperty

TICKET_STATUS = Options(("open", "Open", "未处理"), ("pending", "Pending", "待定"), ("resolved", "Resolved", "已解决"),
                       ("closed", "Closed", "已关闭"))
PRIORITY = Options(("low", "Low", "低"), ("normal", "Normal", "普通"), ("high", "High", "高"), ("urgent", "Urgent", "紧急"))
TICKET_STATUSES, PRIORITIES = TICKET_STATUS.names, PRIORITY.names


class Ticket(Record):
    """A service request from a person at a company; ``sla_due_at`` drives SLA state and escalation."""

    __caption__ = ("Ticket", "工单")

    subject = StringProperty(required=True, caption=("Subject", "主题"), aliases=("ticket name", "title", "主题", "标题"))
    status = choice(TICKET_STATUS, default="open", index=True, caption=("Status", "状态"), filter="in",
                    aliases=("ticket status", "状态"),
                    synonyms={"new": "open", "waiting_on_contact": "pending", "solved": "resolved"})
    priority = choice(PRIORITY, default="normal", caption=("Priority", "优先级"), filter="in", aliases=("优先级",),
                      synonyms={"medium": "normal", "critical": "urgent"})
    channel = StringProperty(caption=("Channel", "渠道"), aliases=("origin", "source channel", "渠道"))
    opened_at = DateTimeProperty(default_now=True, index=True, caption=("Opened at", "创建时间"), filter="range",
                                 sort=True, aliases=("create date", "created", "createddate", "opened", "创建时间"))
    first_response_at = DateTimeProperty(caption=("First response at", "首次响应时间"))
    resolved_at = DateTimeProperty(caption=("Resolved at", "解决时间"),
                                   aliases=("close date", "closeddate", "resolved", "解决时间"))
    sla_due_at = DateTimeProperty(index=True, caption=("SLA due at", "SLA 截止时间"), sort=True,
                                  aliases=("sla due", "due", "截止时间"))
    csat = IntegerProperty(caption=("CSAT (1–5)", "满意度（1–5）"), aliases=("satisfaction", "满意度"))

    company = RelationshipTo("crn.graph.models.company.Company", "FOR")
    raised_by = RelationshipTo("crn.graph.models.person.Person", "RAISED_BY")
    assignees = RelationshipFrom("crn.graph.models.person.User", "ASSIGNED")
