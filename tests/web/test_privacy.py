"""The person's Privacy section in a real browser (privacy, issue 13 §3): an admin records e-mail consent with its
source, downloads the data-subject export, and erases the person after typing their name; the Chinese page
names the same controls; and an admin makes a rule transactional on the rules page. The journeys create their
own person and rule (the demo's stay as they are)."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

from crn.crm import privacy
from tests.web.conftest import ADMIN_EMAIL
from tests.web.test_person_activity import create
from tests.web.test_ui import new_page, sign_in


def test_consent_export_and_erase_from_the_person_panel(browser, server, api, shot):
    tag = uuid.uuid4().hex[:6]
    person = create(api, "Person", name=f"Privacy Pat {tag}", email=f"pat.{tag}@privacy.test")
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    page.goto(f"{server}/#/person/{person['id']}")
    section = page.locator("[data-testid=section-person-privacy]")
    email_row = section.locator("[data-testid=consent-row][data-channel=email]")
    email_row.wait_for()
    assert email_row.get_attribute("data-granted") == "null"
    assert email_row.locator("[data-testid=consent-state]").inner_text() == "Never asked (no consent)"

    # consent: the source is required, then the row shows it
    email_row.locator("[data-testid=consent-toggle]").click()
    dialog = page.locator("[data-testid=consent-dialog]")
    dialog.locator("[data-testid=consent-save]").click()
    assert dialog.locator("[data-error-for=source]").inner_text() == "Say where the consent (or its withdrawal) came from."
    dialog.locator("[data-testid=consent-source]").fill("signup form")
    dialog.locator("[data-testid=consent-save]").click()
    section.locator("[data-testid=consent-row][data-channel=email][data-granted=true]").wait_for()
    assert "signup form" in section.locator("[data-testid=consent-row][data-channel=email]").inner_text()
    assert privacy.consent_of(person["uid"])["email"]["granted"] is True
    shot(page, "privacy-consent")

    # the export downloads a ZIP of everything about them
    with page.expect_download() as download:
        section.locator("[data-testid=privacy-export]").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert json.loads(archive.read("export.json"))["person"]["name"] == person["name"]

    # erase: the button stays off until the name is typed exactly
    section.locator("[data-testid=privacy-erase]").click()
    erase = page.locator("[data-testid=erase-dialog]")
    erase.locator("[data-testid=erase-confirm-input]").fill("Privacy Pat")
    assert erase.locator("[data-testid=erase-confirm]").is_disabled()
    erase.locator("[data-testid=erase-confirm-input]").fill(person["name"])
    erase.locator("[data-testid=erase-confirm]").click()
    section.locator("[data-testid=privacy-erased]").wait_for()
    assert privacy.may_send("email", f"pat.{tag}@privacy.test", "transactional").code == "erased"
    page.locator("[data-testid=view-title]", has_text="Erased person").wait_for()
    shot(page, "privacy-erased")

    # the same section in Chinese
    zh = new_page(browser, locale="zh-CN")
    sign_in(zh, server, ADMIN_EMAIL)
    zh.goto(f"{server}/#/person/{person['id']}")
    zh.locator("[data-testid=section-person-privacy] [data-testid=consent-row]").first.wait_for()
    assert zh.locator("[data-testid=section-person-privacy] h2").inner_text() == "隐私"
    assert zh.locator("[data-testid=privacy-erased]").inner_text() == "此人已被删除（匿名化）。"
    assert zh.locator("[data-testid=privacy-export]").inner_text() == "导出个人数据"


def test_an_admin_makes_a_rule_transactional_on_the_rules_page(browser, server, api):
    from crn.automation import store
    from crn.graph import db

    from tests.web.test_ui import wait_ready

    rule_id = f"web-receipt-{uuid.uuid4().hex[:6]}"
    _, errors = store.save_rule({"id": rule_id, "name": "Order receipt", "active": False,
                                 "trigger": {"kind": "created", "label": "Order"},
                                 "actions": [{"type": "send_email", "params": {"to": "{{record.email}}",
                                                                                "subject": "Your order"}}]})
    assert errors == []
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    page.goto(f"{server}/#/rules")
    wait_ready(page)
    cell = page.locator(f"[data-testid=rule-row][data-rule={rule_id}] [data-testid=rule-purpose]")
    assert cell.get_attribute("data-purpose") == "marketing"
    cell.locator("[data-testid=rule-purpose-select]").select_option("transactional")
    page.locator(f"[data-testid=rule-row][data-rule={rule_id}] [data-testid=rule-purpose][data-purpose=transactional]").wait_for()
    stored = db.read_one("MATCH (r:Rule {id: $id}) RETURN r.purpose AS purpose, r.version AS version", id=rule_id)
    assert stored == {"purpose": "transactional", "version": 2}
    store.delete_rule(rule_id)
