"""The ``importFile`` mutation: upload a file (multipart), run the same importer as `crn import`, get the summary.

Admins and managers only (``CanWrite``); the upload is refused above ``upload_limit_bytes``
(CRN_UPLOAD_LIMIT_MB): the request body while it streams (:mod:`crn.schema.uploads`, before this resolver),
the file itself here, and an XLSX workbook past its reading caps (CRN_XLSX_*) as ``too_large``. The error report comes back in the payload: the first rows as a list and the
whole error CSV as text (``errorCsv``), so a client can offer it as a download.
"""

import tempfile
from pathlib import Path
from typing import Annotated, Union

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from crn.ingest import importer
from crn.ingest.formats import FormatError, TableTooLarge
from crn.ingest.mapping import MappingError
from crn.schema.base import UserError
from crn.schema.permissions import CanWrite
from crn.schema.workers import run_db

ERRORS_IN_PAYLOAD = 100
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson")


@strawberry.type(description="One problem with one row of an imported file.")
class ImportRowError:
    row: int
    column: str
    value: str
    reason: str


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


@strawberry.type
class IngestMutation:
    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Import an uploaded file (CSV, XLSX, JSON, JSON Lines, BODS JSON) as `kind`; "
                                     "idempotent upserts, bad rows reported. `strict`: any error writes nothing.")
    async def import_file(self, info: Info, kind: str, file: Upload, dry_run: bool = False, strict: bool = False,
                          source_system: str | None = None, map: Upload | None = None) -> ImportFileResult:  # noqa: A002
        limit = info.context.settings.upload_limit_bytes  # the request body was already capped as it streamed
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
                    settings=info.context.settings)
            except TableTooLarge as exc:
                return _error("too_large", str(exc), "file")
            except (MappingError, FormatError) as exc:
                return _error("bad_file", str(exc), "map" if isinstance(exc, MappingError) else "file")
            except ValueError as exc:
                return _error("invalid_kind", str(exc), "kind")
            error_csv = errors_path.read_text(encoding="utf-8-sig") if summary.errors else None
        return ImportFileSuccess(
            kind=kind, read=summary.read, written=summary.written, unchanged=summary.unchanged,
            skipped=summary.skipped, error_count=len(summary.errors), committed=summary.committed,
            dry_run=dry_run, nodes_created=summary.stats.nodes_created,
            relationships_created=summary.stats.relationships_created,
            mapping=[f"{k} <- {v}" for k, v in (summary.mapping.columns.items() if summary.mapping else [])],
            errors=[ImportRowError(row=e.row, column=e.column, value=str(e.value), reason=e.reason)
                    for e in summary.errors[:ERRORS_IN_PAYLOAD]],
            error_csv=error_csv)
