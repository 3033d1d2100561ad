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
