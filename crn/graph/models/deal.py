"""Deals, their pipeline stage history and their buying committees."""

from __future__ import annotations

from neomodel import (
    BooleanProperty,
    FloatProperty,
    JSONProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredRel,
)

from crn.graph.models.base import Record
from crn.graph.models.fields import Options, choice
from crn.graph.models.properties import DateProperty

STAGE = Options(("qualification", "Qualification", "资格确认"), ("discovery", "Discovery", "需求挖掘"),
                ("proposal", "Proposal", "方案报价"), ("negotiation", "Negotiation", "商务谈判"),
                ("closed_won", "Closed won", "赢单"), ("closed_lost", "Closed lost", "丢单"))
STATUS = Options(("open", "Open", "进行中"), ("won", "Won", "赢单"), ("lost", "Lost", "丢单"))
COMMITTEE_ROLE = Options(
    ("economic_buyer", "Economic buyer", "经济决策人"), ("decision_maker", "Decision maker", "决策人"),
    ("champion", "Champion", "内部支持者"), ("influencer", "Influencer", "影响者"),
    ("technical_evaluator", "Technical evaluator", "技术评估人"), ("user", "User", "使用者"),
    ("procurement", "Procurement", "采购"), ("blocker", "Blocker", "阻碍者"),
)
STAGES, STATUSES, COMMITTEE_ROLES = STAGE.names, STATUS.names, COMMITTEE_ROLE.names
# deal stages named by other systems (HubSpot, Salesforce), mapped to ours on import
STAGE_SYNONYMS = {"closedwon": "closed_won", "closedlost": "closed_lost", "won": "closed_won", "lost": "closed_lost",
                  "appointmentscheduled": "qualification", "prospecting": "qualification",
                  "qualifiedtobuy": "discovery", "needs_analysis": "discovery", "presentationscheduled": "proposal",
                  "proposal/price_quote": "proposal", "decisionmakerboughtin": "negotiation",
                  "contractsent": "negotiation", "negotiation/review": "negotiation"}


class OnCommittee(StructuredRel):
    """(Person)-[:ON_COMMITTEE]->(Deal): a buying role, declared by a user or inferred with confidence."""

    role = choice(COMMITTEE_ROLE, required=True, caption=("Role", "角色"))
    declared = BooleanProperty(default=True, caption=("Declared", "已确认"))
    confidence = FloatProperty(default=1.0, caption=("Confidence", "置信度"))


class Deal(Record):
    """An opportunity with a company. ``stage_history`` is a JSON list of {stage, at, by}."""

    __caption__ = ("Deal", "商机")

    name = StringProperty(required=True, index=True, caption=("Name", "名称"), filter="contains", sort=True,
                          aliases=("deal name", "dealname", "opportunity name", "opportunity", "商机名称", "商机",
                                   "项目名称"))
    amount = FloatProperty(default=0.0, caption=("Amount", "金额"), filter="range", sort=True,
                           aliases=("deal amount", "value", "金额", "商机金额"))
    currency = StringProperty(default="USD", caption=("Currency", "币种"), aliases=("币种",))
    stage = choice(STAGE, default="qualification", index=True, caption=("Stage", "阶段"), filter="in",
                   graphql_enum="DealStage",
                   aliases=("deal stage", "dealstage", "stagename", "stage name", "阶段"), synonyms=STAGE_SYNONYMS)
    probability = FloatProperty(default=0.1, caption=("Probability (0–1)", "赢单概率（0–1）"), parser="probability",
                                aliases=("deal probability", "概率", "赢率"))
    expected_close = DateProperty(index=True, caption=("Expected close", "预计成交"), filter="range", sort=True,
                                  aliases=("close date", "closedate", "expected close date", "预计成交日期"))
    closed_at = DateProperty(caption=("Closed at", "成交日期"), writable=False, form=False)
    status = choice(STATUS, default="open", index=True, caption=("Status", "状态"), filter="in", writable=False,
                    form=False, graphql_enum="DealStatus")
    stage_history = JSONProperty(default=list, caption=("Stage history", "阶段历史"), writable=False, form=False)

    company = RelationshipTo("crn.graph.models.company.Company", "FOR")
    committee = RelationshipFrom("crn.graph.models.person.Person", "ON_COMMITTEE", model=OnCommittee)
    owners = RelationshipFrom("crn.graph.models.person.User", "OWNS")
