"""`crn access`: teams, territories, sharing rules, organisation-wide defaults, owners; rebuild and explain the
record-level access keys (crn.crm.access)."""

from __future__ import annotations

import typer

from crn.cli.base import console, database, fail

app = typer.Typer(help="Record-level access: teams, territories, sharing rules, defaults, owners.",
                  no_args_is_help=True)


def _record(ref: str) -> tuple[str, str]:
    """(label, uid) of ``Label:uid`` or a GraphQL global id."""
    from crn.graph.access import PROTECTED

    import base64
    import binascii

    from crn.graph.models.catalog import RECORDS

    label, _, uid = ref.partition(":")
    if label in RECORDS and label not in PROTECTED:
        fail(f"{label} records are not access-protected; protected types: {', '.join(PROTECTED)}")
    if label not in PROTECTED or not uid:
        try:  # a GraphQL global id is base64("<Type>:<uid>")
            label, _, uid = base64.b64decode(ref.encode(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            label = uid = ""
        if not label or not uid:
            fail(f"{ref!r} names no record: write <Type>:<uid> (e.g. Company:3f2a...) or a GraphQL id")
    if label not in PROTECTED:
        fail(f"{label} records are not access-protected; protected types: {', '.join(PROTECTED)}")
    return label, uid


def _user(ref: str) -> dict:
    from crn.crm import access

    user = access.find_user(ref)
    if user is None:
        fail(f"no user with e-mail or uid {ref!r} (see `crn users list`)")
    return user


def _group(ref: str) -> dict:
    from crn.crm import access

    group = access.find_group(ref)
    if group is None:
        fail(f"no team or territory named {ref!r} (see `crn access teams` / `crn access territories`)")
    return group


def _done(result, what: str) -> None:
    if not result.ok:
        fail("; ".join(f"{e.message}" + (f" ({e.field})" if e.field else "") for e in result.errors))
    console.print(what)


def rebuild_if_needed() -> None:
    """Recompute every record's keys when some record has none (an upgrade); for `crn db migrate`."""
    from crn.crm import access

    if access.needs_rebuild():
        console.print("Some records have no access keys yet (an install from before record-level access):")
        _rebuild(None)


def _rebuild(labels: list[str] | None) -> None:
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from crn.crm import access

    started = time.perf_counter()
    with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        tasks: dict[str, int] = {}

        def report(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done)

        changed = access.rebuild(labels, progress=report)
    console.print(f"Access keys recomputed in {time.perf_counter() - started:.1f} s; changed: "
                  + ", ".join(f"{label} {n}" for label, n in changed.items()))


@app.command("rebuild")
def access_rebuild(
    label: list[str] = typer.Option(None, "--type", help="Only these record types (and what follows them)."),
) -> None:
    """Recompute every record's access keys (acl_r/acl_w), in batches, with progress. Idempotent."""
    from crn.crm import access
    from crn.graph.access import PROTECTED

    bad = [x for x in label or [] if x not in PROTECTED]
    if bad:
        fail(f"{', '.join(bad)}: record types are {', '.join(PROTECTED)}")
    with database():
        _rebuild(access._with_dependents(label) if label else None)


@app.command("explain")
def access_explain(user: str = typer.Argument(..., help="The user's e-mail or uid."),
                   record: str = typer.Argument(..., help="<Type>:<uid>, e.g. Company:3f2a..., or a GraphQL id.")
                   ) -> None:
    """Why a user can or cannot see a record (owner, manager chain, team, account team, territory, rule, default)."""
    from crn.crm import access

    label, uid = _record(record)
    with database():
        who = _user(user)
        outcome = access.explain(who["uid"], label, uid)
    if not outcome.found:
        fail(outcome.notes[0])
    verdict = "can read and change" if outcome.can_write else "can read" if outcome.can_read else "cannot see"
    console.print(f"{who['name']} ({who['role']}) {verdict} {label} {outcome.record_name!r}.")
    from rich.markup import escape

    for reason in outcome.reasons:
        console.print(escape(f"  - [{reason.kind}] {reason.text}"), highlight=False, soft_wrap=True)
    for note in outcome.notes:
        console.print(escape(f"  {note}"), highlight=False, soft_wrap=True)


@app.command("teams")
def access_teams() -> None:
    """List the teams as a tree, with their members."""
    from crn.crm import access

    with database():
        teams = access.list_teams()
    children: dict[str | None, list] = {}
    for team in teams:
        children.setdefault(team.parent, []).append(team)

    def show(parent: str | None, depth: int) -> None:
        for team in children.get(parent, []):
            members = ", ".join(m.name for m in team.members) or "no members"
            console.print(f"{'  ' * depth}{team.name} [dim]({team.uid})[/]: {members}", highlight=False)
            show(team.uid, depth + 1)

    show(None, 0)
    if not teams:
        console.print("No teams yet: `crn access team-create NAME [--parent TEAM]`.")


@app.command("team-create")
def access_team_create(name: str, parent: str = typer.Option(None, help="The team above it (name or uid).")) -> None:
    """Create a team."""
    from crn.crm import access

    with database():
        parent_uid = _group(parent)["uid"] if parent else None
        result = access.create_team(name, parent_uid)
    _done(result, f"Created team {name} ({result.record['uid'] if result.ok else ''}).")


@app.command("teams-from-users")
def access_teams_from_users() -> None:
    """Turn the users' `team` text property (from before Team nodes) into teams with those users as members."""
    from crn.crm import access

    with database():
        counts = access.teams_from_users()
    console.print(f"Created {counts['teams']} teams and added {counts['members']} members.")


@app.command("member-add")
def access_member_add(group: str = typer.Argument(..., help="Team or territory (name or uid)."),
                      user: str = typer.Argument(..., help="The user's e-mail or uid.")) -> None:
    """Put a user in a team or territory."""
    from crn.crm import access

    with database():
        g, u = _group(group), _user(user)
        result = access.add_member(g["uid"], u["uid"])
    _done(result, f"{u['name']} is now in {g['name']}.")


@app.command("member-remove")
def access_member_remove(group: str, user: str) -> None:
    """Take a user out of a team or territory."""
    from crn.crm import access

    with database():
        g, u = _group(group), _user(user)
        result = access.remove_member(g["uid"], u["uid"])
    _done(result, f"{u['name']} is no longer in {g['name']}.")


@app.command("territories")
def access_territories() -> None:
    """List the territories with their criteria and members."""
    from crn.crm import access

    with database():
        territories = access.list_territories()
    for t in territories:
        criteria = "; ".join(f"{k}: {', '.join(v)}" for k, v in (("countries", t.countries),
                                                                  ("industries", t.industries), ("tiers", t.tiers)) if v)
        console.print(f"{t.name} [dim]({t.uid})[/]: {criteria} — {', '.join(m.name for m in t.members) or 'no members'}",
                      highlight=False)
    if not territories:
        console.print("No territories yet: `crn access territory-create NAME --country CN`.")


@app.command("territory-create")
def access_territory_create(name: str,
                            country: list[str] = typer.Option(None, help="ISO country code (repeatable)."),
                            industry: list[str] = typer.Option(None, help="Industry (repeatable)."),
                            tier: list[str] = typer.Option(None, help="strategic, key, standard, long_tail.")) -> None:
    """Create a territory: the companies matching every criterion given are assigned to it."""
    from crn.crm import access

    with database():
        result = access.create_territory(name, country or (), industry or (), tier or ())
    _done(result, f"Created territory {name}.")


@app.command("defaults")
def access_defaults() -> None:
    """Show the organisation-wide default of every protected record type."""
    from crn.crm import access

    with database():
        levels = access.defaults()
    for label, level in levels.items():
        console.print(f"{label:<12} {level}")


@app.command("default-set")
def access_default_set(label: str = typer.Argument(..., help="Company, Person, Deal, Ticket, Interaction, Order."),
                       level: str = typer.Argument(..., help="private, read or read_write.")) -> None:
    """Set a record type's organisation-wide default."""
    from crn.crm import access

    with database():
        result = access.set_default(label, level)
    _done(result, f"{label}: {level}.")


@app.command("rules")
def access_rules() -> None:
    """List the sharing rules."""
    from crn.crm import access

    with database():
        rules = access.list_sharing_rules()
    for r in rules:
        what = (f"owned by members of {r.source_team_name}" if r.kind == "owner"
                else f"where {r.field} in {', '.join(r.values)}")
        console.print(f"{r.name} [dim]({r.uid})[/]: {r.label} records {what} -> {r.team_name} ({r.level})",
                      highlight=False)
    if not rules:
        console.print("No sharing rules.")


@app.command("rule-create")
def access_rule_create(
    label: str = typer.Argument(..., help="The record type."),
    name: str = typer.Argument(..., help="The rule's name."),
    team: str = typer.Option(..., help="The team shared with (name or uid); the teams below it too."),
    level: str = typer.Option("read", help="read or read_write."),
    owner_team: str = typer.Option(None, help="Share the records owned by this team's members."),
    field: str = typer.Option(None, help="Share the records whose field holds one of --value."),
    value: list[str] = typer.Option(None, help="A value of --field (repeatable)."),
) -> None:
    """Create a sharing rule (owner-based with --owner-team, or criteria-based with --field and --value)."""
    from crn.crm import access

    with database():
        target = _group(team)["uid"]
        source = _group(owner_team)["uid"] if owner_team else None
        result = access.create_sharing_rule(label, name, target, level, owner_team=source, field=field,
                                            values=value)
    _done(result, f"Created sharing rule {name}; the {label} records it covers were recomputed.")


@app.command("owner-set")
def access_owner_set(record: str = typer.Argument(..., help="<Type>:<uid> or a GraphQL id."),
                     user: str = typer.Argument(..., help="The new owner's e-mail or uid.")) -> None:
    """Make a user the owner of a record."""
    from crn.crm import access
    from crn.graph.access import SYSTEM, bound

    label, uid = _record(record)
    with database(), bound(SYSTEM):
        u = _user(user)
        result = access.set_owner(label, uid, u["uid"])
    _done(result, f"{u['name']} now owns {label} {uid}.")


@app.command("personal-data")
def access_personal_data(user: str = typer.Argument(..., help="The user's e-mail or uid."),
                         allowed: str = typer.Argument(..., help="yes, no or default (the role's).")) -> None:
    """Grant or withhold a user the personal-data permission (admins always have it)."""
    from crn.crm import access

    choice = {"yes": True, "no": False, "default": None}.get(allowed.lower(), "bad")
    if choice == "bad":
        fail("say yes, no or default")
    with database():
        u = _user(user)
        result = access.set_personal_data(u["uid"], choice)
    _done(result, f"{u['name']}: personal data {'allowed' if result.ok and result.record['effective'] else 'hidden'}.")
