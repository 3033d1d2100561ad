"""The `crn` command: each sub-command is a few lines calling into the packages below it."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from crn.config import get_settings

app = typer.Typer(help="crn, the Customer Relationship Network.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Manage the Neo4j database crn uses.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo network.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
rules_app = typer.Typer(help="Automation rules: list, add, test (dry run), run.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
report_app = typer.Typer(help="Reports for strategists.", no_args_is_help=True)
analytics_app = typer.Typer(help="Relationship intelligence: strength, families, paths, committees.", no_args_is_help=True)
app.add_typer(report_app, name="report")
app.add_typer(analytics_app, name="analytics")
users_app = typer.Typer(help="Users of crn (our staff) and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for the GraphQL API (shown once, stored hashed).", no_args_is_help=True)
schema_app = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(schema_app, name="schema")

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print a clear error (no traceback) and exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _local_server():
    from crn.graph.server import LocalNeo4j

    settings = get_settings()
    if not settings.managed:
        fail(f"NEO4J_URI is set ({settings.neo4j_uri}): crn does not manage that server. "
             "Unset NEO4J_URI to use the local one.")
    return LocalNeo4j(settings)


@db_app.command("start")
def db_start() -> None:
    """Download (once), configure and start the local Neo4j; a no-op if it is running."""
    from crn.graph.server import ServerError

    settings = get_settings()
    if not settings.managed:
        console.print(f"Using the Neo4j at {settings.neo4j_uri} (NEO4J_URI); nothing to start.")
        return
    try:
        _local_server().start(echo=console.print)
    except ServerError as exc:
        fail(str(exc))


@db_app.command("stop")
def db_stop() -> None:
    """Stop the local Neo4j (data is kept)."""
    _local_server().stop(echo=console.print)


@db_app.command("status")
def db_status() -> None:
    """Say whether the local Neo4j runs, where, and on which ports."""
    status = _local_server().status()
    console.print(status.describe())
    if not status.running:
        raise typer.Exit(3)


@db_app.command("logs")
def db_logs(lines: int = typer.Option(50, help="How many lines of each log to show.")) -> None:
    """Show the tail of the local Neo4j's logs."""
    console.print(_local_server().log_tail(lines), highlight=False, markup=False)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create missing constraints and indexes (idempotent; never drops anything)."""
    from crn.graph import migrations

    with _database():
        created = migrations.migrate()
    console.print(f"Created {len(created)}: {', '.join(created)}" if created else "Schema is up to date.")


@demo_app.command("load")
def demo_load(
    size: str = typer.Option("small", help="small (~2k nodes), medium (~100k) or large (~1M)."),
    seed: int = typer.Option(7, help="Same seed, same network."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Only load when the database holds no crn data."),
    answers: str = typer.Option(None, help="Where to write the answer file (planted roles and groups)."),
) -> None:
    """Load a realistic, deterministic demo network."""
    from crn.demo import loader

    if size not in loader.SIZES:
        fail(f"unknown size {size!r}; choose one of {', '.join(loader.SIZES)}")
    with _database():
        if if_empty and not loader.database_is_empty():
            console.print("The database already holds data; demo not loaded (drop --if-empty to add it anyway).")
            return
        summary = loader.load(size=size, seed=seed, answers_path=answers, console=console,
                              settings=get_settings())
    console.print(summary.table())


@app.command("serve")
def serve(
    host: str = typer.Option(None, help="Interface to listen on (default CRN_HOST=127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default CRN_PORT=8000)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Serve the GraphQL API, the network UI and /healthz with uvicorn (HTTPS when CRN_TLS_CERT/KEY are set)."""
    import uvicorn

    from crn.transport import ServeError, plain_http_warning, uvicorn_options

    try:
        options = uvicorn_options(get_settings(), host=host, port=port, reload=reload)
    except ServeError as exc:
        fail(str(exc))
    if warning := plain_http_warning(options):
        err.print(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    uvicorn.run(**options)


@app.command("import")
def import_file(
    kind: str = typer.Argument(..., help="orgchart, companies, contacts, deals, tickets, interactions, orders, bods or graph."),
    file: str = typer.Argument(..., help="CSV (any delimiter, UTF-8/GB18030), XLSX, JSON or JSON Lines file."),
    map_file: str = typer.Option(None, "--map", help="YAML mapping of field: column for headers not recognised."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the mapping and the first problems; write nothing."),
    strict: bool = typer.Option(False, "--strict", help="Any error fails the import and nothing is written."),
    errors: str = typer.Option(None, "--errors", help="Where to write the error CSV (default FILE.errors.csv)."),
    source: str = typer.Option(None, help="Source system of the ids (default: detected, e.g. hubspot, or 'import')."),
) -> None:
    """Import a file idempotently: upserts by external id, e-mail or domain; bad rows go to an error CSV."""
    import logging
    from pathlib import Path

    from crn.ingest import exporter, importer, mapping

    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    with _database():
        if kind == "graph":
            try:
                nodes, rels = exporter.import_graph(file)
            except exporter.ExportError as exc:
                fail(str(exc))
            console.print(f"Imported {nodes} nodes and {rels} relationships from {file}.")
            return
        try:
            summary = importer.run_import(kind, file, map_file=map_file, dry_run=dry_run, strict=strict,
                                          errors_path=errors, source=source, console=console,
                                          settings=get_settings())
        except (ValueError, OSError, mapping.MappingError) as exc:
            fail(str(exc))
    if summary.errors and not errors:  # default: FILE.errors.csv beside the file, only when there are errors
        summary.error_file = str(Path(file).with_name(Path(file).stem + ".errors.csv"))
        importer.write_error_file(summary.error_file, summary.errors)
    if dry_run:
        console.print(summary.mapping_table())
    console.print(summary.table())
    if summary.errors:
        console.print(summary.errors_table(limit=10 if not dry_run else 20))
        console.print(f"All {len(summary.errors)} errors: {summary.error_file}")
    if strict and summary.errors:
        raise typer.Exit(2)


@app.command("export")
def export(
    kind: str = typer.Argument(..., help="companies, people, deals, tickets, interactions, orders, products, users or graph."),
    out: str = typer.Option(None, "--out", "-o", help="Output file (default <kind>.<format>)."),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json (graph: always JSON Lines)."),
    where: list[str] = typer.Option([], "--where", help="Filter field=value (repeatable), e.g. --where country=DE."),
) -> None:
    """Export an entity list (CSV/XLSX/JSON) or the whole graph (JSON Lines) for `crn import graph`."""
    from crn.ingest import exporter

    filters = dict(w.split("=", 1) for w in where if "=" in w)
    with _database():
        try:
            if kind == "graph":
                target = out or "graph.jsonl"
                nodes, rels = exporter.export_graph(target)
                console.print(f"Exported {nodes} nodes and {rels} relationships to {target}.")
                return
            target = out or f"{kind}.{fmt}"
            count = exporter.export_entities(kind, target, fmt, filters)
        except exporter.ExportError as exc:
            fail(str(exc))
    console.print(f"Exported {count} {kind} to {target}.")


@app.command("dedupe")
def dedupe(
    kind: str = typer.Argument(..., help="people or companies."),
    threshold: float = typer.Option(0.55, help="Lowest score (0..1) to list."),
    limit: int = typer.Option(50, help="How many candidate pairs to show."),
) -> None:
    """List likely duplicates with a score and the evidence (names, e-mails, domains, phones)."""
    from crn.ingest import dedupe as dd

    if kind not in ("people", "companies"):
        fail("choose people or companies")
    with _database():
        pairs = dd.find_duplicates_in_graph(kind, threshold=threshold)
    console.print(dd.pairs_table(pairs[:limit], kind))


@app.command("merge")
def merge(
    a: str = typer.Argument(..., help="uid of the record that stays."),
    b: str = typer.Argument(..., help="uid of the duplicate merged into it (then deleted)."),
) -> None:
    """Merge record B into A keeping every relationship and the history; records a MergeRecord."""
    from crn.ingest import dedupe as dd

    with _database():
        try:
            result = dd.merge_records(a, b)
        except dd.MergeError as exc:
            fail(str(exc))
    console.print(f"Merged {b} into {a}: moved {result['moved']} relationships; merge record {result['record']}.")
@rules_app.command("list")
def rules_list(show_vocabulary: bool = typer.Option(False, "--vocabulary", help="List variables, actions, "
                                                    "scans and graph triggers instead."),
               show_templates: bool = typer.Option(False, "--templates", help="List the built-in templates.")) -> None:
    """List rules (id, version, active, trigger, actions), or the vocabulary, or the templates."""
    import json

    from rich.table import Table

    import crn.automation  # noqa: F401 - registers actions
    from crn.automation import store, templates as tpl, vocabulary

    if show_vocabulary:
        console.print_json(json.dumps(vocabulary.describe(), default=str))
        return
    if show_templates:
        for name, rule in tpl.TEMPLATES.items():
            console.print(f"[bold]{name}[/]: {rule['name']}", highlight=False)
        return
    with _database():
        table = Table("id", "v", "active", "trigger", "actions", "name")
        for rule in store.list_rules():
            trig = rule.trigger
            table.add_row(rule.id, str(rule.version), "yes" if rule.active else "no",
                          " ".join(str(x) for x in (trig.kind, trig.label, trig.graph, trig.scan, trig.cron) if x),
                          ", ".join(a.type for a in rule.actions), rule.name)
        console.print(table)


@rules_app.command("add")
def rules_add(
    path: str = typer.Argument(None, help="A JSON or YAML rule file ('-' for stdin)."),
    template: str = typer.Option(None, help="Install a built-in template instead (see `crn rules list --templates`)."),
    inactive: bool = typer.Option(False, help="Store the rule switched off."),
    author: str = typer.Option(None, help="Save as this user (email): the rule runs with their authority. "
                               "Default: the operator, who acts as an admin."),
) -> None:
    """Validate and store a rule (a new version if it exists and changed).

    A rule runs with its author's authority. Without --author the operator (whoever runs the CLI, and so
    holds the database credentials) is the author and acts as an admin.
    """
    from pathlib import Path

    import crn.automation
    from crn.automation import rules, store, templates as tpl

    if template:
        try:
            data = tpl.template_rule(template)
        except KeyError as exc:
            fail(str(exc.args[0]))
    elif path:
        data = rules.load_text(sys.stdin.read() if path == "-" else Path(path).read_text())
    else:
        fail("give a rule file or --template NAME")
    if inactive and isinstance(data, dict):
        data["active"] = False
    with _database():
        crn.automation.install(get_settings())
        actor = "cli"
        if author:
            from crn import auth

            user = auth.get_user(author) or fail(f"no user {author!r}; see `crn users list`")
            actor = user.uid
        rule, errors = store.save_rule(data, actor=actor)
    if errors:
        for e in errors:
            err.print(f"[red]{e.field or 'rule'}[/]: {e.message} ({e.code})", highlight=False)
        raise typer.Exit(1)
    console.print(f"Saved rule {rule.id} version {rule.version}.")


@rules_app.command("test")
def rules_test(
    rule_ref: str = typer.Argument(..., help="A stored rule id, or a JSON/YAML rule file."),
    since_days: float = typer.Option(7, help="Look back this many days for events."),
) -> None:
    """Dry run: show what the rule would have fired, acting on nothing."""
    from pathlib import Path

    import crn.automation  # noqa: F401 - registers actions
    from crn.automation import rules, runs, store

    with _database():
        if Path(rule_ref).is_file():
            try:
                rule = rules.parse_rule(Path(rule_ref).read_text())
            except rules.RuleInvalid as exc:
                fail(str(exc))
        else:
            rule = store.get_rule(rule_ref) or fail(f"no rule {rule_ref!r}")
        result = runs.dry_run(rule, get_settings(), since_days=since_days)
    for item in result["fired"]:
        console.print(f"{item['action']:<14} {item['subject_uid'] or '-':<34} "
                      f"{'(already done) ' if item['already_done'] else ''}{item['key']}", highlight=False)
    console.print(f"{len(result['fired'])} action(s) would fire." + (f" Note: {result['note']}" if result['note'] else ""))


@rules_app.command("run")
def rules_run(
    rule_id: str = typer.Argument(..., help="A stored rule id."),
    uid: list[str] = typer.Option(None, "--uid", help="Record(s) to run an event rule on (manual trigger)."),
) -> None:
    """Fire a rule now (a scheduled rule runs its scan once); the worker delivers the actions."""
    import crn.automation
    from crn.automation import runs, store

    with _database():
        crn.automation.install(get_settings())
        rule = store.get_rule(rule_id) or fail(f"no rule {rule_id!r}")
        try:
            count = runs.run_now(rule, get_settings(), uids=uid or None, actor="cli")
        except ValueError as exc:
            fail(str(exc))
    console.print(f"Enqueued {count} action(s); `crn worker` delivers them.")


@app.command("worker")
def worker(
    once: bool = typer.Option(False, help="Run due schedules and deliver due actions once, then exit."),
    no_schedules: bool = typer.Option(False, "--no-schedules", help="Only deliver; leave schedules to others."),
) -> None:
    """Deliver automation actions from the outbox and run time-based rules (until Ctrl-C)."""
    import logging
    import signal
    import threading

    import crn.automation
    from crn.automation.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with _database():
        from crn.graph import migrations

        crn.automation.install(get_settings())
        migrations.migrate()
        runner = Worker(schedules=not no_schedules, settings=get_settings())
        if once:
            console.print(runner.run_once())
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        console.print(f"crn worker {runner.worker_id} running (Ctrl-C to stop)")
        try:
            runner.run_forever(stop)
        except KeyboardInterrupt:
            stop.set()


@report_app.command("influence")
def report_influence(
    scope: str = typer.Option(..., help="company:<uid>, family:<uid> or all."),
    fmt: str = typer.Option("html", "--format", help="html, md, csv or json."),
    out: str = typer.Option(None, help="Write to this file instead of standard output."),
    limit: int = typer.Option(50, help="People per ranking."),
    decay_days: int = typer.Option(90, help="Period over which strength drops count as decay."),
) -> None:
    """Key influencers, brokers, single-threaded accounts, decaying relationships and coverage."""
    from pathlib import Path

    from crn.intel import IntelError
    from crn.reports.influence import build_and_render

    _quiet_notifications()
    with _database():
        result = build_and_render(scope, fmt, limit=limit, decay_days=decay_days,
                                  half_life_days=get_settings().strength_half_life_days)
    if isinstance(result, IntelError):
        fail(result.message)
    if out:
        Path(out).write_text(result, encoding="utf-8")
        console.print(f"Wrote {out} ({len(result):,} characters).")
    else:
        sys.stdout.write(result)


@analytics_app.command("refresh")
def analytics_refresh() -> None:
    """Recompute relationship strength on every KNOWS edge from the interaction history."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from crn.intel import strength

    _quiet_notifications()
    with _database(), Progress(TextColumn("strength"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                               console=console) as progress:
        task = progress.add_task("pairs", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        pairs = strength.refresh_all(progress=step, half_life_days=get_settings().strength_half_life_days)
    console.print(f"Refreshed the strength of {pairs:,} pairs.")


@analytics_app.command("family")
def analytics_family(
    company: str = typer.Argument(..., help="uid of any company in the family."),
    threshold: float = typer.Option(0.5, help="Control threshold (more than this share)."),
    as_of: str = typer.Option(None, help="Ownership in force on this date (YYYY-MM-DD)."),
    weighted: bool = typer.Option(False, help="Consolidate roll-ups by effective share."),
) -> None:
    """Print a corporate family as JSON: ultimates, members with roll-ups, JVs, cycles, whitespace."""
    import datetime as dt
    import json
    from dataclasses import asdict

    from crn.intel import IntelError, families

    _quiet_notifications()
    with _database():
        result = families.corporate_family(company, threshold=threshold, weighted=weighted,
                                           as_of=dt.date.fromisoformat(as_of) if as_of else None)
    if isinstance(result, IntelError):
        fail(result.message)
    data = asdict(result)
    for node, member in zip(data["nodes"], result.nodes):
        node["rollup"]["coverage"] = member.rollup.coverage
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


@analytics_app.command("paths")
def analytics_paths(
    to: str = typer.Argument(..., help="uid of the person (or company) to reach."),
    from_user: str = typer.Option(None, "--from", help="uid of the user to start from."),
    team: bool = typer.Option(False, help="Start from anyone on the account team."),
    k: int = typer.Option(3, help="How many paths."),
    max_hops: int = typer.Option(4, help="Longest path in hops."),
) -> None:
    """Print the k best introduction paths, each hop explained."""
    from crn.intel import IntelError, paths

    _quiet_notifications()
    with _database():
        result = paths.intro_paths(to, from_user=from_user, team=team, k=k, max_hops=max_hops)
    if isinstance(result, IntelError):
        fail(result.message)
    if not result.paths:
        console.print("No path found.")
    for i, path in enumerate(result.paths, 1):
        console.print(f"[bold]{i}. strength {path.strength:.3f}[/] (cost {path.cost:.3f})")
        for hop in path.hops:
            console.print(f"   {hop.explanation}")


@analytics_app.command("committee")
def analytics_committee(
    deal: str = typer.Option(None, help="uid of the deal."),
    company: str = typer.Option(None, help="uid of the account (when there is no deal)."),
) -> None:
    """Print the buying committee: members with evidence, coverage, gaps and single-thread risks."""
    from crn.intel import IntelError, committees

    _quiet_notifications()
    with _database():
        result = committees.buying_committee(deal=deal, company=company)
    if isinstance(result, IntelError):
        fail(result.message)
    name = lambda uid: (result.people.get(uid) or {}).get("name") or uid  # noqa: E731
    for m in result.members:
        console.print(f"[bold]{m.role}[/]: {name(m.person)} ({'declared' if m.declared else f'{m.confidence:.2f}'})"
                      f" - {'; '.join(m.evidence)}", highlight=False)
    for gap, candidates in result.gaps:
        who = ", ".join(f"{name(c.person)} ({c.score:.2f})" for c in candidates)
        console.print(f"[yellow]gap[/] {gap.reason}" + (f": best candidates {who}" if who else ""), highlight=False)


def _quiet_notifications() -> None:
    """Keep Neo4j's query notifications (e.g. an unused relationship type) out of the output."""
    import logging

    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


@users_app.command("create")
def users_create(
    email: str = typer.Option(..., help="Login email."),
    name: str = typer.Option(..., help="Display name."),
    role: str = typer.Option("viewer", help="admin, manager or viewer."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Create a user (the password is prompted for, or read from stdin; stored argon2-hashed)."""
    from crn import auth

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _database():
        try:
            user = auth.create_user(email, name, password, role)
        except auth.AuthError as exc:
            fail(exc.message)
    console.print(f"Created {user.role} {user.email} ({user.uid}).")


@users_app.command("set-password")
def users_set_password(
    email: str = typer.Option(..., help="The user's login email."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Give a user a new password (prompted for without echo, or read from stdin; stored argon2-hashed).

    Every session of the user ends. This is how the demo's staff, who have no password, get a login.
    """
    from crn import auth

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with _database():
        try:
            auth.set_password(email, password)
        except auth.AuthError as exc:
            fail(exc.message)
    console.print(f"Password of {email.strip().lower()} changed; their sessions have ended.")


@users_app.command("ensure-admin")
def users_ensure_admin() -> None:
    """Make sure admin@crn.local exists; its password is CRN_ADMIN_PASSWORD or generated and printed once."""
    from crn import auth

    with _database():
        user, generated = auth.ensure_admin(get_settings().admin_password)
    if generated:
        console.print(f"Created admin [bold]{user.email}[/] with password [bold]{generated}[/] "
                      "(shown only now; change it or set CRN_ADMIN_PASSWORD before the first run).")
    else:
        console.print(f"Admin {user.email} exists.")


@tokens_app.command("create")
def tokens_create(
    email: str = typer.Option(..., help="The user the token acts as."),
    name: str = typer.Option("default", help="A label to recognise the token by."),
    expires_days: int = typer.Option(None, "--expires-days", min=1,
                                     help="Stop working this many days from now (default: never)."),
) -> None:
    """Create an API token and print it (this is the only time it is shown)."""
    from crn import auth

    with _database():
        try:
            token = auth.create_token(email, name, expires_days=expires_days)
        except auth.AuthError as exc:
            fail(exc.message)
    err.print(f"Token {name!r} for {email} (shown once; send it as 'Authorization: Bearer <token>'):")
    print(token)


@tokens_app.command("revoke")
def tokens_revoke(
    token: str = typer.Option(None, help="The token itself."),
    token_id: str = typer.Option(None, "--id", help="The token id (the part after crn_)."),
    email: str = typer.Option(None, help="With --name: the owner's email."),
    name: str = typer.Option(None, help="With --email: the token's name."),
) -> None:
    """Revoke a token, by value, by id, or by owner email and name."""
    from crn import auth

    with _database():
        try:
            count = auth.revoke_token(token, token_id=token_id, email=email, name=name)
        except auth.AuthError as exc:
            fail(exc.message)
    if not count:
        fail("no such token")
    console.print(f"Revoked {count} token(s).")


@tokens_app.command("list")
def tokens_list(email: str = typer.Option(None, help="Only this user's tokens.")) -> None:
    """List tokens (never secrets): id, name, owner, state, created, expires, last used."""
    from crn import auth

    with _database():
        rows = auth.list_tokens(email)
    console.print("id  name  owner  state  created  expires  last-used", style="bold", highlight=False)
    for row in rows:
        state = "revoked" if row["revoked"] else "expired" if row["expired"] else "active"
        console.print(f"{row['token_id']}  {row['name']}  {row['email']}  {state}  {row['created_at']}  "
                      f"{row['expires_at'] or 'never'}  {row['last_used_at'] or 'never'}", highlight=False)


@schema_app.command("export")
def schema_export(path: str = typer.Option("schema.graphql", help="Where to write the SDL ('-' for stdout).")) -> None:
    """Write the GraphQL schema as SDL (the contract checked in as schema.graphql)."""
    from pathlib import Path

    from crn.schema.schema import sdl

    text = sdl()
    if path == "-":
        print(text, end="")
    else:
        Path(path).write_text(text)
        console.print(f"Wrote {path}.")


class _database:
    """Context manager: connect to Neo4j (clear error if it is not there) and close at the end.

    Also subscribes the automation outbox, so changes made from the CLI (imports, merges) trigger rules
    exactly as the same changes made through the API do.
    """

    def __enter__(self):
        import crn.automation
        from crn.graph import db
        from crn.intel import strength

        settings = get_settings()
        crn.automation.install(settings)
        strength.install(settings)
        try:
            db.connect(settings)
        except db.DatabaseUnavailable as exc:
            fail(str(exc))
        return db

    def __exit__(self, *exc_info):
        from crn.graph import db

        db.close()
        return False


def main() -> None:
    """Entry point of the `crn` console script."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # its retries are reported by our own errors
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
