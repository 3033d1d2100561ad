"""What each import kind accepts: its fields, their parsers and the header names recognised for them.

Header names are matched after normalisation (lower case, no spaces, underscores, dashes, slashes or
dots), so "Job Title", "job_title" and "JobTitle" are one name. The lists include HubSpot and
Salesforce export columns and common Chinese headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from crn.graph.models.company import LIFECYCLES, SUBSIDIARY_KINDS, TIERS
from crn.graph.models.deal import COMMITTEE_ROLES, STAGES
from crn.graph.models.interaction import DIRECTIONS, KINDS as INTERACTION_KINDS
from crn.graph.models.person import SENIORITIES
from crn.graph.models.ticket import PRIORITIES, TICKET_STATUSES
from crn.ingest import validation as v

KINDS = ("orgchart", "companies", "contacts", "deals", "tickets", "interactions", "orders", "bods", "graph")


def normalise_header(header: str) -> str:
    """The comparable form of a header: lower case without spaces, _, -, /, . or brackets."""
    return re.sub(r"[\s_\-/.()（）:：#]+", "", str(header).strip().lower())


@dataclass(frozen=True)
class Field:
    """One importable field: ``parse`` turns a cell into a value or raises ``CellError``."""

    name: str
    parse: Callable[[Any], Any]
    aliases: tuple[str, ...] = ()
    required: bool = False
    description: str = ""


def _f(name: str, parser: str | Callable[[Any], Any], *aliases: str, required: bool = False) -> Field:
    parse = v.PARSERS[parser] if isinstance(parser, str) else parser
    return Field(name, parse, (name, *aliases), required)


ID = _f("id", "text", "external id", "externalid", "record id", "recordid", "employee id", "employeeid", "emp id",
        "staff id", "person id", "contact id", "deal id", "ticket id", "opportunity id", "case id", "工号",
        "员工编号", "编号", "编码", "id号")
COMPANY_ID = _f("id", "text", "external id", "record id", "company id", "account id", "companyid", "公司编号", "编号")
SOURCE = _f("source", "text", "system", "来源", "来源系统")
TAGS = _f("tags", "list", "tag", "labels", "标签")
COMPANY_REF = (
    _f("company", "text", "company name", "employer", "organization", "organisation", "account", "account name",
       "associated company", "公司", "公司名称", "单位", "所属公司", "客户公司"),
    _f("company_domain", "domain", "company domain", "company domain name", "company website", "公司域名", "公司网址"),
    _f("company_id", "text", "accountid", "associated company id", "company record id", "公司编号"),
)

PERSON_FIELDS = (
    ID, SOURCE, TAGS, *COMPANY_REF,
    _f("name", "text", "full name", "fullname", "contact name", "employee name", "姓名", "名字", "全名", "员工姓名"),
    _f("first_name", "text", "first name", "firstname", "given name", "名"),
    _f("last_name", "text", "last name", "lastname", "surname", "family name", "姓"),
    _f("email", "email", "e-mail", "email address", "work email", "primary email", "邮箱", "电子邮件", "电子邮箱",
       "邮件", "邮箱地址"),
    _f("phone", "phone", "phone number", "phones", "mobile", "mobile phone", "mobilephone", "mobile phone number",
       "telephone", "tel", "电话", "手机", "联系电话", "手机号", "手机号码"),
    _f("title", "text", "job title", "jobtitle", "position", "job", "职位", "职务", "岗位", "头衔"),
    _f("department", "text", "dept", "division", "部门", "所属部门"),
    _f("seniority", v.choice(SENIORITIES, {"clevel": "c_level", "c_suite": "c_level", "executive": "c_level",
                                          "vice_president": "vp", "individual_contributor": "staff"}),
       "level", "职级"),
    _f("manager", "text", "manager id", "managerid", "manager email", "manager name", "reports to", "reportsto",
       "reportstoid", "reports to id", "line manager", "supervisor", "boss", "上级", "直属上级", "汇报对象",
       "经理", "上级工号", "上级邮箱"),
    _f("dotted_manager", "text", "dotted line", "dotted line manager", "dotted manager", "matrix manager",
       "虚线上级", "虚线汇报"),
    _f("since", "date", "start date", "startdate", "hire date", "hiredate", "joined", "start", "入职日期",
       "开始日期", "入职时间"),
    _f("until", "date", "end date", "enddate", "left", "termination date", "离职日期"),
    _f("city", "text", "城市"),
    _f("country", "text", "country/region", "国家", "国家地区"),
)

COMPANY_FIELDS = (
    COMPANY_ID, SOURCE, TAGS,
    _f("name", "text", "company name", "company", "account name", "organisation", "organization", "公司",
       "公司名称", "名称", "企业名称", required=True),
    _f("legal_name", "text", "legal name", "registered name", "法定名称", "工商注册名称", "注册名称"),
    _f("domain", "domain", "website", "website url", "company domain name", "url", "web", "域名", "网址", "官网"),
    _f("industry", "text", "行业", "所属行业"),
    _f("country", "text", "country/region", "billingcountry", "billing country", "国家", "国家地区"),
    _f("city", "text", "billingcity", "billing city", "城市"),
    _f("employees", "int", "number of employees", "numberofemployees", "employee count", "headcount", "员工数",
       "员工人数"),
    _f("annual_revenue", "float", "annual revenue", "annualrevenue", "revenue", "年收入", "营业收入", "营收"),
    _f("currency", "text", "currency code", "币种", "货币"),
    _f("tier", v.choice(TIERS), "客户等级"),
    _f("lifecycle", v.choice(LIFECYCLES, {"lead": "prospect", "opportunity": "prospect", "evangelist": "customer"}),
       "lifecycle stage", "lifecyclestage", "生命周期"),
    _f("parent", "text", "parent company", "parent id", "parentid", "parent account", "parent account id",
       "parent domain", "parent name", "母公司", "上级公司", "控股公司", "母公司名称", "母公司编号"),
    _f("share", "share", "ownership", "ownership %", "ownership percent", "share %", "stake", "equity",
       "持股比例", "持股", "股权比例", "持股比例%"),
    _f("share_range", "share_range", "ownership range", "share band", "持股区间"),
    _f("parent_kind", v.choice(SUBSIDIARY_KINDS, {"jv": "joint_venture", "子公司": "subsidiary",
                                                  "分公司": "branch", "合资": "joint_venture"}),
       "relation kind", "relationship", "kind", "关系类型"),
    _f("since", "date", "start date", "开始日期"),
    _f("until", "date", "end date", "结束日期"),
)

STAGE_ALIASES = {"closedwon": "closed_won", "closedlost": "closed_lost", "won": "closed_won", "lost": "closed_lost",
                 "appointmentscheduled": "qualification", "prospecting": "qualification",
                 "qualifiedtobuy": "discovery", "needs_analysis": "discovery", "presentationscheduled": "proposal",
                 "proposal/price_quote": "proposal", "decisionmakerboughtin": "negotiation",
                 "contractsent": "negotiation", "negotiation/review": "negotiation"}

DEAL_FIELDS = (
    ID, SOURCE, TAGS, *COMPANY_REF,
    _f("name", "text", "deal name", "dealname", "opportunity name", "opportunity", "商机名称", "商机", "项目名称",
       required=True),
    _f("amount", "float", "deal amount", "value", "金额", "商机金额"),
    _f("currency", "text", "币种"),
    _f("stage", v.choice(STAGES, STAGE_ALIASES), "deal stage", "dealstage", "stagename", "stage name", "阶段"),
    _f("probability", "probability", "deal probability", "概率", "赢率"),
    _f("expected_close", "date", "close date", "closedate", "expected close date", "预计成交日期"),
    _f("committee", "list", "buying committee", "committee members", "采购委员会", "决策链"),
)

TICKET_FIELDS = (
    ID, SOURCE, TAGS, *COMPANY_REF,
    _f("subject", "text", "ticket name", "title", "主题", "标题", required=True),
    _f("status", v.choice(TICKET_STATUSES, {"new": "open", "waiting_on_contact": "pending", "solved": "resolved"}),
       "ticket status", "状态"),
    _f("priority", v.choice(PRIORITIES, {"medium": "normal", "critical": "urgent"}), "优先级"),
    _f("channel", "text", "origin", "source channel", "渠道"),
    _f("opened_at", "datetime", "create date", "created", "createddate", "opened", "创建时间"),
    _f("resolved_at", "datetime", "close date", "closeddate", "resolved", "解决时间"),
    _f("sla_due_at", "datetime", "sla due", "due", "截止时间"),
    _f("csat", "int", "satisfaction", "满意度"),
    _f("contact", "text", "contact email", "contactid", "requester", "raised by", "联系人", "联系人邮箱"),
)

INTERACTION_FIELDS = (
    ID, SOURCE, TAGS, *COMPANY_REF,
    _f("kind", v.choice(INTERACTION_KINDS, {"phone": "call", "phone_call": "call", "邮件": "email", "电话": "call",
                                           "会议": "meeting", "拜访": "visit"}),
       "type", "activity type", "activitytype", "类型", required=True),
    _f("at", "datetime", "date", "time", "timestamp", "activity date", "activitydate", "时间", "日期",
       required=True),
    _f("direction", v.choice(DIRECTIONS), "方向"),
    _f("subject", "text", "主题"),
    _f("summary", "text", "notes", "body", "description", "内容", "摘要"),
    _f("contacts", "list", "contact", "participants", "attendees", "contact email", "联系人", "参与人"),
)

ORDER_FIELDS = (
    SOURCE, TAGS, *COMPANY_REF,
    _f("number", "text", "order number", "ordernumber", "order id", "orderid", "id", "订单号", "订单编号",
       required=True),
    _f("placed_at", "datetime", "order date", "date", "placed", "下单时间", "下单日期", required=True),
    _f("total", "float", "amount", "order total", "金额", "总额"),
    _f("currency", "text", "币种"),
    _f("status", "text", "order status", "状态"),
    _f("contact", "text", "customer", "customer email", "email", "客户", "客户邮箱"),
    _f("items", "list", "products", "line items", "商品"),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "orgchart": PERSON_FIELDS, "contacts": PERSON_FIELDS, "companies": COMPANY_FIELDS, "deals": DEAL_FIELDS,
    "tickets": TICKET_FIELDS, "interactions": INTERACTION_FIELDS, "orders": ORDER_FIELDS,
}

COMMITTEE_ROLE_PARSER = v.choice(COMMITTEE_ROLES, {"eb": "economic_buyer", "dm": "decision_maker",
                                                   "te": "technical_evaluator", "经济决策人": "economic_buyer",
                                                   "决策人": "decision_maker", "支持者": "champion",
                                                   "影响者": "influencer", "技术评估": "technical_evaluator",
                                                   "采购": "procurement", "反对者": "blocker"})


@dataclass
class Mapping:
    """Which file header feeds which field, plus the headers left unused and the detected source system."""

    columns: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    source: str | None = None

    def header_for(self, name: str) -> str | None:
        """The header mapped to field ``name`` (None when the file has no such column)."""
        return self.columns.get(name)
