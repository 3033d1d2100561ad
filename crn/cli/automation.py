"""`crn rules` (list, add, test, run) and `crn worker`, which delivers the actions and runs the schedules."""

from __future__ import annotations

import sys

import typer

from crn.cli.base import console, database, err, fail
from crn.config import get_settings

app = typer.Typer(help="Automation rules: list, add, test (dry run), run.", no_args_is_help=True)


@app.command("list")
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
    with database():
        table = Table("id", "v", "active", "trigger", "actions", "name")
        for rule in store.list_rules():
            trig = rule.trigger
            table.add_row(rule.id, str(rule.version), "yes" if rule.active else "no",
                          " ".join(str(x) for x in (trig.kind, trig.label, trig.graph, trig.scan, trig.cron) if x),
                          ", ".join(a.type for a in rule.actions), rule.name)
        console.print(table)


@app.command("add")
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
    with database():
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


@app.command("test")
def rules_test(
    rule_ref: str = typer.Argument(..., help="A stored rule id, or a JSON/YAML rule file."),
    since_days: float = typer.Option(7, help="Look back this many days for events."),
) -> None:
    """Dry run: show what the rule would have fired, acting on nothing."""
    from pathlib import Path

    import crn.automation  # noqa: F401 - registers actions
    from crn.automation import rules, runs, store

    with database():
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


@app.command("run")
def rules_run(
    rule_id: str = typer.Argument(..., help="A stored rule id."),
    uid: list[str] = typer.Option(None, "--uid", help="Record(s) to run an event rule on (manual trigger)."),
) -> None:
    """Fire a rule now (a scheduled rule runs its scan once); the worker delivers the actions."""
    import crn.automation
    from crn.automation import runs, store

    with database():
        crn.automation.install(get_settings())
        rule = store.get_rule(rule_id) or fail(f"no rule {rule_id!r}")
        try:
            count = runs.run_now(rule, get_settings(), uids=uid or None, actor="cli")
        except ValueError as exc:
            fail(str(exc))
    console.print(f"Enqueued {count} action(s); `crn worker` delivers them.")


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
    from crn.audit import channel

    channel.bind(channel.SYSTEM)  # audit: the worker's own jobs are "system"; changes its actions make are "rule"
    with database():  # refuses a database that needs `crn db migrate` (make run migrates first)
        crn.automation.install(get_settings())
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
