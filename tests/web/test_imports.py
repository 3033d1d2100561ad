"""The import page in the browser: a manager checks a contacts file (the detected mapping and every problem),
maps the unrecognised columns by hand, checks again, imports with progress by phase, and downloads the error
file; the database holds exactly the good rows. Chinese captions once; viewers have no import.

The file's people and company are named per run, so the demo records other tests read are untouched.
"""

from __future__ import annotations

import csv
import io
import uuid

from tests.web.conftest import PASSWORD
from tests.web.test_ui import new_page, sign_in, wait_ready

MANAGER = "web-imports-manager@example.com"
VIEWER = "web-imports-viewer@example.com"
PEOPLE = """MATCH (p:Person) WHERE p.email IN $emails
OPTIONAL MATCH (p)-[w:WORKS_AT]->(c:Company)
RETURN p.name AS name, p.email AS email, p.updated_by AS by, c.name AS company ORDER BY p.email"""


def _user(email: str, role: str) -> str:
    from crn.auth import users

    user = users.get_user(email) or users.create_user(email, f"Web {role.title()}", PASSWORD, role=role)
    return user.uid


def _file(run: str) -> bytes:
    lines = ["Who,Inbox,Company,Remarks",
             f"Ada {run},ada-{run}@example.org,Importworks {run},first",
             f"Bad Mail {run},not-an-email,Importworks {run},second",
             f"Grace {run},grace-{run}@example.org,Importworks {run},third"]
    return ("\n".join(lines) + "\n").encode()


def test_a_manager_checks_maps_imports_and_downloads_the_errors(browser, server, graph, shot):
    run = uuid.uuid4().hex[:6]
    manager = _user(MANAGER, "manager")
    emails = [f"ada-{run}@example.org", f"grace-{run}@example.org"]
    page = new_page(browser)
    sign_in(page, server, MANAGER)
    page.click("[data-testid=nav-import]")
    wait_ready(page)

    # 1. Check: no file is refused at its field; then the detected mapping and the problems, nothing written.
    page.click("[data-testid=import-check]")
    assert page.locator("[data-error-for=file]").inner_text() == "Choose a file to import."
    page.select_option("[data-testid=import-kind]", "contacts")
    page.set_input_files("[data-testid=import-file]", files=[
        {"name": "people.csv", "mimeType": "text/csv", "buffer": _file(run)}])
    page.click("[data-testid=import-check]")
    result = page.locator("[data-testid=import-result][data-state=checked]")
    result.wait_for()
    rows = page.locator("[data-testid=mapping-row]")
    assert [rows.nth(i).get_attribute("data-header") for i in range(rows.count())] == ["Who", "Inbox", "Company", "Remarks"]
    assert [rows.nth(i).get_attribute("data-field") for i in range(rows.count())] == ["", "", "company", ""]
    company_select = page.locator("[data-testid=mapping-row][data-header=Company] select")
    assert company_select.locator("option:checked").inner_text() == "Company (company)"  # caption (name)
    assert "“Who”, “Inbox”, “Remarks”" in page.locator("[data-testid=import-unmapped]").inner_text()
    assert page.locator("[data-testid=import-summary] [data-count=problems]").inner_text() == "3"
    assert page.locator("[data-testid=problem-row]").count() == 3
    assert graph.read(PEOPLE, emails=emails) == []

    # 2. Map the name and e-mail columns by hand: the import waits for a new check, which finds one bad row.
    page.locator("[data-testid=mapping-row][data-header=Who] select").select_option("name")
    page.locator("[data-testid=mapping-row][data-header=Inbox] select").select_option("email")
    assert page.locator("[data-testid=import-run-button]").is_disabled()
    page.click("[data-testid=import-recheck]")
    page.locator("[data-testid=import-summary] [data-count=problems]:text-is('1')").wait_for()
    assert page.locator("[data-testid=import-summary] [data-count=ready]").inner_text() == "2"
    problem = page.locator("[data-testid=problem-row]")
    assert problem.count() == 1
    assert problem.locator("td").all_inner_texts() == ["3", "Inbox", "not-an-email", "not a valid e-mail address"]
    assert page.locator("[data-testid=import-problem-count]").inner_text().startswith("1 problem in 1 row")
    assert graph.read(PEOPLE, emails=emails) == []
    shot(page, "import-checked")

    # 3. Import: the phases end at Done, the counts are the written rows, the database holds the two people.
    #    The import's own answer is held back in the browser: the phases shown meanwhile come from polling
    #    importProgress, i.e. from the server's record of this import.
    held = {}

    def hold_the_upload(route):
        if (route.request.headers.get("content-type") or "").startswith("multipart/"):
            held["response"], held["route"] = route.fetch(), route
        else:
            route.continue_()

    page.route("**/graphql", hold_the_upload)
    button = page.locator("[data-testid=import-run-button]")
    assert button.inner_text() == "Import 2 rows"
    button.click()
    page.locator("[data-testid=import-run][data-phase=done]").wait_for()
    assert page.locator("[data-testid=import-progress-text]").inner_text() == "Done (step 4 of 4) · 3 of 3 rows"
    assert page.locator("[data-testid=import-result][data-state=imported]").count() == 0  # still waiting
    assert graph.read(PEOPLE, emails=emails)  # the server has written them
    held["route"].fulfill(response=held["response"])
    page.unroute("**/graphql")
    page.locator("[data-testid=import-result][data-state=imported]").wait_for()
    assert page.locator("[data-testid=import-progress-text]").inner_text().startswith("Done (step 4 of 4)")
    assert page.locator("[data-testid=import-phases] li.done").count() == 3
    assert page.locator("[data-testid=import-summary] [data-count=written]").inner_text() == "2"
    assert graph.read(PEOPLE, emails=emails) == [
        {"name": f"Ada {run}", "email": emails[0], "by": manager, "company": f"Importworks {run}"},
        {"name": f"Grace {run}", "email": emails[1], "by": manager, "company": f"Importworks {run}"}]
    assert button.is_disabled()  # done: a new import starts with a new check
    shot(page, "import-done")

    # 4. The error file: an attachment with the rejected row and its reason.
    with page.expect_download() as info:
        page.click("[data-testid=import-error-file]")
    download = info.value
    assert download.suggested_filename == "people-errors.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    assert list(csv.reader(io.StringIO(text))) == [["row", "column", "value", "reason"],
                                                   ["3", "Inbox", "not-an-email", "not a valid e-mail address"]]
    assert not page.errors


def _xlsx(run: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in _file(run).decode().splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_page_in_chinese_and_not_for_viewers(browser, server):
    """An XLSX file this time, checked in Chinese at a phone's width."""
    run = uuid.uuid4().hex[:6]
    _user(MANAGER, "manager")
    page = new_page(browser, locale="zh-CN", width=480)  # a phone's width
    sign_in(page, server, MANAGER)
    page.select_option("[data-testid=lang-switch]", "zh")
    page.click("[data-testid=nav-import]")
    wait_ready(page)
    assert page.locator("h1").inner_text() == "导入"
    assert page.locator("[data-testid=import-kind] option[value=contacts]").inner_text() == "联系人"
    page.select_option("[data-testid=import-kind]", "contacts")
    page.set_input_files("[data-testid=import-file]", files=[
        {"name": "people.xlsx", "buffer": _xlsx(run),
         "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("[data-testid=import-check]")
    page.locator("[data-testid=import-result][data-state=checked]").wait_for()
    assert page.locator("[data-testid=import-summary] [data-count=read]").inner_text() == "3"
    company = page.locator("[data-testid=mapping-row][data-header=Company] select option:checked")
    assert company.inner_text() == "公司 (company)"
    assert page.locator("[data-testid=import-mapping] option[value=email]").first.inner_text() == "电子邮箱 (email)"
    assert "未导入的列" in page.locator("[data-testid=import-unmapped]").inner_text()
    assert page.locator("[data-testid=import-result-title]").text_content() == "已检查 people.xlsx（尚未写入）"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling

    _user(VIEWER, "viewer")
    viewer = new_page(browser)
    sign_in(viewer, server, VIEWER)
    assert viewer.locator("[data-testid=nav-import]").count() == 0
    viewer.goto(server + "/#/import")
    wait_ready(viewer)
    assert viewer.locator("[data-testid=imports-read-only]").is_visible()


CREATE_COMPANY = """mutation($input: CompanyInput!) { companyCreate(input: $input) {
  ... on CompanyCreateSuccess { company { id name } } } }"""
CREATE_DEAL = """mutation($input: DealInput!) { dealCreate(input: $input) { ... on DealCreateSuccess { deal { id } } } }"""
LINK = """mutation($input: LinkInput!) { link(input: $input) { __typename } }"""


def test_the_board_table_exports_xlsx_in_its_order(browser, server, api, shot):
    import openpyxl
    from urllib.parse import quote

    tag = uuid.uuid4().hex[:6]
    company = api(CREATE_COMPANY, input={"name": f"Sheetworks {tag}"})["companyCreate"]["company"]
    for name, amount, currency in ((f"Sheet small {tag}", 900, "USD"), (f"Sheet big {tag}", 250000, "CNY"),
                                   (f"=cmd|' /C calc'!A0 {tag}", 10, "USD")):
        deal = api(CREATE_DEAL, input={"name": name, "stage": "proposal", "amount": amount, "currency": currency,
                                       "probability": 0.5, "expectedClose": "2031-05-01"})["dealCreate"]["deal"]
        assert api(LINK, input={"type": "DEAL_COMPANY", "fromId": deal["id"], "toId": company["id"]})["link"][
            "__typename"] == "LinkSuccess"
    page = new_page(browser)
    from tests.web.conftest import ADMIN_EMAIL

    sign_in(page, server, ADMIN_EMAIL)
    page.goto(server + f"/#/pipeline?company={quote(company['id'])}&view=table&sort=amount&dir=desc")
    wait_ready(page)
    rows = page.locator("[data-testid=deals-table] tbody [data-testid=deal-row]")
    rows.first.wait_for()
    assert rows.count() == 3
    with page.expect_download() as info:
        page.click("[data-testid=export-xlsx]")
    download = info.value
    assert download.suggested_filename.startswith("pipeline-") and download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:7] == ["id", "name", "company", "stage", "status", "amount", "currency"]
    assert [r[1] for r in values[1:]] == [f"Sheet big {tag}", f"Sheet small {tag}", f"'=cmd|' /C calc'!A0 {tag}"]
    assert values[1][5] == 250000 and values[1][6] == "CNY" and values[1][2] == f"Sheetworks {tag}"
    assert isinstance(values[2][5], (int, float))  # amounts stay numbers in the workbook
    assert page.locator("[data-testid=export-error]").inner_text() == ""
    assert not page.errors
