"""The audit trail in the browser: an account's History section lists who changed what, when and through what
(before -> after); the admin page #/admin/audit filters the trail, pages it and verifies the hash chain.

The company is named per run and deleted at the end (its history stays, as an audit trail does).
"""

from __future__ import annotations

import uuid

from tests.web.conftest import ADMIN_EMAIL
from tests.web.test_ui import new_page, sign_in, wait_ready

CREATE = """mutation($name: String!) { companyCreate(input: {name: $name, city: "Hangzhou"}) {
  ... on CompanyCreateSuccess { company { id uid } } } }"""
UPDATE = """mutation($id: ID!) { companyUpdate(id: $id, input: {city: "Suzhou"}) { __typename } }"""
DELETE = """mutation($id: ID!) { companyDelete(id: $id, force: true) { __typename } }"""


def test_history_section_and_the_admin_audit_page(browser, server, api, shot):
    run = uuid.uuid4().hex[:6]
    company = api(CREATE, name=f"Audited {run}")["companyCreate"]["company"]
    api(UPDATE, id=company["id"])
    page = new_page(browser)
    try:
        sign_in(page, server, ADMIN_EMAIL)
        # 1. The account's History: the change through the API, city Hangzhou -> Suzhou, newest first
        page.goto(f"{server}/#/company/{company['id']}")
        wait_ready(page)
        history = page.locator("[data-testid=section-history]")
        history.locator("[data-testid=history-entry]").first.wait_for()
        entries = history.locator("[data-testid=history-entry]")
        assert entries.count() == 2
        newest = entries.nth(0)
        assert newest.get_attribute("data-action") == "update"
        text = newest.inner_text()
        assert "Changed" in text and "Hangzhou → Suzhou" in text and "API" in text and "Web Test Admin" in text
        assert entries.nth(1).get_attribute("data-action") == "create"
        shot(page, "history")

        # 2. The admin page: this record's entries by filter, the sign-in through the web UI, the chain verified
        page.click("[data-testid=nav-audit]")
        wait_ready(page)
        page.locator("[data-testid=audit-row]").first.wait_for()
        page.fill("[data-testid=audit-filter-uid]", company["uid"])
        page.click("[data-testid=audit-apply]")
        page.wait_for_function("() => document.querySelectorAll('[data-testid=audit-row]').length === 2")
        assert "2 entries" in page.locator("[data-testid=audit-total]").inner_text()
        page.fill("[data-testid=audit-filter-uid]", "")
        page.select_option("[data-testid=audit-filter-action]", "login")
        page.select_option("[data-testid=audit-filter-channel]", "ui")
        page.click("[data-testid=audit-apply]")
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=audit-row]')]"
                               ".every((r) => r.textContent.includes('Signed in') && r.textContent.includes('web UI'))"
                               " && document.querySelectorAll('[data-testid=audit-row]').length > 0")
        page.click("[data-testid=audit-verify]")
        verdict = page.locator("[data-testid=audit-verdict][data-ok]")
        verdict.wait_for()
        assert verdict.get_attribute("data-ok") == "1", verdict.inner_text()
        assert "Chain verified" in verdict.inner_text()
        shot(page, "admin-audit")
        # 3. In Chinese
        page.select_option("[data-testid=lang-switch]", "zh")
        wait_ready(page)
        assert page.inner_text("h1") == "审计日志" and page.inner_text("[data-testid=audit-verify]") == "校验哈希链"
        page.select_option("[data-testid=lang-switch]", "en")
        assert not page.errors
    finally:
        page.context.close()
        api(DELETE, id=company["id"])
