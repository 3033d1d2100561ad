"""importFile over HTTP (GraphQL multipart request): summary, error report, size limit, viewers refused."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from crn.app import create_app
from tests.schema.conftest import Api

from tests.ingest.helpers import fixture

MUTATION = """mutation($kind: String!, $file: Upload!, $strict: Boolean! = false) {
  importFile(kind: $kind, file: $file, strict: $strict) {
    __typename
    ... on ImportFileSuccess { read written unchanged skipped errorCount committed nodesCreated mapping
                               errors { row column value reason } errorCsv }
    ... on ImportFileError { errors { code message field } }
  }
}"""


def upload(api, kind: str, name: str, content: bytes, **variables):
    operations = {"query": MUTATION, "variables": {"kind": kind, "file": None, **variables}}
    return api.client.post("/graphql", headers={"Authorization": f"Bearer {api.token}"},
                           data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
                           files={"0": (name, content, "text/csv")})


def test_import_file_returns_summary_and_error_report(api):
    response = upload(api, "orgchart", "orgchart.csv", fixture("orgchart.csv").read_bytes())
    assert response.status_code == 200, response.text
    result = response.json()["data"]["importFile"]
    assert result["__typename"] == "ImportFileSuccess"
    assert (result["read"], result["written"], result["skipped"], result["errorCount"]) == (15, 4, 11, 11)
    assert "manager <- manager" in result["mapping"]
    assert result["errors"][0] == {"row": 6, "column": "email", "value": "not-an-email",
                                   "reason": "not a valid e-mail address"}
    assert result["errorCsv"].splitlines()[0] == "row,column,value,reason"
    again = upload(api, "orgchart", "orgchart.csv", fixture("orgchart.csv").read_bytes()).json()["data"]["importFile"]
    assert (again["written"], again["unchanged"], again["nodesCreated"]) == (0, 4, 0)
    from crn.graph import db

    stamps = db.read("MATCH (p:Person) RETURN DISTINCT p.updated_by AS by")
    admin = db.read_one("MATCH (u:User {email: 'admin@test.io'}) RETURN u.uid AS uid")["uid"]
    assert stamps == [{"by": admin}]  # the acting admin is stamped on what the import wrote


def test_strict_and_bad_input_are_typed_errors(api):
    strict = upload(api, "orgchart", "orgchart.csv", fixture("orgchart.csv").read_bytes(), strict=True)
    assert strict.json()["data"]["importFile"]["committed"] is False
    bad_kind = upload(api, "spaceships", "x.csv", b"a,b\n1,2\n").json()["data"]["importFile"]
    assert bad_kind["__typename"] == "ImportFileError" and bad_kind["errors"][0]["code"] == "invalid_kind"
    exe = upload(api, "contacts", "x.exe", b"MZ").json()["data"]["importFile"]
    assert exe["errors"][0]["code"] == "unsupported_format"


def test_upload_limit(api, monkeypatch):
    monkeypatch.setenv("CRN_UPLOAD_LIMIT_MB", "1")
    api = Api(TestClient(create_app()), api.token)  # settings are read once, when the app is made
    big = b"name,email\n" + b"x,x@y.example\n" * 100_000
    response = upload(api, "contacts", "big.csv", big)  # the body is refused before it is parsed
    assert response.status_code == 413 and response.json()["errors"][0]["extensions"]["code"] == "too_large"
    just_over = b"name,email\n" + b"\n" * (1024 * 1024 - 10)  # the body fits, the file is one byte too many
    result = upload(api, "contacts", "big.csv", just_over).json()["data"]["importFile"]
    assert result["__typename"] == "ImportFileError" and result["errors"][0]["code"] == "too_large"


def test_viewers_are_refused(viewer_api, graph):
    response = upload(viewer_api, "orgchart", "orgchart.csv", fixture("orgchart.csv").read_bytes())
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "forbidden"
    assert graph.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"] == 0


# -- the import page: fields with captions, a chosen mapping, columns, progress, the capped error CSV ----------

PAGE_IMPORT = """mutation($kind: String!, $file: Upload!, $dryRun: Boolean!, $columns: [ImportColumnInput!],
                  $progressId: String) {
  importFile(kind: $kind, file: $file, dryRun: $dryRun, columns: $columns, progressId: $progressId) {
    __typename
    ... on ImportFileSuccess { read written skipped errorCount committed columns { header field }
                               errors { row column reason } errorCsvTruncated }
    ... on ImportFileError { errors { code message field } }
  }
}"""
PEOPLE = b"Who,Inbox,Phone Number,Notes\nAda Lovelace,ada@example.org,,first\nNo Mail,,,second\n"


def page_upload(api, content: bytes, name: str = "people.csv", kind: str = "contacts", **variables):
    operations = {"query": PAGE_IMPORT, "variables": {"kind": kind, "file": None, "dryRun": True, **variables}}
    response = api.client.post("/graphql", headers={"Authorization": f"Bearer {api.token}"},
                               data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
                               files={"0": (name, content, "text/csv")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]["importFile"]


def test_import_fields_list_a_kinds_columns_with_captions_and_custom_fields(api, viewer_api):
    from crn.crm import fields as custom

    custom.define("Person", None, "text", {"caption_en": "Shoe size", "caption_zh": "鞋码"}, None)
    query = "query($kind: String!) { importFields(kind: $kind) { name captionEn captionZh required } }"
    found = {f["name"]: f for f in api.data(query, {"kind": "contacts"})["importFields"]}
    assert found["email"]["captionZh"] and found["email"]["captionEn"]
    assert found["manager"] == {"name": "manager", "captionEn": "Manager", "captionZh": "上级", "required": False}
    assert found["shoe_size"] == {"name": "shoe_size", "captionEn": "Shoe size", "captionZh": "鞋码", "required": False}
    orders = {f["name"]: f for f in api.data(query, {"kind": "orders"})["importFields"]}
    assert orders["number"]["required"] is True
    bad = api.gql(query, {"kind": "graph"})
    assert bad["errors"][0]["extensions"]["code"] == "invalid_kind" and "companies" in bad["errors"][0]["message"]
    assert viewer_api.gql(query, {"kind": "contacts"})["errors"][0]["extensions"]["code"] == "forbidden"


def test_a_chosen_mapping_replaces_the_detected_one(api, graph):
    first = page_upload(api, PEOPLE)
    # every file column in file order, with the field it fed (the unrecognised ones null)
    assert first["columns"] == [{"header": "Who", "field": None}, {"header": "Inbox", "field": None},
                                {"header": "Phone Number", "field": "phones"}, {"header": "Notes", "field": None}]
    assert first["skipped"] == 2 and first["committed"] is False
    chosen = [{"header": "Who", "field": "name"}, {"header": "Inbox", "field": "email"},
              {"header": "Phone Number", "field": None}, {"header": "Notes"}]
    checked = page_upload(api, PEOPLE, columns=chosen)
    assert [c["field"] for c in checked["columns"]] == ["name", "email", None, None]
    assert (checked["read"], checked["skipped"], checked["errorCount"]) == (2, 1, 1)
    assert checked["errors"][0]["row"] == 3 and "id or an e-mail" in checked["errors"][0]["reason"]
    assert graph.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"] == 0  # a dry run writes nothing
    done = page_upload(api, PEOPLE, columns=chosen, dryRun=False)
    assert (done["written"], done["committed"]) == (1, True)
    assert graph.read("MATCH (p:Person) RETURN p.name AS name, p.email AS email") == [
        {"name": "Ada Lovelace", "email": "ada@example.org"}]
    twice = page_upload(api, PEOPLE, columns=[{"header": "Who", "field": "name"},
                                              {"header": "Inbox", "field": "name"}])
    assert twice["__typename"] == "ImportFileError"
    assert twice["errors"][0]["code"] == "bad_mapping" and twice["errors"][0]["field"] == "columns"
    unknown = page_upload(api, PEOPLE, columns=[{"header": "Who", "field": "shoe"}])
    assert unknown["errors"][0]["code"] == "bad_mapping" and "shoe" in unknown["errors"][0]["message"]
    absent = page_upload(api, PEOPLE, columns=[{"header": "Nickname", "field": "name"}])
    assert absent["errors"][0]["code"] == "bad_mapping" and "Nickname" in absent["errors"][0]["message"]


def test_import_progress_is_the_importing_users_only(api, viewer_api):
    from crn.ingest import progress

    progress.clear()
    query = "query($id: String!) { importProgress(id: $id) { phase step steps done total } }"
    assert api.data(query, {"id": "job-12345678"})["importProgress"] is None
    done = page_upload(api, PEOPLE, dryRun=False, progressId="job-12345678",
                       columns=[{"header": "Who", "field": "name"}, {"header": "Inbox", "field": "email"}])
    assert done["committed"] is True
    assert api.data(query, {"id": "job-12345678"})["importProgress"] == {
        "phase": "done", "step": 4, "steps": 4, "done": 2, "total": 2}
    other = _api_as("manager")
    assert other.data(query, {"id": "job-12345678"})["importProgress"] is None  # someone else's import
    assert viewer_api.gql(query, {"id": "job-12345678"})["errors"][0]["extensions"]["code"] == "forbidden"
    assert api.gql(query, {"id": "short"})["errors"][0]["extensions"]["code"] == "invalid_id"
    bad = page_upload(api, PEOPLE, progressId="../../etc")
    assert bad["errors"][0]["code"] == "invalid_id" and bad["errors"][0]["field"] == "progressId"


def _api_as(role: str) -> Api:
    from tests.schema.conftest import _api

    return _api(role)


def test_a_cut_error_csv_is_flagged_in_the_answer(api, monkeypatch):
    from crn.schema.ingest import mutations

    whole = page_upload(api, PEOPLE)
    assert whole["errorCsvTruncated"] is False
    monkeypatch.setattr(mutations, "ERROR_CSV_MAX_BYTES", 40)  # the header row and not one problem row
    operations = {"query": "mutation($file: Upload!) { importFile(kind: \"contacts\", file: $file, dryRun: true) "
                           "{ ... on ImportFileSuccess { errorCount errorCsv errorCsvTruncated } } }",
                  "variables": {"file": None}}
    cut = api.client.post("/graphql", headers={"Authorization": f"Bearer {api.token}"},
                          data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
                          files={"0": ("people.csv", PEOPLE, "text/csv")}).json()["data"]["importFile"]
    assert cut["errorCount"] == 2 and cut["errorCsvTruncated"] is True
    assert cut["errorCsv"] == "row,column,value,reason\n"


def test_the_error_csv_is_cut_at_a_whole_row_past_its_limit():
    from crn.schema.ingest.mutations import cut_error_csv

    text = "row,column,value,reason\r\n2,email,x,bad\r\n3,email,y,bad\r\n"
    size = len(text.encode())
    assert cut_error_csv(text, size) == (text, False)  # exactly at the limit: whole
    cut, truncated = cut_error_csv(text, size - 1)  # one byte over: the last row goes
    assert truncated and cut == "row,column,value,reason\r\n2,email,x,bad\r\n"
    assert cut_error_csv("行,列\r\n", len("行,列\r\n".encode())) == ("行,列\r\n", False)  # bytes, not characters


TABLE = """query($headers: [String!]!, $rows: JSON!, $format: String! = "xlsx") {
  tableExport(headers: $headers, rows: $rows, format: $format) {
    __typename ... on TableExportSuccess { contentType contentBase64 rows }
    ... on TableExportError { errors { code message field } } } }"""


def test_table_export_writes_an_xlsx_of_the_rows_given(api, viewer_api):
    import base64
    import io

    import openpyxl

    rows = [["Big deal", 1200.5, "CNY", True], ["=HYPERLINK(\"http://x\")", None, "USD", False]]
    out = viewer_api.data(TABLE, {"headers": ["name", "amount", "currency", "won"], "rows": rows})["tableExport"]
    assert out["__typename"] == "TableExportSuccess" and out["rows"] == 2
    assert out["contentType"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(out["contentBase64"]))).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["name", "amount", "currency", "won"]
    assert values[1] == ["Big deal", 1200.5, "CNY", True]  # numbers stay numbers
    assert values[2][0] == "'=HYPERLINK(\"http://x\")"  # a formula is neutralised


def test_table_export_limits_at_their_edges(api, monkeypatch):
    from crn.ingest import exporter

    monkeypatch.setattr(exporter, "TABLE_MAX_ROWS", 3)
    ok = api.data(TABLE, {"headers": ["a"], "rows": [["x"]] * 3})["tableExport"]
    assert ok["__typename"] == "TableExportSuccess" and ok["rows"] == 3
    over = api.data(TABLE, {"headers": ["a"], "rows": [["x"]] * 4})["tableExport"]
    assert over["__typename"] == "TableExportError" and "at most 3 rows" in over["errors"][0]["message"]
    long_ok = api.data(TABLE, {"headers": ["a"], "rows": [["x" * exporter.TABLE_MAX_CELL_CHARS]]})["tableExport"]
    assert long_ok["__typename"] == "TableExportSuccess"
    too_long = api.data(TABLE, {"headers": ["a"], "rows": [["x" * (exporter.TABLE_MAX_CELL_CHARS + 1)]]})["tableExport"]
    assert "at most" in too_long["errors"][0]["message"]
    cols = [f"c{i}" for i in range(exporter.TABLE_MAX_COLUMNS)]
    assert api.data(TABLE, {"headers": cols, "rows": [[1] * len(cols)]})["tableExport"]["__typename"] == \
        "TableExportSuccess"
    wide = api.data(TABLE, {"headers": [*cols, "one more"], "rows": []})["tableExport"]
    assert wide["__typename"] == "TableExportError"
    for headers, rows, words in ((["a", "a"], [], "same header"), (["a", "b"], [["x"]], "row 1 must be"),
                                 (["a"], [[{"x": 1}]], "row 1, column 'a'"), (["a"], {"x": 1}, "list of rows")):
        bad = api.data(TABLE, {"headers": headers, "rows": rows})["tableExport"]
        assert bad["__typename"] == "TableExportError" and words in bad["errors"][0]["message"], bad
    fmt = api.data(TABLE, {"headers": ["a"], "rows": [], "format": "pdf"})["tableExport"]
    assert "unknown format" in fmt["errors"][0]["message"]
