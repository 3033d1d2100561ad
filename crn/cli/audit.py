"""`crn audit verify|export|purge`: check the audit trail's hash chain, export the trail as CSV, apply retention."""

from __future__ import annotations

import typer

from crn.cli.base import console, database, fail
from crn.config import get_settings

app = typer.Typer(help="The audit trail: verify its hash chain, export it, apply its retention.", no_args_is_help=True)


@app.command("verify")
def verify() -> None:
    """Walk the hash chain from its checkpoint to its head; exit 1 naming the first broken entry."""
    from crn import audit

    with database():
        verdict = audit.verify()
    if not verdict.ok:
        console.print(f"[bold red]audit trail BROKEN at entry {verdict.first_broken}[/]: {verdict.reason} "
                      f"({verdict.checked} entries verified before it)", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    since = f" since checkpoint {verdict.anchor_seq}" if verdict.anchor_seq else ""
    console.print(f"audit trail OK: {verdict.checked} entries verified{since} (last {verdict.last_seq}, "
                  f"{verdict.redacted} redacted for erasure)", highlight=False)


def _when(value: str | None, option: str):
    from datetime import datetime, timezone

    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date or time; write e.g. 2026-01-31 or 2026-01-31T09:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@app.command("export")
def export(
    out: str = typer.Option("audit.csv", "--out", "-o", help="The CSV file to write."),
    actor: str = typer.Option(None, help="Only entries by this user uid."),
    action: str = typer.Option(None, help="Only this action (create, update, delete, link, login, ...)."),
    label: str = typer.Option(None, help="Only entries on this record type (Company, Person, ...)."),
    uid: str = typer.Option(None, help="Only entries on this record (as target or the far end of a link)."),
    channel: str = typer.Option(None, help="Only entries through ui, api, cli, import, rule or system."),
    since: str = typer.Option(None, "--from", help="From this date/time (UTC unless it says otherwise)."),
    until: str = typer.Option(None, "--to", help="Before this date/time."),
) -> None:
    """Export the (filtered) audit trail as CSV, newest first; the export is itself recorded."""
    from crn import audit
    from crn.graph.access import SYSTEM, bound

    if channel and channel not in audit.CHANNELS:
        fail(f"--channel {channel!r}: choose one of {', '.join(audit.CHANNELS)}")
    flt = audit.TrailFilter(actor=actor, action=action, label=label, uid=uid, channel=channel,
                            start=_when(since, "--from"), end=_when(until, "--to"))
    with database(), bound(SYSTEM), open(out, "w", newline="", encoding="utf-8") as handle:
        count = audit.export_csv(flt, handle, SYSTEM)
    console.print(f"Exported {count} audit entries to {out}.")


@app.command("purge")
def purge(days: int = typer.Option(None, help="Entries older than this many days (default CRN_AUDIT_RETENTION_DAYS).")
          ) -> None:
    """Apply the retention now (the worker does it hourly): delete older entries, keep the chain verifiable."""
    from crn import audit

    days = get_settings().audit_retention_days if days is None else days
    if days <= 0:
        fail("retention is off (CRN_AUDIT_RETENTION_DAYS=0 keeps the trail forever); pass --days N to purge anyway")
    with database():
        count = audit.purge_expired(days)
    console.print(f"Purged {count} audit entries older than {days} days.")
