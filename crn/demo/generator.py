"""A deterministic generator of a realistic customer network, as batches of plain rows.

Same ``(size, seed, as_of)`` gives the same network, uids included. The generator walks the network
one *unit* at a time (our users and products, then one corporate family after another, then the
individual customers, then the cross-family ties) and hands out batches of rows per node kind and per
relationship kind, so even the large size (~1M nodes) is never held in memory at once. Nodes are
always handed out before the relationships that point at them.

What it plants (the buying committee of every deal, the corporate families, the implicit groups, the
cross-holding cycle, the decaying relationships) is collected in :attr:`DemoGenerator.answers`, which
is complete once the batches are exhausted. The graph itself only carries what a real CRM would hold:
declared committee roles on about 30% of the deals.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, NamedTuple

from faker import Faker

from crn.graph.models import STAGES

__all__ = ["Batch", "DemoGenerator", "SIZES", "SizeSpec", "generate"]

UTC = timezone.utc


@dataclass(frozen=True)
class SizeSpec:
    """How much of everything a size holds (families drive companies, people, deals, interactions)."""

    families: int
    individuals: int  # B2C customers and leads
    users: int
    products: int
    joint_ventures: int
    investors: int  # companies holding minority stakes in several families (implicit groups)
    shared_directors: int  # people on several boards (implicit groups)


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(families=7, individuals=180, users=14, products=24, joint_ventures=2, investors=1,
                      shared_directors=2),
    "medium": SizeSpec(families=380, individuals=9000, users=160, products=300, joint_ventures=12,
                       investors=15, shared_directors=40),
    "large": SizeSpec(families=3800, individuals=90000, users=1200, products=2000, joint_ventures=60,
                      investors=120, shared_directors=300),
}


class Batch(NamedTuple):
    """Rows of one kind: a node kind (``"Company"`` or ``"Company:Customer"``) or a relationship kind
    (``("Person", "WORKS_AT", "Company")``). Relationship rows are ``{"a": uid, "b": uid, "p": {...}}``."""

    kind: str | tuple[str, str, str]
    rows: list[dict[str, Any]]

    @property
    def is_relationship(self) -> bool:
        """True for relationship rows."""
        return isinstance(self.kind, tuple)


# --- vocabulary -------------------------------------------------------------------------------------

COUNTRIES = {  # country: (locale, currency, weight)
    "CN": ("zh_CN", "CNY", 45), "US": ("en_US", "USD", 25), "DE": ("en_US", "EUR", 8),
    "GB": ("en_US", "GBP", 8), "SG": ("en_US", "SGD", 7), "JP": ("en_US", "JPY", 7),
}
CITIES_EN = {
    "US": ["New York", "Chicago", "Austin", "Seattle", "Boston", "Atlanta"],
    "DE": ["Berlin", "Munich", "Hamburg", "Frankfurt"], "GB": ["London", "Manchester", "Leeds"],
    "SG": ["Singapore"], "JP": ["Tokyo", "Osaka", "Nagoya"],
}
INDUSTRIES = ["manufacturing", "retail", "logistics", "financial_services", "healthcare", "energy",
              "software", "telecom", "automotive", "consumer_goods"]
SYLLABLES = ["hua", "tai", "xin", "da", "zhong", "tong", "an", "hai", "long", "feng", "kang", "sheng",
             "mei", "jia", "bao", "rui", "tian", "yuan", "hong", "jin", "lian", "guang", "chuang", "heng"]
EN_SUB_SUFFIX = ["Logistics", "Services", "Digital", "Manufacturing", "Retail", "Finance", "Labs",
                 "Trading", "Solutions", "Energy"]
ZH_SUB_SUFFIX = ["科技有限公司", "贸易有限公司", "物流有限公司", "制造有限公司", "信息技术有限公司", "销售有限公司"]

# Department heads' titles and seniority: finance and IT are run by c-level officers in larger firms.
DEPARTMENTS = ["Finance", "IT", "Operations", "Procurement", "Sales", "Marketing", "Engineering", "HR", "Legal"]
HEAD_TITLE = {"Finance": ("CFO", "c_level"), "IT": ("CIO", "c_level"), "Engineering": ("CTO", "c_level")}

# What we sell, and which department sponsors a deal for it.
PRODUCT_LINES = {
    "Data Platform": "IT", "Security Suite": "IT", "Supply Chain Cloud": "Operations",
    "Procurement Hub": "Procurement", "Marketing Cloud": "Marketing", "Sales Analytics": "Sales",
    "Finance Automation": "Finance", "PLM Suite": "Engineering", "HR Suite": "HR",
}
CATEGORIES = ["software", "hardware", "services", "consumables", "training"]

STAGE_PROBABILITY = {"qualification": 0.1, "discovery": 0.2, "proposal": 0.4, "negotiation": 0.7,
                     "closed_won": 1.0, "closed_lost": 0.0}
FINAL_STAGE_WEIGHTS = [16, 15, 14, 10, 27, 18]  # in STAGES order
OPEN_STAGES = STAGES[:4]

# How each committee role engages: (interactions range, kinds with weights, share inbound).
ENGAGEMENT = {
    "champion": ((9, 16), {"email": 5, "call": 3, "chat": 3, "meeting": 2}, 0.6),
    "economic_buyer": ((2, 3), {"meeting": 5, "call": 1}, 0.15),
    "decision_maker": ((3, 5), {"meeting": 4, "call": 2, "email": 1}, 0.25),
    "technical_evaluator": ((3, 6), {"meeting": 3, "email": 3, "call": 1}, 0.4),
    "influencer": ((2, 4), {"email": 2, "call": 2, "meeting": 1}, 0.35),
    "user": ((1, 2), {"meeting": 1, "email": 1}, 0.3),
    "procurement": ((1, 3), {"email": 4, "call": 1}, 0.5),
    "blocker": ((1, 3), {"email": 2, "meeting": 1}, 0.5),
}
SLA_HOURS = {"urgent": 4, "high": 8, "normal": 24, "low": 72}
TICKET_SUBJECTS = ["Cannot log in", "Export fails", "Invoice discrepancy", "Slow dashboard",
                   "Integration error", "Licence renewal question", "Data sync delayed", "Feature request",
                   "Password reset", "API rate limit reached"]
KNOWS_ORIGINS_USER = ["interactions", "event", "referral", "linkedin"]


@dataclass
class _Company:
    """What the generator remembers about a company after its unit is handed out."""

    uid: str
    name: str
    country: str
    family: str  # uid of the ultimate parent
    depth: int
    domain: str = ""
    seniors: list[str] = field(default_factory=list)  # c-level and VP uids (board candidates)
    staff_sample: list[str] = field(default_factory=list)  # a few people (former-colleague ties)


@dataclass
class _Person:
    uid: str
    name: str
    department: str
    seniority: str
    title: str
    manager: str | None


class _Unit:
    """Rows of one unit of the network, by kind."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)

    def node(self, kind: str, row: dict[str, Any]) -> None:
        """Add a node row (None-valued properties left out)."""
        self.rows[kind].append({k: v for k, v in row.items() if v is not None})

    def rel(self, a_label: str, rtype: str, b_label: str, a: str, b: str, **props: Any) -> None:
        """Add a relationship row ``{a, b, p}`` (None-valued properties left out)."""
        self.rows[(a_label, rtype, b_label)].append(
            {"a": a, "b": b, "p": {k: v for k, v in props.items() if v is not None}})


class DemoGenerator:
    """Generates the demo network for one size and seed; iterate :meth:`batches`, then read
    :attr:`answers` (the planted truth) and :attr:`counts` (rows handed out per kind).

    Parameters
    ----------
    size : "small" | "medium" | "large"
    seed : int
        Same seed, same network (uids included).
    as_of : date, optional
        The day the two years of history end (default: today, UTC). Part of the determinism key.
    """

    def __init__(self, size: str = "small", seed: int = 7, as_of: date | None = None) -> None:
        if size not in SIZES:
            raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
        self.size, self.seed, self.spec = size, seed, SIZES[size]
        self.as_of = as_of or datetime.now(UTC).date()
        self.now = datetime.combine(self.as_of, time(0), UTC)
        self.start = self.now - timedelta(days=730)
        self.rng = random.Random(seed)
        self._uid_rng = random.Random(f"crn-demo-uids:{seed}")
        self.fake = Faker(["zh_CN", "en_US"])
        self.fake.seed_instance(seed)
        self._pools()
        self.companies: list[_Company] = []
        self.users: list[dict[str, Any]] = []
        self.support_users: list[str] = []
        self.sales_users: list[str] = []
        self.products: list[dict[str, Any]] = []
        self.knows: set[tuple[str, str]] = set()
        self.counts: dict[Any, int] = defaultdict(int)
        self._serial = 0
        self.answers: dict[str, Any] = {
            "size": size, "seed": seed, "as_of": self.as_of.isoformat(),
            "deals": {}, "families": {}, "joint_ventures": [], "implicit_groups": [], "cycle": [],
            "decaying_relationships": [],
        }

    # --- helpers ---------------------------------------------------------------------------------

    def _pools(self) -> None:
        """Name and sentence pools drawn from Faker once, then sampled with the seeded rng (fast)."""
        zh, en = self.fake["zh_CN"], self.fake["en_US"]
        self.zh_last = [zh.last_name() for _ in range(120)]
        self.zh_first = [zh.first_name() for _ in range(400)]
        self.zh_roman_first = [zh.first_romanized_name().lower() for _ in range(200)]
        self.zh_roman_last = [zh.last_romanized_name().lower() for _ in range(100)]
        self.en_first = [en.first_name() for _ in range(400)]
        self.en_last = [en.last_name() for _ in range(400)]
        self.zh_city = [zh.city_name() for _ in range(60)]
        self.sentences = {"zh_CN": [zh.sentence(nb_words=8) for _ in range(200)],
                          "en_US": [en.sentence(nb_words=10) for _ in range(300)]}

    def uid(self) -> str:
        """The next deterministic uid (32 hex characters)."""
        return f"{self._uid_rng.getrandbits(128):032x}"

    def serial(self) -> int:
        """The next running number (order numbers, ERP ids)."""
        self._serial += 1
        return self._serial

    def when(self, lo: datetime, hi: datetime) -> datetime:
        """A random instant in [lo, hi), to the second."""
        span = max(1, int((hi - lo).total_seconds()))
        return lo + timedelta(seconds=self.rng.randrange(span))

    def stamps(self, created: datetime, updated: datetime | None = None) -> dict[str, Any]:
        """The properties every node carries: audit stamps (by "demo"), tags and external ids."""
        return {"created_at": created, "updated_at": max(created, updated or created), "updated_by": "demo",
                "tags": [], "external_ids": []}

    def person_name(self, locale: str) -> tuple[str, str]:
        """(display name, e-mail local part)."""
        r = self.rng
        if locale == "zh_CN":
            return (r.choice(self.zh_last) + r.choice(self.zh_first),
                    f"{r.choice(self.zh_roman_first)}.{r.choice(self.zh_roman_last)}")
        first, last = r.choice(self.en_first), r.choice(self.en_last)
        return f"{first} {last}", f"{first}.{last}".lower().replace("'", "").replace(" ", "")

    def pick_weighted(self, weights: dict[str, int]) -> str:
        """One key of ``weights``, drawn in proportion to its weight."""
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # --- the units -------------------------------------------------------------------------------

    def units(self) -> Iterator[_Unit]:
        """Every unit of the network, in an order where relationships only point backwards."""
        yield self._staff_and_catalogue()
        for index in range(self.spec.families):
            yield self._family(index)
        yield from self._individuals()
        yield self._cross_family_ties()

    def batches(self, batch_size: int = 10_000) -> Iterator[Batch]:
        """Batches of at most ``batch_size`` rows; every node is handed out before any relationship to it."""
        node_buf: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rel_buf: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)

        def flush_nodes() -> Iterator[Batch]:
            for kind in list(node_buf):
                if node_buf[kind]:
                    yield Batch(kind, node_buf.pop(kind))

        for unit in self.units():
            # Node kinds first, so a relationship flush never runs ahead of this unit's nodes.
            for kind, rows in sorted(unit.rows.items(), key=lambda item: isinstance(item[0], tuple)):
                self.counts[kind] += len(rows)
                buf = rel_buf if isinstance(kind, tuple) else node_buf
                buf[kind].extend(rows)
                while len(buf[kind]) >= batch_size:
                    chunk, buf[kind] = buf[kind][:batch_size], buf[kind][batch_size:]
                    if buf is rel_buf:
                        yield from flush_nodes()
                    yield Batch(kind, chunk)
        yield from flush_nodes()
        for kind in list(rel_buf):
            if rel_buf[kind]:
                yield Batch(kind, rel_buf.pop(kind))

    def _staff_and_catalogue(self) -> _Unit:
        """Our users (sales, account managers, support; a reporting tree) and the product catalogue."""
        unit, r = _Unit(), self.rng
        n = self.spec.users
        n_support = max(3, n // 4)
        n_sales = n - n_support
        territories = ["CN", "APAC", "NA", "EMEA"]

        def add_user(title: str, team: str, role: str, manager: str | None) -> str:
            name, local = self.person_name(r.choice(["zh_CN", "en_US"]))
            uid = self.uid()
            created = self.when(self.start - timedelta(days=900), self.start)
            unit.node("User", {"uid": uid, "name": name, "email": f"{local}.{uid[:4]}@crn-demo.example",
                               "role": role, "title": title, "team": team, "territory": r.choice(territories),
                               "active": True, **self.stamps(created, self.now - timedelta(days=r.randrange(30)))})
            if manager:
                unit.rel("User", "REPORTS_TO", "User", uid, manager)
            self.users.append({"uid": uid, "team": team, "title": title})
            return uid

        head = add_user("VP Sales", "sales", "admin", None)
        managers = [add_user("Sales Director", "sales", "manager", head) for _ in range(max(1, n_sales // 8))]
        for i in range(n_sales - 1 - len(managers)):
            title = "Account Manager" if i % 2 == 0 else "Sales Representative"
            self.sales_users.append(add_user(title, "sales", "viewer", managers[i % len(managers)]))
        self.sales_users.extend(managers)
        support_lead = add_user("Support Manager", "support", "manager", head)
        self.support_users.append(support_lead)
        for _ in range(n_support - 1):
            self.support_users.append(add_user("Support Agent", "support", "viewer", support_lead))

        lines = list(PRODUCT_LINES)
        for i in range(self.spec.products):
            uid = self.uid()
            category = CATEGORIES[i % len(CATEGORIES)]
            line = lines[i % len(lines)]
            price = round(r.choice([9.9, 19, 49, 99, 199, 499, 999, 4999]) * r.uniform(0.8, 1.3), 2)
            row = {"uid": uid, "name": f"{line} {self.fake['en_US'].word().title()} {i + 1}",
                   "sku": f"SKU-{uid[:6].upper()}-{i + 1:05d}", "category": category, "price": price,
                   "currency": "USD", **self.stamps(self.start - timedelta(days=400))}
            unit.node("Product", row)
            self.products.append(row)
        return unit

    # --- corporate families --------------------------------------------------------------------

    def _family(self, index: int) -> _Unit:
        """One corporate family: a tree of companies several levels deep, each with its people, org
        chart, deals, committees, interactions, tickets and orders."""
        unit, r = _Unit(), self.rng
        home = r.choices(list(COUNTRIES), weights=[c[2] for c in COUNTRIES.values()])[0]
        industry = r.choice(INDUSTRIES)
        # Family shape: the first few families are always deep enough to plant cross-family ties.
        depth = 3 if index < 4 else r.choices([1, 2, 3, 4], weights=[25, 35, 28, 12])[0]
        root = self._company(unit, home, industry, parent=None, depth=0, family=None, size_class=3)
        family_members = [root.uid]
        domestic: dict[str, str] = {root.uid: root.uid}
        frontier = [(root, root.uid)]  # (company, its domestic ultimate)
        for level in range(1, depth):
            next_frontier = []
            for parent, parent_domestic in frontier:
                for _ in range(r.choice([1, 2, 2, 3]) if level == 1 else r.choice([0, 1, 1, 2])):
                    foreign = level == 1 and r.random() < 0.3
                    country = r.choice([c for c in COUNTRIES if c != parent.country]) if foreign else parent.country
                    child = self._company(unit, country, industry, parent=parent, depth=level,
                                          family=root.uid, size_class=max(1, 3 - level))
                    # Domestic ultimate: the top-most company of the same country on the way up.
                    domestic[child.uid] = parent_domestic if country == parent.country else child.uid
                    family_members.append(child.uid)
                    next_frontier.append((child, domestic[child.uid]))
            frontier = next_frontier
        self.answers["families"][root.uid] = {"country": home, "members": family_members,
                                             "domestic_ultimate": domestic}
        return unit

    def _company(self, unit: _Unit, country: str, industry: str, parent: _Company | None, depth: int,
                 family: str | None, size_class: int, jv_owners: list[_Company] | None = None) -> _Company:
        """A company with its parent link(s), people and everything that happens with it."""
        r = self.rng
        locale, currency, _ = COUNTRIES[country]
        uid = self.uid()
        city = r.choice(self.zh_city) if locale == "zh_CN" else r.choice(CITIES_EN[country])
        slug = "".join(r.choice(SYLLABLES) for _ in range(r.choice([2, 3])))
        if parent is None and jv_owners is None:
            if locale == "zh_CN":
                name = self.fake["zh_CN"].company_prefix() + r.choice(["集团", "控股", "集团有限公司"])
            else:
                name = self.fake["en_US"].last_name() + r.choice([" Group", " Holdings", " Industries", " Corp"])
                slug = name.split()[0].lower().replace("'", "")
        elif jv_owners is not None:
            name = f"{jv_owners[0].name.split()[0]}-{jv_owners[1].name.split()[0]} Joint Venture"
        else:
            base = parent.name.split()[0] if " " in parent.name else parent.name[:4]
            name = (f"{base}{city}{r.choice(ZH_SUB_SUFFIX)}" if locale == "zh_CN"
                    else f"{base} {r.choice(EN_SUB_SUFFIX)} {country}")
        legal = name if locale == "zh_CN" else name + r.choice([" Inc.", " Ltd.", " GmbH", " LLC", " Pte. Ltd."])
        employees = int(10 ** r.uniform(1.5 + size_class * 0.6, 2.5 + size_class * 0.6))
        company = _Company(uid, name, country, family or uid, depth, domain=f"{slug}-{uid[:5]}.example")

        # Parent link(s): majority stakes, some wholly owned branches and divisions, some share ranges.
        since = (self.start - timedelta(days=r.randrange(300, 5000))).date()
        if jv_owners is not None:
            for owner in jv_owners:
                unit.rel("Company", "SUBSIDIARY_OF", "Company", uid, owner.uid, share=0.5, kind="joint_venture",
                         since=since)
        elif parent is not None:
            kind = r.choices(["subsidiary", "branch", "division"], weights=[70, 18, 12])[0]
            if kind == "subsidiary" and r.random() < 0.2:
                lo = r.choice([0.5, 0.75])
                unit.rel("Company", "SUBSIDIARY_OF", "Company", uid, parent.uid, share_min=lo,
                         share_max=1.0 if lo == 0.75 else 0.75, kind=kind, since=since)
            else:
                share = 1.0 if kind != "subsidiary" else r.choice([1.0, 1.0, round(r.uniform(0.51, 0.95), 2)])
                unit.rel("Company", "SUBSIDIARY_OF", "Company", uid, parent.uid, share=share, kind=kind,
                         since=since)

        people = self._org_chart(unit, company, locale, size_class)
        deals, won, orders = self._deals(unit, company, people, locale)
        orders = orders or (r.random() < 0.08 and self._company_orders(unit, company))
        customer = won or bool(orders)
        if customer:
            self._tickets(unit, company, people, locale)
        lifecycle = "customer" if customer else r.choices(["prospect", "partner", "former"], weights=[80, 12, 8])[0]
        tier = ("strategic" if employees > 5000 else "key" if employees > 1000 else
                "standard" if employees > 100 else "long_tail")
        created = self.when(self.start - timedelta(days=700), self.start + timedelta(days=200))
        row = {"uid": uid, "name": name, "legal_name": legal, "domain": company.domain,
               "industry": industry, "country": country, "city": city, "employees": employees,
               "annual_revenue": float(round(employees * r.uniform(80_000, 400_000), -3)),
               "currency": currency, "tier": tier, "lifecycle": lifecycle,
               **self.stamps(created, self.now - timedelta(days=r.randrange(60)))}
        row["external_ids"] = [f"erp:C{self.serial():07d}"]
        row["tags"] = [industry] + (["group_hq"] if depth == 0 and family is None else [])
        unit.node("Company:Customer" if customer else "Company", row)

        # Account team: an account manager on every company we sell to, sometimes a second seller.
        if deals or customer or r.random() < 0.3:
            owner = r.choice(self.sales_users)
            unit.rel("User", "ACCOUNT_TEAM", "Company", owner, uid, role="account_manager")
            unit.rel("User", "OWNS", "Company", owner, uid)  # access (issue 13): the account manager owns it
            if customer and r.random() < 0.5:
                unit.rel("User", "ACCOUNT_TEAM", "Company", r.choice(self.support_users), uid, role="support")
            self._account_interactions(unit, company, people, owner, locale)
        self.companies.append(company)
        return company

    def _org_chart(self, unit: _Unit, company: _Company, locale: str, size_class: int) -> list[_Person]:
        """CEO -> department heads -> directors -> managers -> staff; solid lines form a tree, a few
        dotted lines cross departments. Some people came from another company (WORKS_AT with until)."""
        r = self.rng
        n_depts = {1: r.randint(2, 3), 2: r.randint(3, 4), 3: r.randint(4, 6)}[size_class]
        depts = ["Finance", "IT"] + r.sample(DEPARTMENTS[2:], n_depts - 2)
        people: list[_Person] = []
        emails: set[str] = set()

        def add(title: str, dept: str, seniority: str, manager: _Person | None) -> _Person:
            name, local = self.person_name(locale)
            email = f"{local}@{company.domain}"
            k = 1
            while email in emails:
                k += 1
                email = f"{local}{k}@{company.domain}"
            emails.add(email)
            uid = self.uid()
            person = _Person(uid, name, dept, seniority, title, manager.uid if manager else None)
            people.append(person)
            years = {"c_level": (3, 15), "vp": (2, 12), "director": (1, 10), "manager": (1, 8),
                     "staff": (0, 6)}[seniority]
            since = (self.now - timedelta(days=r.randint(years[0] * 365 + 30, years[1] * 365 + 200))).date()
            created = self.when(self.start - timedelta(days=300), self.now - timedelta(days=20))
            unit.node("Person", {
                "uid": uid, "name": name, "email": email, "emails": [email],
                "phones": [f"+{r.randint(10, 99)} {r.randint(100, 999)} {r.randint(1000, 9999)}"],
                "title": title, "department": dept, "seniority": seniority, "city": None, "country": company.country,
                "lifecycle": "contact", "consent_marketing": r.random() < 0.4,
                **self.stamps(created, self.now - timedelta(days=r.randrange(90)))})
            unit.rel("Person", "WORKS_AT", "Company", uid, company.uid, title=title, department=dept, since=since)
            if manager:
                unit.rel("Person", "REPORTS_TO", "Person", uid, manager.uid, kind="solid", since=since)
            if seniority != "c_level" or title != "CEO":
                if r.random() < 0.12 and self.companies:
                    self._former_employer(unit, uid, company, since)
            return person

        ceo = add("CEO", "Executive", "c_level", None)
        heads = []
        for dept in depts:
            if dept in HEAD_TITLE and size_class >= 2:
                title, seniority = HEAD_TITLE[dept]
            else:
                title, seniority = f"VP {dept}", "vp"
            head = add(title, dept, seniority, ceo)
            heads.append(head)
            for _ in range(r.choice([1, 1, 2]) if size_class >= 2 else 1):
                director = add(f"Director of {dept}", dept, "director", head)
                for _ in range(r.choice([1, 1, 2])):
                    manager = add(f"{dept} Manager", dept, "manager", director)
                    for _ in range(r.randint(0, 3 if size_class >= 2 else 2)):
                        add(r.choice([f"{dept} Specialist", f"{dept} Analyst", f"Senior {dept} Specialist"]),
                            dept, "staff", manager)
        # Dotted lines: matrix reporting to another department's head or director.
        leaders = [p for p in people if p.seniority in ("vp", "director", "c_level") and p is not ceo]
        for person in people:
            if person.seniority in ("manager", "staff") and r.random() < 0.06:
                others = [p for p in leaders if p.department != person.department]
                if others:
                    unit.rel("Person", "REPORTS_TO", "Person", person.uid, r.choice(others).uid, kind="dotted",
                             since=(self.start + timedelta(days=r.randrange(600))).date())
        company.seniors = [ceo.uid] + [h.uid for h in heads[:2]]
        company.staff_sample = [p.uid for p in r.sample(people, min(3, len(people)))]
        return people

    def _former_employer(self, unit: _Unit, person_uid: str, company: _Company, since: date) -> None:
        """A previous stint at an earlier company (until set), and often a tie to a former colleague."""
        r = self.rng
        former = r.choice(self.companies[-200:] if len(self.companies) > 200 and r.random() < 0.5 else self.companies)
        if former.uid == company.uid:
            return
        until = since - timedelta(days=r.randint(0, 60))
        unit.rel("Person", "WORKS_AT", "Company", person_uid, former.uid, title=r.choice(
            ["Manager", "Analyst", "Director", "Engineer", "Consultant"]), department=r.choice(DEPARTMENTS),
            since=until - timedelta(days=r.randint(365, 6 * 365)), until=until)
        if former.staff_sample and r.random() < 0.7:
            self._knows(unit, "Person", person_uid, r.choice(former.staff_sample), "former_colleague",
                        until - timedelta(days=r.randint(100, 900)))

    def _knows(self, unit: _Unit, a_label: str, a: str, b: str, origin: str, since: date) -> None:
        if a != b and (a, b) not in self.knows:
            self.knows.add((a, b))
            unit.rel(a_label, "KNOWS", "Person", a, b, origin=origin, since=since)

    # --- deals, committees and the interactions around them --------------------------------------

    def _deals(self, unit: _Unit, company: _Company, people: list[_Person], locale: str) -> tuple[int, bool, bool]:
        """0-3 deals with planted committees; returns (deal count, any won, any orders placed)."""
        r = self.rng
        n = r.choices([0, 1, 2, 3], weights=[42, 30, 18, 10])[0]
        won = False
        by_dept: dict[str, list[_Person]] = defaultdict(list)
        for p in people:
            by_dept[p.department].append(p)
        for _ in range(n):
            line = r.choice([l for l, d in PRODUCT_LINES.items() if d in by_dept] or list(PRODUCT_LINES))
            dept = PRODUCT_LINES[line] if PRODUCT_LINES[line] in by_dept else r.choice(
                [d for d in by_dept if d != "Executive"])
            # The first deals walk through every stage, so even the small network shows the whole pipeline.
            made = len(self.answers["deals"])
            final = STAGES[made] if made < len(STAGES) else r.choices(STAGES, weights=FINAL_STAGE_WEIGHTS)[0]
            closed = final in ("closed_won", "closed_lost")
            length = timedelta(days=r.randint(35, 240))
            if closed:
                opened = self.when(self.start, self.now - length - timedelta(days=1))
                close_at = opened + length
            else:
                opened = self.when(max(self.start, self.now - timedelta(days=300)), self.now - timedelta(days=10))
                close_at = None
            amount = float(round(10 ** r.uniform(4, 6.3), -2))
            owner = r.choice(self.sales_users)
            uid = self.uid()
            history = self._stage_history(final, opened, close_at, owner)
            status = {"closed_won": "won", "closed_lost": "lost"}.get(final, "open")
            won = won or status == "won"
            expected = (close_at.date() if close_at else
                        (self.now + timedelta(days=r.randint(10, 180))).date())
            last_change = datetime.fromisoformat(history[-1]["at"])
            unit.node("Deal", {
                "uid": uid, "name": f"{company.name} - {line}", "amount": amount,
                "currency": "USD", "stage": final, "probability": STAGE_PROBABILITY[final],
                "expected_close": expected, "closed_at": close_at.date() if close_at else None,
                "status": status, "stage_history": json.dumps(history),
                **self.stamps(opened, last_change)})
            unit.rel("Deal", "FOR", "Company", uid, company.uid)
            unit.rel("User", "OWNS", "Deal", owner, uid)
            committee = self._committee(by_dept, dept, amount)
            declared = r.random() < 0.3
            declared_members: list[str] = []
            if declared:
                members = list(committee.items())
                r.shuffle(members)
                for person_uid, role in members[: r.randint(2, len(members))]:
                    unit.rel("Person", "ON_COMMITTEE", "Deal", person_uid, uid, role=role, declared=True,
                             confidence=1.0)
                    declared_members.append(person_uid)
            self.answers["deals"][uid] = {"company": company.uid, "stage": final, "sponsor_department": dept,
                                          "committee": committee, "declared": sorted(declared_members)}
            end = close_at or self.now
            stalled = not closed and r.random() < 0.25  # engagement dried up: decay visible
            self._deal_interactions(unit, uid, company, committee, people, owner, opened,
                                    end - (end - opened) * 0.6 if stalled else end, locale)
        orders = won and r.random() < 0.3 and self._company_orders(unit, company)
        return n, won, bool(orders)

    def _stage_history(self, final: str, opened: datetime, close_at: datetime | None, owner: str) -> list[dict]:
        """The stages a deal went through, each with when and by whom."""
        r = self.rng
        if final == "closed_lost":
            reached = STAGES.index(r.choice(OPEN_STAGES))
            path = list(STAGES[: reached + 1]) + ["closed_lost"]
        else:
            path = list(STAGES[: STAGES.index(final) + 1])
        end = close_at or self.now - timedelta(days=r.randint(1, 9))
        step = (end - opened) / max(1, len(path) - 1)
        return [{"stage": s, "at": (opened + step * i).isoformat(), "by": owner} for i, s in enumerate(path)]

    def _committee(self, by_dept: dict[str, list[_Person]], dept: str, amount: float) -> dict[str, str]:
        """Plant the buying committee of a deal (person uid -> role) the way real ones form."""
        r = self.rng
        team = by_dept[dept]
        head = next(p for p in team if p.seniority in ("vp", "c_level"))
        directors = [p for p in team if p.seniority == "director"]
        managers = [p for p in team if p.seniority == "manager"]
        staff = [p for p in team if p.seniority == "staff"]
        cfo = next((p for p in by_dept.get("Finance", []) if p.seniority in ("c_level", "vp")), None)
        ceo = by_dept["Executive"][0]
        committee: dict[str, str] = {}

        def put(person: _Person | None, role: str) -> None:
            if person and person.uid not in committee:
                committee[person.uid] = role

        # Economic buyer: the senior budget owner (finance head for big tickets, else the sponsor head;
        # the CEO for very large deals at smaller firms without a finance head).
        if amount >= 500_000 and cfo and cfo is not head:
            put(cfo, "economic_buyer")
            put(head, "decision_maker")
        else:
            put(head if amount < 1_500_000 or not cfo else ceo, "economic_buyer")
            put(directors[0] if directors else None, "decision_maker")
        # Champion: a manager/director in the sponsoring department (engages most, see interactions).
        champions = [p for p in managers + directors if p.uid not in committee]
        put(r.choice(champions) if champions else None, "champion")
        # Technical evaluator: someone in IT or engineering, not the head.
        tech = [p for d in ("IT", "Engineering") for p in by_dept.get(d, [])
                if p.seniority in ("director", "manager", "staff") and p.uid not in committee]
        put(r.choice(tech) if tech else None, "technical_evaluator")
        # Users: staff of the sponsoring department who will use what we sell.
        for p in r.sample(staff, min(len(staff), r.randint(0, 2))):
            put(p, "user")
        # Influencers: other managers/directors of the sponsoring department.
        others = [p for p in managers + directors if p.uid not in committee]
        for p in r.sample(others, min(len(others), r.randint(0, 1))):
            put(p, "influencer")
        # Procurement on larger deals.
        buyers = [p for p in by_dept.get("Procurement", []) if p.seniority in ("director", "manager", "staff")]
        if buyers and amount >= 100_000:
            put(r.choice(buyers), "procurement")
        # Sometimes a blocker: a leader elsewhere who prefers the incumbent.
        if r.random() < 0.2:
            elsewhere = [p for d, ps in by_dept.items() if d not in (dept, "Executive") for p in ps
                         if p.seniority in ("director", "vp") and p.uid not in committee]
            put(r.choice(elsewhere) if elsewhere else None, "blocker")
        return committee

    def _interaction(self, unit: _Unit, kind: str, at: datetime, direction: str, locale: str, subject: str,
                     users: list[str], persons: list[str], about: list[tuple[str, str]]) -> None:
        """One interaction node with INVOLVED and ABOUT edges; roles follow kind and direction."""
        uid = self.uid()
        unit.node("Interaction", {"uid": uid, "kind": kind, "at": at, "direction": direction, "subject": subject,
                                  "summary": self.rng.choice(self.sentences[locale]), **self.stamps(at)})
        if kind in ("meeting", "visit"):
            user_role, person_role = "organizer", "attendee"
        elif kind == "note":
            user_role, person_role = "author", "mentioned"
        elif direction == "inbound":
            user_role, person_role = "recipient", "sender"
        else:
            user_role, person_role = "sender", "recipient"
        for u in users:
            unit.rel("Interaction", "INVOLVED", "User", uid, u, role=user_role)
        for p in persons:
            unit.rel("Interaction", "INVOLVED", "Person", uid, p, role=person_role)
        for label, target in about:
            unit.rel("Interaction", "ABOUT", label, uid, target)

    def _deal_interactions(self, unit: _Unit, deal: str, company: _Company, committee: dict[str, str],
                           people: list[_Person], owner: str, opened: datetime, end: datetime, locale: str) -> None:
        """Champions often and inbound; economic buyers and decision makers rarely but in meetings;
        most staff almost never. Engagement with buyers and deciders clusters near the close."""
        r = self.rng
        about = [("Deal", deal), ("Company", company.uid)]
        for person, role in committee.items():
            (lo, hi), kinds, inbound = ENGAGEMENT[role]
            for _ in range(r.randint(lo, hi)):
                kind = self.pick_weighted(kinds)
                if role in ("economic_buyer", "decision_maker", "procurement"):
                    at = self.when(opened + (end - opened) * 0.5, end)
                else:
                    at = self.when(opened, end)
                direction = "inbound" if kind not in ("meeting", "visit") and r.random() < inbound else "outbound"
                persons = [person]
                if kind == "meeting" and len(committee) > 1 and r.random() < 0.4:
                    persons.append(r.choice([p for p in committee if p != person]))
                self._interaction(unit, kind, at, direction, locale, f"{kind.title()}: {role.replace('_', ' ')} "
                                  f"on {company.name}", [owner], persons, about)
                if (owner, person) not in self.knows and role in ("champion", "economic_buyer", "decision_maker"):
                    self._knows(unit, "User", owner, person, "interactions", at.date())
        # Most of the company rarely shows up.
        bystanders = [p for p in people if p.uid not in committee]
        for p in r.sample(bystanders, min(len(bystanders), r.randint(0, 2))):
            self._interaction(unit, "email", self.when(opened, end), "outbound", locale, "Newsletter follow-up",
                              [owner], [p.uid], about)

    def _account_interactions(self, unit: _Unit, company: _Company, people: list[_Person], owner: str,
                              locale: str) -> None:
        """Account-level touches with the executive sponsor over two years; some relationships decay."""
        r = self.rng
        sponsor = next(p for p in people if p.title == "CEO") if r.random() < 0.4 else r.choice(people[:6])
        decaying = r.random() < 0.3
        end = self.now - timedelta(days=r.randint(200, 400)) if decaying else self.now
        for _ in range(r.randint(2, 8)):
            kind = r.choice(["call", "meeting", "visit", "email", "note"])
            direction = "internal" if kind == "note" else r.choice(["inbound", "outbound", "outbound"])
            self._interaction(unit, kind, self.when(self.start, end), direction, locale,
                              f"Account review with {company.name}", [owner], [sponsor.uid],
                              [("Company", company.uid)])
        self._knows(unit, "User", owner, sponsor.uid, r.choice(KNOWS_ORIGINS_USER),
                    (self.start - timedelta(days=r.randrange(400))).date())
        if decaying:
            self.answers["decaying_relationships"].append({"user": owner, "person": sponsor.uid,
                                                           "company": company.uid})

    # --- service and commerce ---------------------------------------------------------------------

    def _tickets(self, unit: _Unit, company: _Company, people: list[_Person], locale: str) -> None:
        """Tickets for a customer, with SLA outcomes: most met, some breached, some still open."""
        r = self.rng
        raisers = [p for p in people if p.seniority in ("staff", "manager")] or people
        for _ in range(r.randint(1, 6)):
            uid = self.uid()
            priority = r.choices(list(SLA_HOURS), weights=[8, 20, 55, 17])[0]
            opened = self.when(self.start, self.now - timedelta(hours=2))
            due = opened + timedelta(hours=SLA_HOURS[priority])
            breached = r.random() < 0.18
            status = r.choices(["resolved", "closed", "open", "pending"], weights=[35, 45, 12, 8])[0]
            if opened > self.now - timedelta(days=3) and r.random() < 0.7:
                status = "open"
            first_response = opened + timedelta(minutes=r.randint(5, 120 if not breached else 600))
            first_response = min(first_response, self.now - timedelta(minutes=1))
            resolved = None
            if status in ("resolved", "closed"):
                hours = SLA_HOURS[priority]
                resolved = opened + timedelta(hours=r.uniform(hours * 1.05, hours * 4) if breached
                                              else r.uniform(0.1, hours * 0.95))
                resolved = min(resolved, self.now - timedelta(minutes=1))
            csat = None
            if resolved and r.random() < 0.7:
                csat = r.choices([1, 2, 3, 4, 5], weights=[25, 30, 25, 15, 5] if breached else [2, 3, 10, 35, 50])[0]
            unit.node("Ticket", {"uid": uid, "subject": r.choice(TICKET_SUBJECTS), "status": status,
                                 "priority": priority, "channel": r.choice(["email", "phone", "chat", "portal"]),
                                 "opened_at": opened, "first_response_at": first_response, "resolved_at": resolved,
                                 "sla_due_at": due, "csat": csat, **self.stamps(opened, resolved or first_response)})
            raiser = r.choice(raisers)
            agent = r.choice(self.support_users)
            unit.rel("Ticket", "FOR", "Company", uid, company.uid)
            unit.rel("Ticket", "RAISED_BY", "Person", uid, raiser.uid)
            unit.rel("User", "ASSIGNED", "Ticket", agent, uid)
            about = [("Ticket", uid), ("Company", company.uid)]
            self._interaction(unit, "email", opened, "inbound", locale, "Support request", [agent], [raiser.uid], about)
            if resolved or r.random() < 0.5:
                self._interaction(unit, r.choice(["email", "call", "chat"]), first_response, "outbound", locale,
                                  "Support reply", [agent], [raiser.uid], about)

    def _order(self, unit: _Unit, placed_by_label: str, placed_by: str, placed_at: datetime, b2b: bool) -> None:
        r = self.rng
        uid = self.uid()
        items = r.sample(self.products, r.randint(1, 4))
        total = 0.0
        for product in items:
            qty = r.randint(5, 200) if b2b else r.randint(1, 3)
            price = round(product["price"] * (r.uniform(0.7, 0.95) if b2b else 1.0), 2)
            total += qty * price
            unit.rel("Order", "CONTAINS", "Product", uid, product["uid"], qty=qty, price=price)
        unit.node("Order", {"uid": uid, "number": f"SO-{self.seed}-{self.serial():08d}", "placed_at": placed_at,
                            "total": round(total, 2), "currency": "USD",
                            "status": r.choices(["completed", "shipped", "cancelled", "returned"],
                                                weights=[80, 10, 6, 4])[0], **self.stamps(placed_at)})
        unit.rel("Order", "PLACED_BY", placed_by_label, uid, placed_by)

    def _company_orders(self, unit: _Unit, company: _Company) -> bool:
        for _ in range(self.rng.randint(1, 3)):
            self._order(unit, "Company", company.uid, self.when(self.start, self.now), b2b=True)
        return True

    def _individuals(self) -> Iterator[_Unit]:
        """Individual (B2C) customers and leads: demographics, birthday, consent, preferences, orders."""
        r = self.rng
        chunk = 2000
        for offset in range(0, self.spec.individuals, chunk):
            unit = _Unit()
            for i in range(min(chunk, self.spec.individuals - offset)):
                country = r.choices(["CN", "US", "GB", "SG"], weights=[60, 25, 8, 7])[0]
                locale = COUNTRIES[country][0]
                name, local = self.person_name(locale)
                uid = self.uid()
                email = f"{local}.{uid[:6]}@{r.choice(['163.example', 'qq.example', 'mail.example', 'inbox.example'])}"
                created = self.when(self.start - timedelta(days=200), self.now - timedelta(days=1))
                n_orders = r.choices([0, 1, 2, 3, 5, 8], weights=[35, 25, 15, 12, 8, 5])[0]
                consent = r.random() < 0.55
                unit.node("Person:Customer" if n_orders else "Person", {
                    "uid": uid, "name": name, "email": email, "emails": [email],
                    "phones": [f"+{'86' if country == 'CN' else '1'} {r.randint(130, 189)} {r.randint(1000, 9999)} "
                               f"{r.randint(1000, 9999)}"],
                    "seniority": "unknown", "gender": r.choice(["female", "male", "female", "male", "other"]),
                    "birthday": date(r.randint(1950, 2005), r.randint(1, 12), r.randint(1, 28)),
                    "city": r.choice(self.zh_city) if locale == "zh_CN" else r.choice(CITIES_EN.get(country, ["London"])),
                    "country": country, "lifecycle": "customer" if n_orders else "lead",
                    "consent_marketing": consent, "consent_at": (consent_at := self.when(created, self.now) if consent else None),
                    # privacy (issue 13 §3): the same opt-in as e-mail consent, so marketing rules have someone to mail
                    "consent_email": True if consent else None, "consent_email_at": consent_at,
                    "consent_email_source": "signup form" if consent else None,
                    "preferences": json.dumps({"channel": r.choice(["email", "sms", "wechat", "phone"]),
                                               "categories": r.sample(CATEGORIES, 2),
                                               "language": "zh" if locale == "zh_CN" else "en"}),
                    **self.stamps(created, self.now - timedelta(days=r.randrange(30)))})
                # access (issue 13): an individual has no company to follow; a seller owns them (in turn, no dice)
                unit.rel("User", "OWNS", "Person", self.sales_users[(offset + i) % len(self.sales_users)], uid)
                for _ in range(n_orders):
                    self._order(unit, "Person", uid, self.when(created, self.now), b2b=False)
            yield unit

    # --- ties across families ---------------------------------------------------------------------

    def _cross_family_ties(self) -> _Unit:
        """Joint ventures, minority investors, shared directors, personal shareholdings, and exactly one
        cross-holding cycle; these make the implicit groups."""
        unit, r = _Unit(), self.rng
        roots = [c for c in self.companies if c.depth == 0 and c.family == c.uid]
        members = [c for c in self.companies if c.depth > 0]
        by_family: dict[str, list[_Company]] = defaultdict(list)
        for c in members:
            by_family[c.family].append(c)
        families_with_members = [f for f in by_family if by_family[f]]

        # The cycle: three members of three different families hold minority stakes in each other.
        trio_families = r.sample(families_with_members, 3)
        trio = [r.choice(by_family[f]) for f in trio_families]
        for i, company in enumerate(trio):
            holder = trio[(i + 1) % 3]
            unit.rel("Company", "SUBSIDIARY_OF", "Company", company.uid, holder.uid,
                     share=round(r.uniform(0.08, 0.2), 2), kind="subsidiary",
                     since=(self.start - timedelta(days=r.randrange(2000))).date())
        self.answers["cycle"] = [c.uid for c in trio]

        # Minority investors: one company holds stakes in members of several other families.
        used = {c.uid for c in trio}
        for _ in range(self.spec.investors):
            investor = r.choice(roots)
            pool = [c for c in members if c.family != investor.family and c.uid not in used]
            investees = r.sample(pool, min(len(pool), r.randint(2, 4)))
            for c in investees:
                used.add(c.uid)
                if r.random() < 0.4:
                    lo = r.choice([0.05, 0.1, 0.25])
                    unit.rel("Company", "SUBSIDIARY_OF", "Company", c.uid, investor.uid, share_min=lo,
                             share_max={0.05: 0.1, 0.1: 0.25, 0.25: 0.5}[lo], kind="subsidiary")
                else:
                    unit.rel("Company", "SUBSIDIARY_OF", "Company", c.uid, investor.uid,
                             share=round(r.uniform(0.05, 0.35), 2), kind="subsidiary")
            self.answers["implicit_groups"].append({"kind": "common_minority_owner", "via": investor.uid,
                                                    "companies": sorted(c.uid for c in investees)})

        # Shared directors: a senior person of one company sits on the boards of others.
        directors_used: set[str] = set()
        for _ in range(self.spec.shared_directors):
            home = r.choice(self.companies)
            if not home.seniors:
                continue
            director = r.choice(home.seniors)
            if director in directors_used:
                continue
            directors_used.add(director)
            boards = [home] + r.sample([c for c in self.companies if c.family != home.family], r.randint(1, 3))
            for c in boards:
                unit.rel("Person", "BOARD_MEMBER_OF", "Company", director, c.uid, role="director",
                         since=(self.start - timedelta(days=r.randrange(1500))).date())
                if c is not home and c.seniors:
                    self._knows(unit, "Person", director, c.seniors[0], "board",
                                (self.start - timedelta(days=r.randrange(800))).date())
            if r.random() < 0.5:
                unit.rel("Person", "OWNS_SHARE", "Company", director, boards[1].uid,
                         share=round(r.uniform(0.01, 0.12), 3))
            self.answers["implicit_groups"].append({"kind": "shared_board_member", "via": director,
                                                    "companies": sorted(c.uid for c in boards)})

        # Founders and executives holding personal stakes in their own group.
        for root in r.sample(roots, max(1, len(roots) // 5)):
            if root.seniors:
                unit.rel("Person", "OWNS_SHARE", "Company", root.seniors[0], root.uid,
                         share=round(r.uniform(0.02, 0.3), 3))

        # Joint ventures: owned 50/50 by members of two different families.
        for _ in range(self.spec.joint_ventures):
            a, b = r.sample(roots if len(roots) >= 2 else self.companies, 2)
            jv = self._company(unit, a.country, r.choice(INDUSTRIES), parent=None, depth=1, family=None,
                               size_class=1, jv_owners=[a, b])
            self.answers["joint_ventures"].append({"uid": jv.uid, "owners": [a.uid, b.uid]})

        # Acquaintances across companies (events, alumni), and commercial ties.
        ties: set[tuple[str, str, str]] = set()
        for _ in range(max(5, len(self.companies) // 2)):
            a, b = r.sample(self.companies, 2)
            if a.staff_sample and b.staff_sample:
                self._knows(unit, "Person", r.choice(a.staff_sample), r.choice(b.staff_sample),
                            r.choice(["event", "alumni", "referral"]),
                            (self.start - timedelta(days=r.randrange(1500))).date())
            rtype = r.choice(["PARTNER_OF", "SUPPLIES", "COMPETES_WITH"])
            if a.family != b.family and (a.uid, rtype, b.uid) not in ties:
                ties.add((a.uid, rtype, b.uid))
                unit.rel("Company", rtype, "Company", a.uid, b.uid,
                         since=(self.start - timedelta(days=r.randrange(2000))).date())
        return unit


def generate(size: str = "small", seed: int = 7, as_of: date | None = None,
             batch_size: int = 10_000) -> tuple[DemoGenerator, Iterator[Batch]]:
    """A generator for ``size``/``seed`` and its batch iterator (answers are complete once it is exhausted)."""
    generator = DemoGenerator(size, seed, as_of)
    return generator, generator.batches(batch_size)
