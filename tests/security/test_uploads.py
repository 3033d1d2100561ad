"""Uploads as an attacker sends them: bodies past the limit (declared, chunked, streamed), viewers, XLSX bombs.

The HTTP tests talk to a real uvicorn crn over a socket on 127.0.0.1, so what is refused "at once" is refused
before the server has read the body (the client never sends it). The XLSX tests build small hostile
workbooks with zipfile and count the rows openpyxl walks: a refusal costs no row at all.
"""

from __future__ import annotations

import io
import json
import select
import socket
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from crn import auth
from crn.ingest.formats import FormatError, TableTooLarge, XlsxLimits, read_table
from crn.schema.uploads import MULTIPART_OVERHEAD_BYTES

from tests.live import running_crn

LIMIT_MB = 1
FILE_LIMIT = LIMIT_MB * 1024 * 1024
BODY_LIMIT = FILE_LIMIT + MULTIPART_OVERHEAD_BYTES
BOUNDARY = "crn-upload-test-boundary"

MUTATION = """mutation($kind: String!, $file: Upload!) {
  importFile(kind: $kind, file: $file) {
    __typename
    ... on ImportFileSuccess { read written }
    ... on ImportFileError { errors { code message field } }
  }
}"""


JSON_LIMIT_KB = 64  # CRN_MAX_BODY_KB of the server below: the limit of a non-multipart request body


# -- a live server and a raw HTTP client -------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(graph):
    """crn under uvicorn on a free 127.0.0.1 port, with CRN_UPLOAD_LIMIT_MB=1; yields the port."""
    with running_crn({"CRN_UPLOAD_LIMIT_MB": str(LIMIT_MB), "CRN_TOKEN_CACHE_SECONDS": "0",
                      "CRN_MAX_BODY_KB": str(JSON_LIMIT_KB)}) as port:
        yield port


@pytest.fixture
def tokens(server, clean_db) -> dict[str, str]:
    """A bearer token per role, on an empty database."""
    out = {}
    for role in ("admin", "manager", "viewer"):
        auth.create_user(f"{role}@up.io", role.title(), "longenough", role)
        out[role] = auth.create_token(f"{role}@up.io")
    return out


def multipart(content: bytes, filename: str = "people.csv", size: int | None = None) -> bytes:
    """A GraphQL multipart request body importing ``content`` as contacts; padded to ``size`` bytes if given.

    The padding is whitespace inside the ``operations`` JSON, so the file itself stays ``content``.
    """
    def build(operations: str) -> bytes:
        return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n"
                f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n"
                "{\"0\": [\"variables.file\"]}\r\n"
                f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{filename}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()

    operations = json.dumps({"query": MUTATION, "variables": {"kind": "contacts", "file": None}})
    body = build(operations)
    if size is not None:
        assert len(body) <= size, "the file alone is past the size asked for"
        body = build(operations + " " * (size - len(body)))
        assert len(body) == size
    return body


def csv_of(size: int) -> bytes:
    """A contacts CSV of exactly ``size`` bytes: one contact, then blank lines (which the importer skips)."""
    head = b"name,email\nAda Lovelace,ada@up.example\n"
    return head + b"\n" * (size - len(head))


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def head(port: int, token: str, length: int | None, content_type: str = MULTIPART) -> bytes:
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return (f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: {content_type}\r\n{framing}\r\n\r\n").encode()


def read_response(sock: socket.socket) -> tuple[int, dict]:
    """Read one HTTP response (Content-Length framed) from ``sock``; (status, JSON body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response: {data!r}"
        data += chunk
    header, _, body = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the middle of the response"
        body += chunk
    return status, json.loads(body[:length])


def send(port: int, token: str, body: bytes, chunked: bool = False,
         content_type: str = MULTIPART) -> tuple[int, dict]:
    """POST ``body`` in 64 KiB pieces (chunked, or with a Content-Length); stop sending once an answer comes."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head(port, token, None if chunked else len(body), content_type))
        for start in range(0, len(body), 64 * 1024):
            if select.select([sock], [], [], 0)[0]:
                break  # answered early (a refusal): the rest is not needed
            piece = body[start:start + 64 * 1024]
            sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
        else:
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        return read_response(sock)


def assert_too_large(status: int, body: dict) -> None:
    assert status == 413, body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "too_large"
    assert error["extensions"]["limitBytes"] == FILE_LIMIT and error["extensions"]["bodyLimitBytes"] == BODY_LIMIT
    assert "CRN_UPLOAD_LIMIT_MB" in error["message"] and "1 MB" in error["message"]


# -- the request body limit ---------------------------------------------------------------------------------

def test_a_body_at_the_limit_is_imported_and_one_byte_more_is_refused(server, tokens, graph):
    at_limit = multipart(csv_of(FILE_LIMIT), size=BODY_LIMIT)
    status, body = send(server, tokens["manager"], at_limit)
    assert status == 200, body
    assert body["data"]["importFile"] == {"__typename": "ImportFileSuccess", "read": 1, "written": 1}

    status, body = send(server, tokens["manager"], multipart(csv_of(FILE_LIMIT), size=BODY_LIMIT + 1))
    assert_too_large(status, body)


def test_a_chunked_body_without_length_is_counted_while_it_streams(server, tokens):
    status, body = send(server, tokens["admin"], multipart(csv_of(FILE_LIMIT), size=BODY_LIMIT), chunked=True)
    assert status == 200 and body["data"]["importFile"]["__typename"] == "ImportFileSuccess", body

    status, body = send(server, tokens["admin"], multipart(csv_of(FILE_LIMIT), size=BODY_LIMIT + 1), chunked=True)
    assert_too_large(status, body)


def test_a_declared_length_past_the_limit_is_refused_before_the_body_is_sent(server, tokens):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(head(server, tokens["admin"], 10 * 1024 ** 3))  # 10 GB announced, not a byte sent
        status, body = read_response(sock)
    assert_too_large(status, body)
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(head(server, tokens["admin"], BODY_LIMIT + 1))
        status, body = read_response(sock)
    assert_too_large(status, body)


def test_an_endless_chunked_stream_is_cut_off_near_the_limit(server, tokens):
    """A file part streamed without a length: the 413 comes back while the client is still sending."""
    trailer = f"\r\n--{BOUNDARY}--\r\n".encode()
    prefix = multipart(b"")[:-len(trailer)]  # operations, map, and the file part's headers
    total, sent, piece = 64 * 1024 * 1024, 0, b"x" * (64 * 1024)
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(head(server, tokens["admin"], None))
        sock.sendall(f"{len(prefix):x}\r\n".encode() + prefix + b"\r\n")
        while sent < total and not select.select([sock], [], [], 0)[0]:
            sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sent += len(piece)
        if sent == total:
            sock.sendall(f"{len(trailer):x}\r\n".encode() + trailer + b"\r\n0\r\n\r\n")
        status, body = read_response(sock)
    assert_too_large(status, body)
    assert sent < total, f"the server read all {sent} bytes before it answered"


# -- viewers ------------------------------------------------------------------------------------------------

def test_a_viewer_is_refused_before_the_body_is_read(server, tokens, graph):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(head(server, tokens["viewer"], 512 * 1024))  # announced, never sent
        status, body = read_response(sock)
    assert status == 403 and body["errors"][0]["extensions"]["code"] == "forbidden", body
    assert "viewers" in body["errors"][0]["message"]
    status, body = send(server, tokens["viewer"], multipart(csv_of(1000)))
    assert status == 403 and body["data"] is None
    assert graph.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"] == 0


# -- XLSX: zip bombs and far-away cells ----------------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(rows: str, dimension: str | None = None, padding: int = 0) -> bytes:
    """A minimal XLSX (one sheet) built by hand: ``rows`` is the <sheetData> content."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{dim}<sheetData>{rows}'
             f'</sheetData>{" " * padding}</worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
                                        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
                                            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels",
                         f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/worksheet" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def table_rows(n: int, columns: int = 2) -> str:
    """A header row and ``n - 1`` data rows, ``columns`` wide."""
    letters = "ABCDEFGHIJ"[:columns]
    header = "".join(cell(f"{c}1", h) for c, h in zip(letters, ["name", "email", "c", "d", "e", "f", "g", "h"]))
    out = [f'<row r="1">{header}</row>']
    for r in range(2, n + 1):
        out.append(f'<row r="{r}">' + "".join(cell(f"{c}{r}", f"v{r}{c}") for c in letters) + "</row>")
    return "".join(out)


@pytest.fixture
def rows_walked(monkeypatch) -> list[int]:
    """Counts the rows openpyxl yields (padding rows included); more than 10 000 fails the test at once."""
    walked = [0]
    real = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in real(self, *args, **kwargs):
            walked[0] += 1
            assert walked[0] <= 10_000, "the reader is walking a sheet's empty cells (billions of them)"
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return walked


def write(tmp_path: Path, data: bytes, name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


LIMITS = XlsxLimits(max_uncompressed_bytes=500 * 1024 * 1024, max_compression_ratio=100, max_rows=1_000_000,
                    max_columns=1000, max_cells=20_000_000)  # the defaults of CRN_XLSX_*


def test_the_defaults_are_the_settings():
    assert XlsxLimits.from_settings() == LIMITS


def test_a_declared_dimension_of_the_whole_grid_costs_only_the_real_rows(tmp_path, rows_walked):
    path = write(tmp_path, workbook(table_rows(2), dimension="A1:XFD1048576"))
    assert len(path.read_bytes()) < 2000
    table = read_table(path)
    assert table.headers == ["name", "email"] and table.rows == [(2, {"name": "v2A", "email": "v2B"})]
    assert rows_walked[0] == 2


def test_a_cell_at_xfd1048576_is_refused_without_walking_a_row(tmp_path, rows_walked):
    path = write(tmp_path, workbook(table_rows(2) + f'<row r="1048576">{cell("XFD1048576", "boom")}</row>'))
    with pytest.raises(TableTooLarge, match="CRN_XLSX_MAX_ROWS"):
        read_table(path)
    path = write(tmp_path, workbook(table_rows(2) + f'<row r="3">{cell("XFD3", "boom")}</row>'))
    with pytest.raises(TableTooLarge, match="16384 columns.*CRN_XLSX_MAX_COLUMNS"):
        read_table(path)
    path = write(tmp_path, workbook(table_rows(2) + f'<row r="900000">{cell("ALL900000", "boom")}</row>'))
    with pytest.raises(TableTooLarge, match="CRN_XLSX_MAX_CELLS"):  # 900 000 x 1000 cells, under both other caps
        read_table(path)
    assert rows_walked[0] == 0


def limits(**caps) -> XlsxLimits:
    return XlsxLimits(**{**LIMITS.__dict__, **caps})


def test_row_column_and_cell_caps_hold_at_their_edges(tmp_path, rows_walked):
    three_rows = write(tmp_path, workbook(table_rows(3)))
    assert len(read_table(three_rows, xlsx_limits=limits(max_rows=3)).rows) == 2
    with pytest.raises(TableTooLarge, match="3 rows, more than the 2 row limit"):
        read_table(three_rows, xlsx_limits=limits(max_rows=2))

    three_columns = write(tmp_path, workbook(table_rows(2, columns=3)))
    assert read_table(three_columns, xlsx_limits=limits(max_columns=3)).headers == ["name", "email", "c"]
    with pytest.raises(TableTooLarge, match="3 columns, more than the 2 column limit"):
        read_table(three_columns, xlsx_limits=limits(max_columns=2))

    assert len(read_table(three_columns, xlsx_limits=limits(max_cells=6)).rows) == 1  # 2 rows x 3 columns
    with pytest.raises(TableTooLarge, match="= 6 cells, more than the 5 cell limit"):
        read_table(three_columns, xlsx_limits=limits(max_cells=5))


def test_unpacked_size_and_compression_ratio_hold_at_their_edges(tmp_path, rows_walked):
    small = write(tmp_path, workbook(table_rows(2)))
    unpacked = sum(m.file_size for m in zipfile.ZipFile(small).infolist())
    assert len(read_table(small, xlsx_limits=limits(max_uncompressed_bytes=unpacked)).rows) == 1
    with pytest.raises(TableTooLarge, match="CRN_XLSX_MAX_UNCOMPRESSED_MB"):
        read_table(small, xlsx_limits=limits(max_uncompressed_bytes=unpacked - 1))

    bomb = write(tmp_path, workbook(table_rows(2), padding=4 * 1024 * 1024), "bomb.xlsx")  # whitespace: ~1000:1
    assert bomb.stat().st_size < 16 * 1024
    sheet = zipfile.ZipFile(bomb).getinfo("xl/worksheets/sheet1.xml")
    ratio = sheet.file_size / sheet.compress_size
    assert ratio > 100
    with pytest.raises(TableTooLarge, match=f"{ratio:.0f} to 1.*CRN_XLSX_MAX_COMPRESSION_RATIO.*zip bomb"):
        read_table(bomb)  # the default cap
    assert len(read_table(bomb, xlsx_limits=limits(max_compression_ratio=ratio)).rows) == 1
    with pytest.raises(TableTooLarge):
        read_table(bomb, xlsx_limits=limits(max_compression_ratio=ratio - 0.01))
    assert rows_walked[0] == 2 + 2  # only the two accepted reads walked rows


def test_import_file_refuses_an_xlsx_bomb_with_the_setting_named(server, tokens, tmp_path, graph, monkeypatch):
    far_cell = workbook(table_rows(2) + f'<row r="3">{cell("XFD3", "boom")}</row>')
    status, body = send(server, tokens["admin"], multipart(far_cell, filename="far.xlsx"))
    assert status == 200, body
    result = body["data"]["importFile"]
    assert result["__typename"] == "ImportFileError" and result["errors"][0]["code"] == "too_large"
    assert "CRN_XLSX_MAX_COLUMNS" in result["errors"][0]["message"]
    bomb = workbook(table_rows(2), padding=4 * 1024 * 1024)
    status, body = send(server, tokens["admin"], multipart(bomb, filename="bomb.xlsx"))
    result = body["data"]["importFile"]
    assert result["errors"][0]["code"] == "too_large", result
    assert "CRN_XLSX_MAX_COMPRESSION_RATIO" in result["errors"][0]["message"]
    assert graph.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"] == 0


# -- CSV and JSON: small files that cost a lot, or crash the reader --------------------------------------------

def test_guessing_a_csv_delimiter_is_linear(tmp_path):
    """csv.Sniffer's regular expressions are quadratic: 64 KB of ,"a cost it 10 to 30 s of CPU."""
    path = tmp_path / "quotes.csv"
    path.write_text('name;title\n' + ',"a' * 21_000 + "\n")
    started = time.process_time()
    table = read_table(path)
    assert time.process_time() - started < 2.0
    assert table.delimiter == ";" and table.headers == ["name", "title"]


def test_hostile_csv_and_json_are_clear_errors_not_crashes(server, tokens):
    cases = [("long.csv", b"name,email\n" + b"x" * 200_000 + b",a@b.example\n", "field larger than field limit"),
             ("deep.json", b"[" * 200_000 + b"]" * 200_000, "nested too deeply")]
    for name, content, reason in cases:
        status, body = send(server, tokens["admin"], multipart(content, filename=name))
        assert status == 200, body
        result = body["data"]["importFile"]
        assert result["__typename"] == "ImportFileError", result
        assert result["errors"][0]["code"] == "bad_file" and reason in result["errors"][0]["message"], result


def test_malformed_sheets_are_clear_errors(tmp_path):
    for rows, reason in [('<row r="inf"><c r="A1"/></row>', "not a valid row number"),
                         ('<row r="1"><c r="1A"/></row>', "not a valid cell reference"),
                         ('<row r="1"><c r="A1">', "not well-formed XML")]:
        path = write(tmp_path, workbook(rows, dimension="A1:B2"))
        with pytest.raises(FormatError, match=reason):
            read_table(path)


# -- the body limit of every other GraphQL request (CRN_MAX_BODY_KB) ------------------------------------------

def json_body(size: int) -> bytes:
    """A GraphQL JSON request of exactly ``size`` bytes: ``{ me { email } }`` padded with whitespace."""
    def build(pad: int) -> bytes:
        return json.dumps({"query": "{ me { email } }" + " " * pad, "variables": {}}).encode()
    base = len(build(0))
    assert size >= base
    return build(size - base)


def send_json(port: int, token: str, body: bytes, chunked: bool = False) -> tuple[int, dict]:
    """POST a JSON ``body`` like :func:`send`."""
    return send(port, token, body, chunked, content_type="application/json")


def assert_body_too_large(status: int, body: dict) -> None:
    assert status == 413, body
    error = body["errors"][0]
    assert error["extensions"] == {"code": "too_large", "bodyLimitBytes": JSON_LIMIT_KB * 1024,
                                   "setting": "CRN_MAX_BODY_KB"}
    assert "CRN_MAX_BODY_KB" in error["message"] and f"{JSON_LIMIT_KB} KB" in error["message"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_json_request_at_the_body_limit_runs_and_one_byte_more_is_refused(server, tokens, chunked):
    limit = JSON_LIMIT_KB * 1024
    status, body = send_json(server, tokens["viewer"], json_body(limit), chunked=chunked)
    assert status == 200 and body == {"data": {"me": {"email": "viewer@up.io"}}}, body
    assert_body_too_large(*send_json(server, tokens["viewer"], json_body(limit + 1), chunked=chunked))


def test_a_huge_declared_json_body_is_refused_before_it_is_sent(server, tokens):
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(head(server, tokens["viewer"], 10**10, "application/json"))
        assert_body_too_large(*read_response(sock))


def test_an_endless_json_stream_is_cut_off_near_the_limit(server, tokens):
    """64 MB of variables in chunks: the answer comes while the client is still sending."""
    body = b'{"query": "{ me { email } }", "variables": {"pad": "' + b"x" * (64 * 1024 * 1024) + b'"}}'
    assert_body_too_large(*send_json(server, tokens["viewer"], body, chunked=True))
