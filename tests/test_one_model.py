"""One model: a record field is declared once, on its neomodel class, and every part of crn follows.

``test_adding_a_field_is_one_edit`` makes that one edit to a copy of crn (a line added to the Company class)
and checks, in a fresh interpreter against the test database, that the field is in the API (type, input,
filter, sort, form), the importer (by name, caption in either language and alias), the export and the
automation vocabulary. ``test_no_record_field_list_outside_the_model`` fails when code lists a record's
fields by hand again.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from crn.graph.models.catalog import RECORDS

ROOT = Path(__file__).resolve().parent.parent
BASE_FIELDS = {"uid", "tags", "external_ids", "created_at", "updated_at", "updated_by"}
# Lists of record fields that are a decision of their own, not a copy of the model, and why.
ALLOWED = {
    # which properties make two companies the same one: a matching rule of the duplicate finder
    ("crn/ingest/dedupe.py", "Company"),
}

EDIT = '''    stock_symbol = StringProperty(caption=("Stock symbol", "股票代码"), filter="in", sort=True,
                                  aliases=("ticker", "symbol"))
'''

PROBE = r'''
import csv, json, sys, tempfile
from pathlib import Path
from starlette.testclient import TestClient
from crn import auth
from crn.app import create_app
from crn.automation import vocabulary
from crn.crm import records
from crn.graph import db
from crn.ingest.exporter import export_entities
from crn.ingest.importer import run_import
from crn.graph.access import SYSTEM, bind

bind(SYSTEM)  # a script acts as crn itself, as the CLI does (issue 13)
db.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")  # the schema version record stays
auth.create_user("one@edit.io", "One", "longenough", "admin")
client = TestClient(create_app())
token = auth.create_token("one@edit.io")

def gql(query, variables=None):
    r = client.post("/graphql", json={"query": query, "variables": variables or {}},
                    headers={"Authorization": f"Bearer {token}"})
    body = r.json()
    assert "errors" not in body, body
    return body["data"]

out = {}
made = gql("""mutation { companyCreate(input: {name: "Acme", stockSymbol: "ACM"}) {
  __typename ... on CompanyCreateSuccess { company { id stockSymbol } } } }""")["companyCreate"]
out["api_create"] = made["company"]["stockSymbol"]
listed = gql("""{ companies(filter: {stockSymbol: ["ACM"]}, sort: {field: STOCK_SYMBOL, direction: ASC}) {
  totalCount edges { node { name stockSymbol } } } }""")["companies"]
out["api_filter"] = [e["node"]["name"] for e in listed["edges"]]
form = gql("""{ recordForm(type: COMPANY) { fields { key labelEn labelZh } } }""")["recordForm"]["fields"]
out["form"] = [f for f in form if f["key"] == "stock_symbol"]
tmp = Path(tempfile.mkdtemp())
for i, header in enumerate(("stock_symbol", "股票代码", "Ticker")):
    src = tmp / f"in{i}.csv"
    src.write_text(f"name,{header}\nCo{i},S{i}\n", encoding="utf-8")
    summary = run_import("companies", src)
    out.setdefault("import", []).append(summary.mapping.columns.get("stock_symbol"))
out["stored"] = sorted(r["s"] for r in db.read("MATCH (c:Company) WHERE c.stock_symbol IS NOT NULL RETURN c.stock_symbol AS s"))
dest = tmp / "out.csv"
export_entities("companies", dest, "csv", {"stock_symbol": "S1"})
out["export"] = [row["stock_symbol"] for row in csv.DictReader(dest.open(encoding="utf-8-sig"))]
out["automation"] = vocabulary.VARIABLES["record.stock_symbol"].label
out["validation"] = [e.code for e in records.create_record("Company", {"name": "X", "stock_symbol": ["a"]}, None).errors]
print("RESULT " + json.dumps(out, ensure_ascii=False))
'''


def test_adding_a_field_is_one_edit(clean_db, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "crn", copy / "crn", ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    model = copy / "crn" / "graph" / "models" / "company.py"
    text = model.read_text()
    anchor = "    lifecycle = choice(LIFECYCLE"
    assert anchor in text
    model.write_text(text.replace(anchor, EDIT + anchor, 1))  # the one edit
    env = {**os.environ, "PYTHONPATH": str(copy), "CRN_TOKEN_CACHE_SECONDS": "0"}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=copy, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))[7:])
    assert result["api_create"] == "ACM" and result["api_filter"] == ["Acme"]
    assert result["form"] == [{"key": "stock_symbol", "labelEn": "Stock symbol", "labelZh": "股票代码"}]
    assert result["import"] == ["stock_symbol", "股票代码", "Ticker"]
    assert result["stored"] == ["ACM", "S0", "S1", "S2"]
    assert result["export"] == ["S1"]
    assert result["automation"] == "Company Stock symbol"
    assert result["validation"] == []  # a list is stringified like any text field


def _literal_names(node: ast.AST) -> list[str] | None:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    if isinstance(node, ast.ClassDef):
        return [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
    return None


def test_no_record_field_list_outside_the_model():
    own = {label: {f.name for f in r.fields} - BASE_FIELDS for label, r in RECORDS.items()}
    found = []
    for path in sorted((ROOT / "crn").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("crn/graph/models/", "crn/demo/")):  # the model itself; demo data generation
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = _literal_names(node)
            for label, fields in own.items():
                common = [n for n in names or () if n in fields]
                if len(common) >= 4 and (rel, label) not in ALLOWED:
                    found.append(f"{rel}:{node.lineno} lists {label} fields {common} — derive them from "
                                 "crn.graph.models.catalog (or crn.crm.records.spec for custom fields) instead")
    assert not found, "\n".join(found)
