"""crn.crm.access: each widening path grants exactly what it should and nothing more; changes propagate to the
records that follow; the rebuild is idempotent; the viewer's keys (crn.auth.access.for_user)."""

from __future__ import annotations

import pytest

from crn import auth
from crn.auth import access as viewer_access
from crn.crm import access, events, links, records
from crn.graph import db
from crn.graph.access import SYSTEM, bound


# enforce: these tests are about access, so they keep a fresh install's private defaults (tests/access.py)
pytestmark = pytest.mark.usefixtures("private_defaults")


@pytest.fixture(autouse=True)
def _fresh_cache():
    viewer_access.forget()
    yield
    viewer_access.forget()


def user(name: str, role: str = "viewer") -> auth.AuthUser:
    return auth.create_user(f"{name.lower()}@acl.test", name, "longenough", role)


def make(label: str, actor: str | None, **values) -> str:
    result = records.create_record(label, values, actor)
    assert result.ok, result.errors
    return result.record["uid"]


def acl(label: str, uid: str) -> tuple[set[str], set[str]]:
    row = db.read_one(f"MATCH (n:{label} {{uid: $uid}}) RETURN n.acl_r AS r, n.acl_w AS w", uid=uid)
    return set(row["r"] or []), set(row["w"] or [])


def can(who: auth.AuthUser, label: str, uid: str) -> tuple[bool, bool]:
    """(read, write) for ``who`` by the same test crn.graph.queries.access makes."""
    mine = viewer_access.for_user(who)
    r, w = acl(label, uid)
    return (mine.all or label in mine.read_types or bool(r & set(mine.keys)),
            mine.all or label in mine.write_types or bool(w & set(mine.keys)))


def ok(result):
    assert result.ok, result.errors
    return result.record


def test_the_creator_owns_a_new_record_and_only_they_hold_its_keys(clean_db):
    ann, bob = user("Ann"), user("Bob")
    acme = make("Company", ann.uid, name="Acme")
    assert access.owner_of("Company", acme) == {"uid": ann.uid, "name": "Ann"}
    assert acl("Company", acme) == ({f"u:{ann.uid}"}, {f"u:{ann.uid}"})
    assert can(ann, "Company", acme) == (True, True)
    assert can(bob, "Company", acme) == (False, False)
    # a fresh install is private for every type; admins see everything
    assert set(access.defaults().values()) == {"private"}
    assert viewer_access.for_user(bob).read_types == ()
    assert can(user("Root", "admin"), "Company", acme) == (True, True)


def test_a_record_created_by_no_user_has_no_owner_and_no_keys(clean_db):
    acme = make("Company", None, name="Acme")
    assert access.owner_of("Company", acme) is None
    assert acl("Company", acme) == (set(), set())


def test_managers_act_as_owners_of_their_reports_records(clean_db):
    boss, rep, peer = user("Boss", "manager"), user("Rep"), user("Peer")
    intern = user("Intern")
    ok(links.link("user_reporting", rep.uid, boss.uid, {}, boss.uid))
    ok(links.link("user_reporting", intern.uid, rep.uid, {}, boss.uid))
    deal = make("Deal", intern.uid, name="Big deal")
    assert can(boss, "Deal", deal) == (True, True)     # two levels up
    assert can(rep, "Deal", deal) == (True, True)
    assert can(peer, "Deal", deal) == (False, False)
    assert can(intern, "Company", make("Company", boss.uid, name="Boss Co")) == (False, False)  # not downwards


def test_the_owners_team_and_the_teams_above_read_but_do_not_write(clean_db):
    east, west, apac = user("East"), user("West"), user("Apac")
    region = ok(access.create_team("APAC"))["uid"]
    sales = ok(access.create_team("APAC Sales", parent=region))["uid"]
    other = ok(access.create_team("EMEA Sales"))["uid"]
    mate = user("Mate")
    for team, member in ((sales, east), (sales, mate), (other, west), (region, apac)):
        ok(access.add_member(team, member.uid))
    acme = make("Company", east.uid, name="Acme")
    assert acl("Company", acme) == ({f"u:{east.uid}", f"g:{sales}"}, {f"u:{east.uid}"})
    assert can(mate, "Company", acme) == (True, False)   # same team
    assert can(apac, "Company", acme) == (True, False)   # the region above
    assert can(west, "Company", acme) == (False, False)  # another team


def test_joining_a_team_later_shares_the_records_already_owned(clean_db):
    east, mate = user("East"), user("Mate")
    team = ok(access.create_team("Sales"))["uid"]
    ok(access.add_member(team, mate.uid))
    acme = make("Company", east.uid, name="Acme")
    assert can(mate, "Company", acme) == (False, False)
    ok(access.add_member(team, east.uid))
    assert can(mate, "Company", acme) == (True, False)
    ok(access.remove_member(team, east.uid))
    assert can(mate, "Company", acme) == (False, False)


def test_account_team_members_get_the_access_their_membership_says(clean_db):
    owner, reader, writer, outsider = user("Owner"), user("Reader"), user("Writer"), user("Out")
    acme = make("Company", owner.uid, name="Acme")
    deal = make("Deal", owner.uid, name="Acme deal")
    ok(links.link("deal_company", deal, acme, {}, owner.uid))
    ok(links.link("account_team", reader.uid, acme, {"role": "support", "access": "read"}, owner.uid))
    ok(links.link("account_team", writer.uid, acme, {"role": "account_manager"}, owner.uid))  # default read_write
    assert can(reader, "Company", acme) == (True, False)
    assert can(writer, "Company", acme) == (True, True)
    assert can(reader, "Deal", deal) == (True, False)    # the deal follows its company
    assert can(writer, "Deal", deal) == (True, True)
    assert can(outsider, "Deal", deal) == (False, False)
    assert links.link("account_team", reader.uid, acme, {"access": "everything"}, owner.uid).errors[0].code \
        == "invalid_choice"
    ok(links.unlink("account_team", writer.uid, acme, owner.uid))
    assert can(writer, "Deal", deal) == (False, False)   # the cascade took the key back


def test_territories_assign_the_companies_matching_every_criterion(clean_db):
    owner, rep = user("Owner"), user("Rep")
    cn_tech = make("Company", owner.uid, name="A", country="CN", industry="Technology", tier="key")
    cn_bank = make("Company", owner.uid, name="B", country="cn", industry="Banking", tier="key")
    de_tech = make("Company", owner.uid, name="C", country="DE", industry="Technology", tier="key")
    t = ok(access.create_territory("China tech", countries=["cn"], industries=["technology"]))
    assert t["countries"] == ["CN"]
    ok(access.add_member(t["uid"], rep.uid))
    assert [can(rep, "Company", c) for c in (cn_tech, cn_bank, de_tech)] == [(True, True), (False, False),
                                                                           (False, False)]
    ok(records.update_record("Company", de_tech, {"country": "CN"}, owner.uid))  # moves into the territory
    assert can(rep, "Company", de_tech) == (True, True)
    ok(access.update_territory(t["uid"], "China", countries=["CN"]))              # widened: every CN company
    assert can(rep, "Company", cn_bank) == (True, True)
    ok(access.delete_territory(t["uid"]))
    assert not any(k.startswith("t:") for c in (cn_tech, cn_bank, de_tech) for k in acl("Company", c)[0])
    assert access.create_territory("Nothing").errors[0].code == "required"
    assert access.create_territory("Bad", tiers=["gold"]).errors[0].code == "invalid_choice"


def test_criteria_sharing_rules_share_with_the_team_and_the_teams_below(clean_db):
    owner, lead, member, outsider = user("Owner"), user("Lead"), user("Member"), user("Out")
    support = ok(access.create_team("Support"))["uid"]
    tier2 = ok(access.create_team("Tier 2", parent=support))["uid"]
    ok(access.add_member(support, lead.uid))
    ok(access.add_member(tier2, member.uid))
    key = make("Company", owner.uid, name="Key", tier="key")
    tail = make("Company", owner.uid, name="Tail", tier="long_tail")
    rule = ok(access.create_sharing_rule("Company", "Key accounts to support", support, "read", field="tier",
                                         values=["key", "strategic"]))
    assert can(lead, "Company", key) == (True, False) and can(member, "Company", key) == (True, False)
    assert can(lead, "Company", tail) == (False, False)
    assert can(outsider, "Company", key) == (False, False)
    ok(records.update_record("Company", tail, {"tier": "strategic"}, owner.uid))
    assert can(member, "Company", tail) == (True, False)
    ok(access.delete_sharing_rule(rule["uid"]))
    assert can(lead, "Company", key) == (False, False)
    bad = access.create_sharing_rule("Company", "x", support, "read", field="password_hash", values=["a"])
    assert bad.errors[0].code == "unknown_field"
    assert access.create_sharing_rule("Company", "x", support, "all", field="tier",
                                      values=["key"]).errors[0].code == "invalid_level"
    assert access.create_sharing_rule("Product", "x", support, "read", field="name",
                                      values=["a"]).errors[0].code == "invalid_label"


def test_owner_sharing_rules_share_what_a_teams_members_own(clean_db):
    seller, helper, outsider = user("Seller"), user("Helper"), user("Out")
    sales = ok(access.create_team("Sales"))["uid"]
    ops = ok(access.create_team("Sales Ops"))["uid"]
    ok(access.add_member(sales, seller.uid))
    ok(access.add_member(ops, helper.uid))
    deal = make("Deal", seller.uid, name="D")
    other = make("Deal", outsider.uid, name="E")
    ok(access.create_sharing_rule("Deal", "Sales deals to ops", ops, "read_write", owner_team=sales))
    assert can(helper, "Deal", deal) == (True, True)
    assert can(helper, "Deal", other) == (False, False)
    late = user("Late")
    late_deal = make("Deal", late.uid, name="L")
    assert can(helper, "Deal", late_deal) == (False, False)
    ok(access.add_member(sales, late.uid))                 # joining the team brings their deals under the rule
    assert can(helper, "Deal", late_deal) == (True, True)
    assert access.delete_team(sales).errors[0].code == "in_use"


def test_dependents_follow_their_company_person_deal_and_buyer(clean_db):
    owner, agent, guest, outsider = user("Owner"), user("Agent"), user("Guest"), user("Out")
    other_owner = user("Other")
    acme = make("Company", owner.uid, name="Acme")
    ann = make("Person", other_owner.uid, name="Ann")
    ok(links.link("employment", ann, acme, {"title": "CTO"}, owner.uid))
    solo = make("Person", other_owner.uid, name="Solo")
    ticket = make("Ticket", other_owner.uid, subject="Broken")
    ok(links.link("ticket_company", ticket, acme, {}, owner.uid))
    ok(links.link("ticket_assignee", agent.uid, ticket, {}, owner.uid))
    call = make("Interaction", other_owner.uid, kind="call", at="2026-01-01T10:00:00Z")
    ok(links.link("participant", call, ann, {}, owner.uid))
    ok(links.link("participant", call, guest.uid, {}, owner.uid))
    order = make("Order", other_owner.uid, placed_at="2026-01-02T10:00:00Z")
    ok(links.link("order_buyer", order, ann, {}, owner.uid))
    solo_order = make("Order", other_owner.uid, placed_at="2026-01-02T10:00:00Z")
    ok(links.link("order_buyer", solo_order, solo, {}, owner.uid))
    for label, uid in (("Person", ann), ("Ticket", ticket), ("Interaction", call), ("Order", order)):
        assert can(owner, label, uid) == (True, True), label           # the company's owner
        assert can(other_owner, label, uid) == (True, True), label     # their own owner
        assert can(outsider, label, uid) == (False, False), label
    assert can(owner, "Person", solo) == (False, False)                # an individual: only their owner
    assert can(owner, "Order", solo_order) == (False, False)
    assert can(agent, "Ticket", ticket) == (True, True) and can(agent, "Company", acme) == (False, False)
    assert can(guest, "Interaction", call) == (True, False)
    # leaving the company takes the company's keys away from the person and what follows them
    ok(links.link("employment", ann, acme, {"until": "2026-02-01"}, owner.uid))
    assert can(owner, "Person", ann) == (False, False)
    assert can(owner, "Order", order) == (False, False)


def test_changing_the_owner_moves_the_company_and_its_followers(clean_db):
    ann, bob = user("Ann", "manager"), user("Bob", "manager")
    acme = make("Company", ann.uid, name="Acme")
    deal = make("Deal", ann.uid, name="D")
    ok(links.link("deal_company", deal, acme, {}, ann.uid))
    with bound(viewer_access.for_user(bob)):
        assert access.set_owner("Company", acme, bob.uid, bob.uid).errors[0].code == "not_found"
    with bound(viewer_access.for_user(ann)):
        ok(access.set_owner("Company", acme, bob.uid, ann.uid))
    assert access.owner_of("Company", acme)["uid"] == bob.uid
    assert can(bob, "Deal", deal) == (True, True)          # the deal follows its company
    assert can(ann, "Company", acme) == (False, False)
    assert can(ann, "Deal", deal) == (True, True)          # ann still owns the deal itself
    reader = user("Reader")
    ok(links.link("account_team", reader.uid, acme, {"access": "read"}, bob.uid))
    with bound(viewer_access.for_user(reader)):
        assert access.set_owner("Company", acme, reader.uid, reader.uid).errors[0].code == "forbidden"
    with bound(SYSTEM):
        assert access.set_owner("Company", acme, "nobody", None).errors[0].code == "not_found"


def test_org_defaults_and_the_personal_data_permission(clean_db):
    viewer, manager, admin = user("View"), user("Man", "manager"), user("Adm", "admin")
    assert [viewer_access.for_user(u).personal_data for u in (viewer, manager, admin)] == [False, True, True]
    ok(access.set_personal_data(viewer.uid, True, admin.uid))
    ok(access.set_personal_data(manager.uid, False, admin.uid))
    assert [viewer_access.for_user(u).personal_data for u in (viewer, manager)] == [True, False]
    ok(access.set_default("Deal", "read", admin.uid))
    ok(access.set_default("Ticket", "read_write", admin.uid))
    mine = viewer_access.for_user(viewer)
    assert (set(mine.read_types), mine.write_types) == ({"Deal", "Ticket"}, ("Ticket",))
    assert access.defaults()["Company"] == "private"
    assert access.set_default("Product", "read").errors[0].code == "invalid_label"
    assert access.set_default("Deal", "public").errors[0].code == "invalid_level"


def test_every_permission_change_publishes_an_access_changed_event(clean_db):
    seen = []
    events.subscribe("test-access", lambda tx, evs: seen.extend(e for e in evs if e.kind == "access_changed"))
    try:
        admin, rep = user("Adm", "admin"), user("Rep")
        team = ok(access.create_team("T", actor=admin.uid))["uid"]
        ok(access.update_team(team, name="T2", actor=admin.uid))
        ok(access.add_member(team, rep.uid, admin.uid))
        terr = ok(access.create_territory("CN", countries=["CN"], actor=admin.uid))["uid"]
        rule = ok(access.create_sharing_rule("Deal", "r", team, "read", owner_team=team, actor=admin.uid))["uid"]
        ok(access.delete_sharing_rule(rule, admin.uid))
        ok(access.set_default("Deal", "read", admin.uid))
        ok(access.set_personal_data(rep.uid, True, admin.uid))
        acme = make("Company", rep.uid, name="Acme")
        with bound(SYSTEM):
            ok(access.set_owner("Company", acme, admin.uid, admin.uid))
        ok(access.remove_member(team, rep.uid, admin.uid))
        ok(access.delete_territory(terr, admin.uid))
        ok(access.delete_team(team, admin.uid))
    finally:
        events.unsubscribe("test-access")
    assert [(e.label, e.changed[0]) for e in seen] == [
        ("Team", "created"), ("Team", "name"), ("Team", "members"), ("Territory", "created"),
        ("SharingRule", "created"), ("SharingRule", "deleted"), ("OrgDefault", "level"), ("User", "personal_data"),
        ("Company", "owner"), ("Team", "members"), ("Territory", "deleted"), ("Team", "deleted")]
    assert all(e.actor == admin.uid for e in seen)


def test_teams_refuse_loops_duplicates_and_unknown_parents(clean_db):
    top = ok(access.create_team("Top"))["uid"]
    mid = ok(access.create_team("Mid", parent=top))["uid"]
    low = ok(access.create_team("Low", parent=mid))["uid"]
    assert access.update_team(top, parent=low).errors[0].code == "cycle"
    assert access.update_team(top, parent=top).errors[0].code == "cycle"
    assert access.create_team("top").errors[0].code == "duplicate_name"
    assert access.create_team("X", parent="nope").errors[0].code == "not_found"
    assert access.create_team("  ").errors[0].code == "required"
    assert access.delete_team(mid).errors[0].code == "in_use"
    ok(access.update_team(low, parent=None))
    ok(access.delete_team(mid))
    assert {t.name: t.parent for t in access.list_teams()} == {"Top": None, "Low": None}


def test_rebuild_is_idempotent_and_restores_lost_keys(clean_db):
    ann, bob = user("Ann"), user("Bob")
    team = ok(access.create_team("Sales"))["uid"]
    ok(access.add_member(team, ann.uid))
    acme = make("Company", ann.uid, name="Acme", country="CN")
    deal = make("Deal", bob.uid, name="D")
    ok(links.link("deal_company", deal, acme, {}, ann.uid))
    ok(access.create_territory("CN", countries=["CN"]))
    before = {label: acl(label, uid) for label, uid in (("Company", acme), ("Deal", deal))}
    assert set(access.rebuild().values()) == {0}
    db.write("MATCH (n) WHERE n.acl_r IS NOT NULL REMOVE n.acl_r, n.acl_w")
    assert access.needs_rebuild()
    seen = []
    changed = access.rebuild(progress=lambda label, done, total: seen.append((label, done, total)))
    assert changed["Company"] == 1 and changed["Deal"] == 1
    assert ("Company", 1, 1) in seen and ("Deal", 1, 1) in seen
    assert {label: acl(label, uid) for label, uid in (("Company", acme), ("Deal", deal))} == before
    assert not access.needs_rebuild()


def test_explain_names_each_path(clean_db):
    boss, rep, outsider = user("Boss", "manager"), user("Rep"), user("Out")
    admin = user("Adm", "admin")
    ok(links.link("user_reporting", rep.uid, boss.uid, {}, boss.uid))
    acme = make("Company", rep.uid, name="Acme")
    deal = make("Deal", None, name="D")
    ok(links.link("deal_company", deal, acme, {}, rep.uid))
    mine = access.explain(rep.uid, "Company", acme)
    assert (mine.can_read, mine.can_write) == (True, True) and mine.reasons[0].kind == "owner"
    theirs = access.explain(boss.uid, "Deal", deal)
    assert theirs.can_read and "reports to them" in theirs.reasons[0].text and theirs.reasons[0].kind == "inherited"
    assert access.explain(boss.uid, "Company", acme).reasons[0].kind == "manager_chain"
    nobody = access.explain(outsider.uid, "Company", acme)
    assert (nobody.can_read, nobody.reasons) == (False, ()) and "private" in nobody.notes[0]
    assert access.explain(admin.uid, "Company", acme).reasons[0].kind == "admin"
    assert access.explain("ghost", "Company", acme) is None
    assert not access.explain(rep.uid, "Company", "nope").found


def test_deleting_a_company_takes_its_keys_from_the_history_it_leaves(clean_db):
    owner, other = user("Owner"), user("Other")
    acme = make("Company", owner.uid, name="Acme")
    deal = make("Deal", other.uid, name="D")
    ok(links.link("deal_company", deal, acme, {}, owner.uid))
    assert can(owner, "Deal", deal) == (True, True)
    ok(records.delete_record("Company", acme, owner.uid, force=True))
    assert can(owner, "Deal", deal) == (False, False) and can(other, "Deal", deal) == (True, True)


def test_teams_from_the_users_team_property(clean_db):
    ann, bob, cy = user("Ann"), user("Bob"), user("Cy")
    for who, team in ((ann, "sales"), (bob, "sales"), (cy, "support")):
        ok(records.update_record("User", who.uid, {"team": team}, None))
    ok(access.create_team("Support"))
    assert access.teams_from_users() == {"teams": 1, "members": 3}
    assert {t.name: sorted(m.name for m in t.members) for t in access.list_teams()} == {
        "sales": ["Ann", "Bob"], "Support": ["Cy"]}
    assert access.teams_from_users() == {"teams": 0, "members": 0}
    acme = make("Company", ann.uid, name="Acme")
    assert can(bob, "Company", acme) == (True, False)
