"""The ``importFile`` mutation: upload a file (multipart), run the same importer as `crn import`, get the summary;
and the queries the import page needs (``importFields``: a kind's columns with captions; ``importProgress``).

Admins and managers only (``CanWrite``); the upload is refused above ``upload_limit_bytes``
(CRN_UPLOAD_LIMIT_MB): the request body while it streams (:mod:`crn.schema.uploads`, before this resolver),
the file itself here, and an XLSX workbook past its reading caps (CRN_XLSX_*) as ``too_large``. The error report comes back in the payload: the first rows as a list and the
whole error CSV as text (``errorCsv``, cut after :data:`ERROR_CSV_MAX_BYTES` with ``errorCsvTruncated``), so a
client can offer it as a download. The rejected rows are never kept on the server: only the user who ran the
import receives them, in the answer to their own request.

``columns`` replaces the detected mapping by a person's choice (header -> field, every header listed; a header
with no field is not imported); ``progressId`` names the import so ``importProgress`` can follow it.
"""

import base64
import tempfile
from pathlib import Path
from typing import Annotated, Union

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from crn.ingest import exporter, importer, kinds, progress
from crn.ingest.formats import FormatError, TableTooLarge
from crn.ingest.mapping import MappingError, chosen_mapping
from crn.schema.base import JSON, ClientError, UserError
from crn.schema.permissions import CanWrite, IsAuthenticated
from crn.schema.workers import run_db

ERRORS_IN_PAYLOAD = 100
ERROR_CSV_MAX_BYTES = 2 * 1024 * 1024  # the error report in one answer; beyond it, cut at a row and flagged
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson")


@strawberry.type(description="One problem with one row of an imported file.")
class ImportRowError:
    row: int
    column: str
    value: str
    reason: str


@strawberry.type(description="One file column and the field it feeds (null: not imported).")
class ImportColumn:
    header: str
    field: str | None


@strawberry.input(description="A person's choice for one file column: the field it feeds (null: do not import it).")
class ImportColumnInput:
    header: str
    field: str | None = None


@strawberry.type(description="A column an import kind reads, with its caption in English and Chinese.")
class ImportField:
    name: str
    caption_en: str
    caption_zh: str
    required: bool


@strawberry.type(description="How far a running import is: phase (read, validate, write, done) `step` of `steps`, "
                             "and rows `done` of `total` in that phase (0 of 0 while reading).")
class ImportProgress:
    phase: str
    step: int
    steps: int
    done: int
    total: int


@strawberry.type(description="What an import read, wrote, left unchanged and skipped.")
class ImportFileSuccess:
    kind: str
    read: int
    written: int
    unchanged: int
    skipped: int
    error_count: int
    committed: bool
    dry_run: bool
    nodes_created: int
    relationships_created: int
    mapping: list[str] = strawberry.field(description="field <- column pairs, e.g. 'email <- 邮箱'.")
    columns: list[ImportColumn] = strawberry.field(description="Every column of the file in order, with the field "
                                                   "it fed (null: not imported).")
    error_csv_truncated: bool = strawberry.field(description=f"The error CSV passed {ERROR_CSV_MAX_BYTES} bytes "
                                                 "and was cut after the last whole row that fits.")
    errors: list[ImportRowError] = strawberry.field(description=f"The first {ERRORS_IN_PAYLOAD} errors.")
    error_csv: str | None = strawberry.field(description="The whole error report as CSV (row, column, value, reason).")


@strawberry.type(description="The import could not run (file too large, unreadable, unknown kind, bad mapping).")
class ImportFileError:
    errors: list[UserError]


ImportFileResult = Annotated[Union[ImportFileSuccess, ImportFileError], strawberry.union("ImportFileResult")]


async def _read_limited(upload: Upload, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        chunk = await upload.read(1024 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)


def _error(code: str, message: str, field: str | None = None) -> ImportFileError:
    return ImportFileError(errors=[UserError(code=code, message=message, field=field)])


@strawberry.type(description="A table as a spreadsheet file: its bytes in base64, for the page to save.")
class TableExportSuccess:
    content_type: str
    content_base64: str
    rows: int


@strawberry.type(description="The table could not be written (too many rows or columns, a bad cell, a format).")
class TableExportError:
    errors: list[UserError]


TableExportResult = Annotated[Union[TableExportSuccess, TableExportError], strawberry.union("TableExportResult")]


def cut_error_csv(text: str, limit: int | None = None) -> tuple[str, bool]:
    """``text`` when it fits in ``limit`` (default :data:`ERROR_CSV_MAX_BYTES`) UTF-8 bytes, else its rows up to
    the last whole one that fits."""
    limit = ERROR_CSV_MAX_BYTES if limit is None else limit
    if len(text.encode("utf-8")) <= limit:
        return text, False
    kept, size = [], 0
    for line in text.splitlines(keepends=True):
        size += len(line.encode("utf-8"))
        if size > limit:
            break
        kept.append(line)
    return "".join(kept), True


@strawberry.type
class IngestQuery:
    @strawberry.field(permission_classes=[CanWrite], description="The columns an import kind reads (keys, links, "
                      "the record's fields and its custom fields) with captions, for choosing a mapping.")
    async def import_fields(self, kind: str) -> list[ImportField]:
        if kind not in kinds.IMPORT_PAGE_KINDS:
            raise ClientError(f"unknown import kind {kind!r}; choose one of {', '.join(kinds.IMPORT_PAGE_KINDS)}",
                              "invalid_kind")
        return [ImportField(**f) for f in await run_db(kinds.describe_fields, kind)]

    @strawberry.field(permission_classes=[IsAuthenticated], description="A table the page shows (headers and rows "
                      f"of cells, at most {exporter.TABLE_MAX_ROWS} rows) written as an XLSX (or CSV) file.")
    async def table_export(self, headers: list[str], rows: JSON, format: str = "xlsx") -> TableExportResult:  # noqa: A002
        try:
            data = await run_db(exporter.table_file, headers, rows if isinstance(rows, list) else None, format)
        except exporter.ExportError as exc:
            return TableExportError(errors=[UserError(code="invalid_table", message=str(exc), field="rows")])
        return TableExportSuccess(content_type=exporter.TABLE_FORMATS[format], rows=len(rows),
                                  content_base64=base64.b64encode(data).decode("ascii"))

    @strawberry.field(permission_classes=[CanWrite], description="How far my import `id` (the `progressId` given "
                      "to importFile) is; null when unknown, finished over an hour ago, or someone else's.")
    def import_progress(self, info: Info, id: str) -> ImportProgress | None:  # noqa: A002
        try:
            progress.check_id(id)
        except progress.BadJobId as exc:
            raise ClientError(str(exc), "invalid_id") from exc
        job = progress.progress_of(info.context.user.uid, id)
        if job is None:
            return None
        return ImportProgress(phase=job.phase, step=job.step, steps=len(progress.PHASES), done=job.done,
                              total=job.total)


@strawberry.type
class IngestMutation:
    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Import an uploaded file (CSV, XLSX, JSON, JSON Lines, BODS JSON) as `kind`; "
                                     "idempotent upserts, bad rows reported. `strict`: any error writes nothing.")
    async def import_file(self, info: Info, kind: str, file: Upload, dry_run: bool = False, strict: bool = False,
                          source_system: str | None = None, map: Upload | None = None,  # noqa: A002
                          columns: list[ImportColumnInput] | None = None,
                          progress_id: str | None = None) -> ImportFileResult:
        limit = info.context.settings.upload_limit_bytes  # the request body was already capped as it streamed
        chosen = None
        if columns is not None:
            try:
                chosen = chosen_mapping({c.header: c.field for c in columns})
            except MappingError as exc:
                return _error("bad_mapping", str(exc), "columns")
        report = None
        if progress_id is not None:
            try:
                report = progress.reporter(info.context.user.uid, progress.check_id(progress_id))
            except progress.BadJobId as exc:
                return _error("invalid_id", str(exc), "progressId")
        data = await _read_limited(file, limit)
        if data is None:
            return _error("too_large", f"the file is larger than the {limit // (1024 * 1024)} MB limit "
                                       "(CRN_UPLOAD_LIMIT_MB)", "file")
        suffix = Path(getattr(file, "filename", "") or "").suffix.lower()
        if suffix not in SUFFIXES:
            return _error("unsupported_format", f"upload a {', '.join(SUFFIXES)} file", "file")
        with tempfile.TemporaryDirectory(prefix="crn-import-") as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(data)
            map_path = None
            if map is not None:
                map_path = Path(folder) / "map.yaml"
                map_path.write_bytes(await _read_limited(map, 1024 * 1024) or b"")
            errors_path = Path(folder) / "errors.csv"
            try:
                summary = await run_db(
                    importer.run_import, kind, path, map_file=map_path, dry_run=dry_run, strict=strict,
                    errors_path=errors_path, source=source_system, actor=info.context.actor,
                    settings=info.context.settings, columns=chosen, progress=report)
            except TableTooLarge as exc:
                return _error("too_large", str(exc), "file")
            except MappingError as exc:
                return _error("bad_mapping" if chosen else "bad_file", str(exc), "columns" if chosen else "map")
            except FormatError as exc:
                return _error("bad_file", str(exc), "file")
            except ValueError as exc:
                return _error("invalid_kind", str(exc), "kind")
            error_csv, truncated = cut_error_csv(errors_path.read_text(encoding="utf-8-sig")) \
                if summary.errors else (None, False)
        mapped = {header: name for name, header in (summary.mapping.columns.items() if summary.mapping else [])}
        headers = (summary.mapping.headers or [*mapped, *summary.mapping.unused]) if summary.mapping else []
        return ImportFileSuccess(
            kind=kind, read=summary.read, written=summary.written, unchanged=summary.unchanged,
            skipped=summary.skipped, error_count=len(summary.errors), committed=summary.committed,
            dry_run=dry_run, nodes_created=summary.stats.nodes_created,
            relationships_created=summary.stats.relationships_created,
            mapping=[f"{k} <- {v}" for k, v in (summary.mapping.columns.items() if summary.mapping else [])],
            errors=[ImportRowError(row=e.row, column=e.column, value=str(e.value), reason=e.reason)
                    for e in summary.errors[:ERRORS_IN_PAYLOAD]],
            error_csv=error_csv, error_csv_truncated=truncated,
            columns=[ImportColumn(header=h, field=mapped.get(h)) for h in headers])
