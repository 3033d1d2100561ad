"""What each import kind accepts: its fields, their parsers and the header names recognised for them.

Header names are matched after normalisation (lower case, no spaces, underscores, dashes, slashes or
dots), so "Job Title", "job_title" and "JobTitle" are one name. The lists include HubSpot and
Salesforce export columns and common Chinese headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from crn.crm import fields as custom
from crn.graph.models.catalog import FieldSpec
from crn.graph.models.company import SUBSIDIARY_KINDS
from crn.graph.models.deal import COMMITTEE_ROLES
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
    caption: tuple[str, str] = ("", "")  # (English, Chinese) as a UI shows the field


def _f(name: str, parser: str | Callable[[Any], Any], *aliases: str, required: bool = False) -> Field:
    parse = v.PARSERS[parser] if isinstance(parser, str) else parser
    return Field(name, parse, (name, *aliases), required)


ID = _f("id", "text", "external id", "externalid", "record id", "recordid", "employee id", "employeeid", "emp id",
        "staff id", "person id", "contact id", "deal id", "ticket id", "opportunity id", "case id", "工号",
        "员工编号", "编号", "编码", "id号")
COMPANY_ID = _f("id", "text", "external id", "record id", "company id", "account id", "companyid", "公司编号", "编号")
SOURCE = _f("source", "text", "system", "来源", "来源系统")
COMPANY_REF = (
    _f("company", "text", "company name", "employer", "organization", "organisation", "account", "account name",
       "associated company", "公司", "公司名称", "单位", "所属公司", "客户公司"),
    _f("company_domain", "domain", "company domain", "company domain name", "company website", "公司域名", "公司网址"),
    _f("company_id", "text", "accountid", "associated company id", "company record id", "公司编号"),
)

# kind -> the record type its rows describe; that type's fields (model and custom) are its columns
RECORD_OF = {"orgchart": "Person", "contacts": "Person", "companies": "Company", "deals": "Deal",
             "tickets": "Ticket", "interactions": "Interaction", "orders": "Order"}

_KIND_PARSERS = {"str": "text", "int": "int", "float": "float", "money": "float", "bool": "bool", "date": "date",
                 "datetime": "datetime", "strs": "list"}


def _choices_parser(options: tuple[str, ...], synonyms: dict[str, str]) -> Callable[[Any], list[str]]:
    one = v.choice(options, synonyms)
    return lambda value: [one(item) for item in v.parse_list(value)]


def field_parser(f: FieldSpec) -> Callable[[Any], Any] | None:
    """The cell parser of a record field: its declared parser, its choices, or its kind's (None: not importable)."""
    if f.parser == "phones":
        return lambda value: [v.parse_phone(p) for p in v.parse_list(value)]
    if f.parser in v.PARSERS:
        return v.PARSERS[f.parser]
    if f.choices:
        return _choices_parser(f.choices, f.synonyms) if f.kind == "strs" else v.choice(f.choices, f.synonyms)
    name = _KIND_PARSERS.get(f.kind)
    return v.PARSERS[name] if name else None


def record_columns(label: str) -> tuple[Field, ...]:
    """Importable columns of a record type: every writable field (custom ones included) under its name, its
    captions in English and Chinese and its declared aliases. ``external_ids`` come from the id column."""
    out = []
    for f in custom.record(label).writable:
        parse = field_parser(f)
        if parse is None or f.name == "external_ids":
            continue
        out.append(Field(f.name, parse, tuple(dict.fromkeys((f.name, *f.aliases, *f.caption))), f.required,
                         caption=f.caption))
    return tuple(out)


# Columns that are not fields of the record: keys, and references to other records the row links to.
PERSON_LINKS = (
    ID, SOURCE, *COMPANY_REF,
    _f("first_name", "text", "first name", "firstname", "given name", "名"),
    _f("last_name", "text", "last name", "lastname", "surname", "family name", "姓"),
    _f("manager", "text", "manager id", "managerid", "manager email", "manager name", "reports to", "reportsto",
       "reportstoid", "reports to id", "line manager", "supervisor", "boss", "上级", "直属上级", "汇报对象",
       "经理", "上级工号", "上级邮箱"),
    _f("dotted_manager", "text", "dotted line", "dotted line manager", "dotted manager", "matrix manager",
       "虚线上级", "虚线汇报"),
    _f("since", "date", "start date", "startdate", "hire date", "hiredate", "joined", "start", "入职日期",
       "开始日期", "入职时间"),
    _f("until", "date", "end date", "enddate", "left", "termination date", "离职日期"),
)

COMPANY_LINKS = (
    COMPANY_ID, SOURCE,
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

DEAL_LINKS = (ID, SOURCE, *COMPANY_REF,
              _f("committee", "list", "buying committee", "committee members", "采购委员会", "决策链"))
TICKET_LINKS = (ID, SOURCE, *COMPANY_REF,
                _f("contact", "text", "contact email", "contactid", "requester", "raised by", "联系人", "联系人邮箱"))
INTERACTION_LINKS = (ID, SOURCE, *COMPANY_REF,
                     _f("contacts", "list", "contact", "participants", "attendees", "contact email", "联系人", "参与人"))
ORDER_LINKS = (SOURCE, *COMPANY_REF,
               _f("contact", "text", "customer", "customer email", "email", "客户", "客户邮箱"),
               _f("items", "list", "products", "line items", "商品"))

LINK_COLUMNS: dict[str, tuple[Field, ...]] = {
    "orgchart": PERSON_LINKS, "contacts": PERSON_LINKS, "companies": COMPANY_LINKS, "deals": DEAL_LINKS,
    "tickets": TICKET_LINKS, "interactions": INTERACTION_LINKS, "orders": ORDER_LINKS,
}
# columns a kind reads differently from the record field of the same name
_OVERRIDES = {"Order": {"number": {"required": True}}, "Person": {"name": {"required": False}}}


def fields(kind: str) -> tuple[Field, ...]:
    """Every column of an import kind: its keys and link columns, then the record type's fields.

    A link column wins over a record field of the same name (an order's ``contact`` is a reference,
    a company row's ``since`` dates its parent link). A person's name may instead come as first and last name.
    """
    links = LINK_COLUMNS[kind]
    taken = {f.name for f in links}
    label = RECORD_OF[kind]
    own = []
    for f in record_columns(label):
        if f.name in taken:
            continue
        over = _OVERRIDES.get(label, {}).get(f.name)
        own.append(Field(f.name, f.parse, f.aliases, over["required"], caption=f.caption) if over else f)
    return links + tuple(own)


# Captions of the columns that are not record fields (keys and references), as the import page shows them.
LINK_CAPTIONS: dict[str, tuple[str, str]] = {
    "id": ("External id", "外部编号"), "source": ("Source system", "来源系统"), "company": ("Company", "公司"),
    "company_domain": ("Company domain", "公司域名"), "company_id": ("Company external id", "公司外部编号"),
    "first_name": ("First name", "名"), "last_name": ("Last name", "姓"), "manager": ("Manager", "上级"),
    "dotted_manager": ("Dotted-line manager", "虚线上级"), "since": ("Since", "开始日期"), "until": ("Until", "结束日期"),
    "parent": ("Parent company", "母公司"), "share": ("Ownership share", "持股比例"),
    "share_range": ("Ownership range", "持股区间"), "parent_kind": ("Relation to parent", "与母公司关系"),
    "committee": ("Buying committee", "采购委员会"), "contact": ("Contact", "联系人"),
    "contacts": ("Contacts", "联系人"), "items": ("Items", "商品"),
}
IMPORT_PAGE_KINDS = ("companies", "contacts", "orgchart", "deals", "tickets", "interactions", "orders")


def describe_fields(kind: str) -> list[dict[str, Any]]:
    """The columns of import kind ``kind`` for a UI: name, English and Chinese caption, required.

    Raises ValueError for a kind that has no columns of its own (bods, graph) or does not exist.
    """
    if kind not in LINK_COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}; choose one of {', '.join(LINK_COLUMNS)}")
    out = []
    for f in fields(kind):
        en, zh = f.caption if any(f.caption) else LINK_CAPTIONS.get(f.name, (f.name, f.name))
        out.append({"name": f.name, "caption_en": en or f.name, "caption_zh": zh or en or f.name,
                    "required": f.required})
    return out


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
    headers: list[str] = field(default_factory=list)  # every header of the file, in its order

    def header_for(self, name: str) -> str | None:
        """The header mapped to field ``name`` (None when the file has no such column)."""
        return self.columns.get(name)
