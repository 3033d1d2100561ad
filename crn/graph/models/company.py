"""Companies and the ties between them: corporate families, partners, suppliers, competitors."""

from __future__ import annotations

from neomodel import (
    FloatProperty,
    IntegerProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredRel,
)

from crn.graph.models.base import Record
from crn.graph.models.fields import Options, choice
from crn.graph.models.properties import DateProperty

LIFECYCLE = Options(("prospect", "Prospect", "潜在客户"), ("customer", "Customer", "客户"),
                    ("partner", "Partner", "合作伙伴"), ("former", "Former", "前客户"))
TIER = Options(("strategic", "Strategic", "战略"), ("key", "Key", "重点"), ("standard", "Standard", "标准"),
               ("long_tail", "Long tail", "长尾"))
SUBSIDIARY_KIND = Options(("subsidiary", "Subsidiary", "子公司"), ("branch", "Branch", "分支机构"),
                          ("division", "Division", "事业部"), ("joint_venture", "Joint venture", "合资企业"))
LIFECYCLES, TIERS, SUBSIDIARY_KINDS = LIFECYCLE.names, TIER.names, SUBSIDIARY_KIND.names


class SubsidiaryOf(StructuredRel):
    """(child)-[:SUBSIDIARY_OF]->(parent): an ownership or structural link; several parents allowed.

    ``share`` is the exact fraction owned (0..1) when known; ``share_min``/``share_max`` carry a
    range when only a band is known (e.g. BODS 25-50%).
    """

    share = FloatProperty(caption=("Share (0–1)", "持股比例（0–1）"))
    share_min = FloatProperty(caption=("Share from (0–1)", "持股下限（0–1）"))
    share_max = FloatProperty(caption=("Share to (0–1)", "持股上限（0–1）"))
    since = DateProperty(caption=("Start date", "开始日期"))
    until = DateProperty(caption=("End date", "结束日期"))
    kind = choice(SUBSIDIARY_KIND, default="subsidiary", caption=("Kind", "类型"))


class CompanyLink(StructuredRel):
    """A commercial tie between companies (partner, supplier, competitor)."""

    since = DateProperty(caption=("Start date", "开始日期"))
    until = DateProperty(caption=("End date", "结束日期"))


class Company(Record):
    """An organisation: a customer, prospect or partner, or a member of their corporate family."""

    __caption__ = ("Company", "公司")

    name = StringProperty(required=True, index=True, caption=("Name", "名称"), filter="contains", sort=True,
                          aliases=("company name", "company", "account name", "organisation", "organization", "公司",
                                   "公司名称", "名称", "企业名称"))
    legal_name = StringProperty(caption=("Legal name", "法定名称"),
                                aliases=("legal name", "registered name", "法定名称", "工商注册名称", "注册名称"))
    domain = StringProperty(unique_index=True, caption=("Domain", "域名"), parser="domain",
                            aliases=("website", "website url", "company domain name", "url", "web", "域名", "网址",
                                     "官网"))
    industry = StringProperty(index=True, caption=("Industry", "行业"), filter="in", aliases=("行业", "所属行业"))
    country = StringProperty(index=True, caption=("Country", "国家/地区"), filter="in",
                             aliases=("country/region", "billingcountry", "billing country", "国家", "国家地区"))
    city = StringProperty(caption=("City", "城市"), aliases=("billingcity", "billing city", "城市"))
    employees = IntegerProperty(caption=("Employees", "员工数"), sort=True,
                                aliases=("number of employees", "numberofemployees", "employee count", "headcount",
                                         "员工数", "员工人数"))
    annual_revenue = FloatProperty(caption=("Annual revenue", "年收入"), sort=True,
                                   aliases=("annual revenue", "annualrevenue", "revenue", "年收入", "营业收入", "营收"))
    currency = StringProperty(caption=("Currency", "币种"), aliases=("currency code", "币种", "货币"))
    tier = choice(TIER, index=True, caption=("Tier", "等级"), filter="in", aliases=("客户等级",))
    lifecycle = choice(LIFECYCLE, index=True, default="prospect", caption=("Lifecycle", "生命周期"), filter="in",
                       aliases=("lifecycle stage", "lifecyclestage", "生命周期"),
                       synonyms={"lead": "prospect", "opportunity": "prospect", "evangelist": "customer"})

    parents = RelationshipTo("Company", "SUBSIDIARY_OF", model=SubsidiaryOf)
    subsidiaries = RelationshipFrom("Company", "SUBSIDIARY_OF", model=SubsidiaryOf)
    partners = RelationshipTo("Company", "PARTNER_OF", model=CompanyLink)
    supplies = RelationshipTo("Company", "SUPPLIES", model=CompanyLink)
    competes_with = RelationshipTo("Company", "COMPETES_WITH", model=CompanyLink)
    employees_rel = RelationshipFrom("crn.graph.models.person.Person", "WORKS_AT")
    board_members = RelationshipFrom("crn.graph.models.person.Person", "BOARD_MEMBER_OF")
    account_team = RelationshipFrom("crn.graph.models.person.User", "ACCOUNT_TEAM")
