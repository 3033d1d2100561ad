"""Custom fields in the browser: an admin adds a choice field on the custom fields page; it appears at once in
the new-company form (captions and options in English and Chinese), its value is saved through the API and
shown on the account; removing it (after confirmation) takes it out of the form; non-admins do not manage fields.

The field and company are named per run and purged / left detached from the demo records other tests read.
"""

from __future__ import annotations

import re
import uuid

from tests.web.conftest import ADMIN_EMAIL, PASSWORD
from tests.web.test_ui import new_page, sign_in, wait_ready

COMPANY = "query($id: ID!) { company(id: $id) { name customFields { name text } } }"
DEFS = "query { customFieldDefinitions(recordType: \"Company\", includeRemoved: true) { name status version } }"


def test_an_admin_adds_a_field_and_it_is_in_the_form_the_account_and_then_gone(browser, server, api, shot):
    run = uuid.uuid4().hex[:6]
    key, caption = f"region_{run}", f"Region {run}"
    camel = f"region{run[0].upper()}{run[1:]}"  # the form's input name for the key
    page = new_page(browser)
    sign_in(page, server, ADMIN_EMAIL)
    page.click("[data-testid=nav-fields]")
    wait_ready(page)

    # 1. Define: a choice field with labels in both languages; a missing caption is refused at its field first.
    form = page.locator("[data-testid=field-form]")
    form.locator("[data-testid=field-kind]").select_option("choice")
    form.locator("[data-testid=field-options]").fill("north | North | 华北\nsouth | South | 华南")
    form.locator("[data-testid=field-save]").click()
    error = form.locator("[data-error-for=captionEn]")
    error.wait_for(state="visible")
    assert "English caption is required" in error.inner_text()
    form.locator("[data-testid=field-caption-en]").fill(caption)
    form.locator("[data-testid=field-caption-zh]").fill(f"大区 {run}")
    form.locator("[data-testid=field-save]").click()
    row = page.locator(f"[data-testid=field-row][data-field={key}]")
    row.wait_for()
    assert "North, South" in row.inner_text()
    assert {"name": key, "status": "active", "version": 1} in api(DEFS)["customFieldDefinitions"]
    shot(page, "custom-fields")

    # 2. The new-company form has it, with its options; the value is saved and shown on the account.
    page.click("[data-testid=new-menu]")
    page.click("[data-testid=new-company]")
    dialog = page.locator("dialog[data-testid=form-company]")
    select = dialog.locator(f"[data-testid=field-{camel}]")
    select.wait_for()
    assert select.locator("option").all_inner_texts()[1:] == ["North", "South"]
    dialog.locator("[data-testid=field-name]").fill(f"Fieldwork {run}")
    select.select_option("south")
    dialog.locator("[data-testid=form-save]").click()
    page.wait_for_url(re.compile(r"#/company/"))
    wait_ready(page)
    page.locator("[data-testid=section-profile]", has_text=caption).wait_for()
    company_id = page.evaluate("() => decodeURIComponent(location.hash.split('/')[2])")
    stored = api(COMPANY, id=company_id)["company"]
    assert stored["name"] == f"Fieldwork {run}" and {"name": key, "text": "south"} in stored["customFields"]

    # 3. In Chinese the form shows the Chinese caption and option labels.
    page.select_option("[data-testid=lang-switch]", "zh")
    page.click("[data-testid=new-menu]")
    page.click("[data-testid=new-company]")
    dialog = page.locator("dialog[data-testid=form-company]")
    dialog.locator(f"label:has-text('大区 {run}')").wait_for()
    assert "华南" in dialog.locator(f"[data-field={camel}]").inner_text()
    page.keyboard.press("Escape")
    page.select_option("[data-testid=lang-switch]", "en")

    # 4. Remove (confirmed): hidden from the form, the value kept; purge deletes it.
    page.goto(server + "/#/admin/fields?type=Company")
    wait_ready(page)
    page.locator(f"[data-testid=field-row][data-field={key}] [data-testid=field-remove]").click()
    page.click("[data-testid=confirm-ok]")
    page.locator(f"[data-testid=field-row][data-field={key}][data-status=removed]").wait_for()
    page.click("[data-testid=new-menu]")
    page.click("[data-testid=new-company]")
    dialog = page.locator("dialog[data-testid=form-company]")
    dialog.locator("[data-testid=field-name]").wait_for()
    assert dialog.locator(f"[data-field={camel}]").count() == 0
    page.keyboard.press("Escape")
    page.locator(f"[data-testid=field-row][data-field={key}] [data-testid=field-purge]").click()
    page.click("[data-testid=confirm-ok]")
    page.locator(f"[data-testid=field-row][data-field={key}]").wait_for(state="detached")
    assert not page.errors, page.errors


def test_a_viewer_cannot_manage_fields(browser, server, api):
    from crn.auth import users

    email = "fields-viewer@example.com"
    if users.get_user(email) is None:
        users.create_user(email, "Fields Viewer", PASSWORD, role="viewer")
    page = new_page(browser)
    sign_in(page, server, email)
    assert page.locator("[data-testid=nav-fields]").count() == 0
    page.goto(server + "/#/admin/fields")
    wait_ready(page)
    assert page.locator("[data-testid=fields-admin-only]").is_visible()
