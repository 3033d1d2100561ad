"""People outside our organisation (contacts, individual customers) and our own staff (users)."""

from __future__ import annotations

from neomodel import (
    BooleanProperty,
    FloatProperty,
    JSONProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredRel,
    ArrayProperty,
)

from crn.graph.models.base import Record
from crn.graph.models.fields import Options, choice
from crn.graph.models.properties import DateProperty, DateTimeProperty

SENIORITY = Options(("c_level", "C-level", "高管"), ("vp", "VP", "副总裁"), ("director", "Director", "总监"),
                    ("manager", "Manager", "经理"), ("staff", "Staff", "员工"), ("unknown", "Unknown", "未知"))
USER_ROLE = Options(("admin", "Admin", "管理员"), ("manager", "Manager", "经理"), ("viewer", "Viewer", "只读用户"))
# issue 13 (access): what an account-team membership grants on the company and what follows it
ACCOUNT_TEAM_ACCESS = Options(("read_write", "Read and write", "读写"), ("read", "Read only", "只读"))
REPORTING_KIND = Options(("solid", "Solid line", "实线汇报"), ("dotted", "Dotted line", "虚线汇报"))
SENIORITIES, USER_ROLES = SENIORITY.names, USER_ROLE.names


class WorksAt(StructuredRel):
    """(Person)-[:WORKS_AT]->(Company): one edge per stint; ``until`` closes it, history is kept."""

    title = StringProperty(caption=("Title", "职位"))
    department = StringProperty(caption=("Department", "部门"))
    since = DateProperty(caption=("Start date", "开始日期"))
    until = DateProperty(caption=("End date", "结束日期"))


class ReportsTo(StructuredRel):
    """(Person)-[:REPORTS_TO]->(Person): a solid (line) or dotted (matrix) reporting line."""

    since = DateProperty(caption=("Start date", "开始日期"))
    until = DateProperty(caption=("End date", "结束日期"))
    kind = choice(REPORTING_KIND, default="solid", caption=("Kind", "类型"))


class OwnsShare(StructuredRel):
    """(Person)-[:OWNS_SHARE]->(Company): a personal shareholding."""

    share = FloatProperty(caption=("Share (0–1)", "持股比例（0–1）"))
    since = DateProperty(caption=("Start date", "开始日期"))
    until = DateProperty(caption=("End date", "结束日期"))


class BoardMemberOf(StructuredRel):
    """(Person)-[:BOARD_MEMBER_OF]->(Company)."""

    since = DateProperty(caption=("Start date", "开始日期"))
    until = DateProperty(caption=("End date", "结束日期"))
    role = StringProperty(caption=("Role", "角色"))


class Knows(StructuredRel):
    """(Person|User)-[:KNOWS]->(Person): acquaintance with an explained strength in [0, 1].

    ``origin`` says where the tie came from (interactions, import, declared).
    """

    since = DateProperty(caption=("Start date", "开始日期"))
    origin = StringProperty(caption=("Origin", "来源"))  # the issue calls it `source`; neomodel reserves that name
    strength = FloatProperty(caption=("Strength", "关系强度"))
    strength_parts = JSONProperty(writable=False)
    strength_at = DateTimeProperty(writable=False)


class AccountTeam(StructuredRel):
    """(User)-[:ACCOUNT_TEAM]->(Company) with the user's role on the account."""

    role = StringProperty(default="account_manager", caption=("Role", "角色"))
    access = choice(ACCOUNT_TEAM_ACCESS, default="read_write", caption=("Access", "权限"))


class Person(Record):
    """Someone outside our organisation: a contact at a company or an individual (B2C) customer.

    ``email`` is the primary address (unique); ``emails`` holds all known addresses.
    """

    __caption__ = ("Person", "联系人")

    name = StringProperty(required=True, index=True, caption=("Name", "姓名"), pii=True, filter="contains", sort=True,
                          aliases=("full name", "fullname", "contact name", "employee name", "姓名", "名字", "全名",
                                   "员工姓名"))
    email = StringProperty(unique_index=True, caption=("Email", "电子邮箱"), pii=True, parser="email",
                           aliases=("e-mail", "email address", "work email", "primary email", "邮箱", "电子邮件",
                                    "电子邮箱", "邮件", "邮箱地址"))
    emails = ArrayProperty(StringProperty(), default=list, caption=("Other emails", "其他邮箱"), pii=True)
    phones = ArrayProperty(StringProperty(), default=list, caption=("Phones", "电话"), pii=True, parser="phones",
                           aliases=("phone", "phone number", "mobile", "mobile phone", "mobilephone",
                                    "mobile phone number", "telephone", "tel", "电话", "手机", "联系电话", "手机号",
                                    "手机号码"))
    title = StringProperty(caption=("Title", "职位"),
                           aliases=("job title", "jobtitle", "position", "job", "职位", "职务", "岗位", "头衔"))
    department = StringProperty(caption=("Department", "部门"), aliases=("dept", "division", "部门", "所属部门"))
    seniority = choice(SENIORITY, default="unknown", caption=("Seniority", "职级"), filter="in",
                       aliases=("level", "职级"),
                       synonyms={"clevel": "c_level", "c_suite": "c_level", "executive": "c_level",
                                 "vice_president": "vp", "individual_contributor": "staff"})
    birthday = DateProperty(caption=("Birthday", "生日"), pii=True)
    gender = StringProperty(caption=("Gender", "性别"), pii=True)
    city = StringProperty(caption=("City", "城市"), aliases=("城市",))
    country = StringProperty(caption=("Country", "国家/地区"), filter="in",
                             aliases=("country/region", "国家", "国家地区"))
    preferences = JSONProperty(caption=("Preferences (JSON)", "偏好（JSON）"), pii=True)
    consent_marketing = BooleanProperty(default=False, caption=("Marketing consent", "同意接收营销信息"))
    consent_at = DateTimeProperty(caption=("Consent given at", "同意时间"))
    # Per-channel marketing consent (docs/privacy.md): unset = never asked = no consent (marketing fails closed).
    consent_email = BooleanProperty(caption=("E-mail marketing consent", "同意接收营销邮件"),
                                    aliases=("email consent", "email opt-in", "邮件同意", "邮件营销同意"))
    consent_email_at = DateTimeProperty(caption=("E-mail consent changed at", "邮件同意变更时间"))
    consent_email_source = StringProperty(caption=("E-mail consent source", "邮件同意来源"))
    consent_sms = BooleanProperty(caption=("SMS marketing consent", "同意接收营销短信"),
                                  aliases=("sms consent", "sms opt-in", "短信同意", "短信营销同意"))
    consent_sms_at = DateTimeProperty(caption=("SMS consent changed at", "短信同意变更时间"))
    consent_sms_source = StringProperty(caption=("SMS consent source", "短信同意来源"))
    consent_phone = BooleanProperty(caption=("Phone marketing consent", "同意接收营销电话"),
                                    aliases=("phone consent", "call consent", "电话同意", "电话营销同意"))
    consent_phone_at = DateTimeProperty(caption=("Phone consent changed at", "电话同意变更时间"))
    consent_phone_source = StringProperty(caption=("Phone consent source", "电话同意来源"))
    lifecycle = StringProperty(index=True, default="lead", caption=("Lifecycle", "生命周期"), filter="in")

    employers = RelationshipTo("crn.graph.models.company.Company", "WORKS_AT", model=WorksAt)
    managers = RelationshipTo("Person", "REPORTS_TO", model=ReportsTo)
    reports = RelationshipFrom("Person", "REPORTS_TO", model=ReportsTo)
    owns_shares = RelationshipTo("crn.graph.models.company.Company", "OWNS_SHARE", model=OwnsShare)
    boards = RelationshipTo("crn.graph.models.company.Company", "BOARD_MEMBER_OF", model=BoardMemberOf)
    knows = RelationshipTo("Person", "KNOWS", model=Knows)


class User(Record):
    """One of our own staff: account manager, sales, support. ``role`` decides what they may do."""

    __caption__ = ("User", "用户")

    name = StringProperty(required=True, index=True, caption=("Name", "姓名"), pii=True, sort=True)
    email = StringProperty(unique_index=True, required=True, caption=("Email", "电子邮箱"), pii=True,
                           writable=False)
    role = choice(USER_ROLE, default="viewer", caption=("Role", "角色"), filter="in")
    title = StringProperty(caption=("Title", "职位"))
    team = StringProperty(caption=("Team", "团队"), filter="in")
    territory = StringProperty(caption=("Territory", "区域"))
    password_hash = StringProperty(secret=True)
    active = BooleanProperty(default=True, caption=("Active", "启用"))

    account_team = RelationshipTo("crn.graph.models.company.Company", "ACCOUNT_TEAM", model=AccountTeam)
    managers = RelationshipTo("User", "REPORTS_TO")
    knows = RelationshipTo("Person", "KNOWS", model=Knows)
