"""`crn privacy`: personal-data rights on the server (docs/privacy.md): export, erase, consent, retention."""

from __future__ import annotations

from pathlib import Path

import typer

from crn.cli.base import console, database, err, fail
from crn.config import get_settings

app = typer.Typer(help="Personal-data rights (PIPL/GDPR): export or erase a person, consent, retention.",
                  no_args_is_help=True)


def _system():
    from crn.graph import access

    return access.bound(access.SYSTEM)  # the operator holds the database credentials: crn's own access


@app.command("export")
def privacy_export(
    person: str = typer.Argument(..., help="The person's uid or e-mail address."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the ZIP archive."),
) -> None:
    """Write everything crn holds about a person as a ZIP archive (export.json + one CSV per section)."""
    from crn.crm import privacy

    if output.exists() and output.is_dir():
        fail(f"{output} is a folder; give a file name such as {output / 'person.zip'}")
    with database(), _system():
        try:
            data = privacy.export_zip(privacy.export_person(person, settings=get_settings(), actor="cli"))
        except privacy.NotFound as exc:
            fail(f"{exc}; `crn privacy export <uid|email> -o file.zip`")
    output.write_bytes(data)
    err.print(f"Wrote {output} ({len(data)} bytes).")


@app.command("erase")
def privacy_erase(
    person: str = typer.Argument(..., help="The person's uid or e-mail address."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation (scripts)."),
    actor: str = typer.Option("cli", help="Who the audit trail records as having erased the person."),
) -> None:
    """Erase a person everywhere (cannot be undone): anonymised record, texts scrubbed, addresses suppressed."""
    from crn.crm import privacy

    with database(), _system():
        try:
            found = privacy.find_person(person)
        except privacy.NotFound as exc:
            fail(str(exc))
        if not yes:
            typer.confirm(f"Erase person {found['uid']} everywhere? This cannot be undone", abort=True)
        report = privacy.erase_person(found["uid"], actor=actor, settings=get_settings())
    console.print(f"Erased {report.uid}: now {report.name!r}; scrubbed {report.nodes} node(s), "
                  f"{report.relationships} relationship(s), {report.sms_lines} SMS log line(s); "
                  f"{report.suppressed} address(es) suppressed.", highlight=False)
    for note in report.notes:
        err.print(f"note: {note}", highlight=False)


@app.command("consent")
def privacy_consent(
    person: str = typer.Argument(..., help="The person's uid or e-mail address."),
    channel: str = typer.Option(..., help="email, sms or phone."),
    granted: bool = typer.Option(..., "--granted/--withdrawn", help="Consent given or withdrawn."),
    source: str = typer.Option(..., help="Where it came from, e.g. 'signup form 2026-03-01'."),
) -> None:
    """Record a person's marketing consent for one channel."""
    from crn.crm import privacy

    with database(), _system():
        try:
            uid = privacy.find_person(person)["uid"]
        except privacy.NotFound as exc:
            fail(str(exc))
        consent, errors = privacy.set_consent(uid, channel, granted, source, actor="cli")
    if errors:
        fail("; ".join(e.message for e in errors))
    state = consent[channel]
    console.print(f"{uid} {channel}: {'given' if state['granted'] else 'withdrawn'} ({state['source']})",
                  highlight=False)


@app.command("retention")
def privacy_retention() -> None:
    """Apply the retention settings (CRN_RETENTION_*) now, as the worker does on its schedule."""
    from crn.crm import privacy

    settings = get_settings()
    with database(), _system():
        counts = privacy.apply_retention(settings, worker="cli")
    if not counts:
        console.print("Every CRN_RETENTION_* setting is 0 (keep): nothing to do.")
    for name, n in counts.items():
        console.print(f"{name}: {n}", highlight=False)
