"""Every query of crn.graph.queries that reads a protected record type checks visibility (issue 13).

A query (a module-level string, or the text a query-building function returns for sample arguments) that
MATCHes a protected label (crn.graph.access.PROTECTED: Company, Person, Deal, Ticket, Interaction, Order) or an
unlabelled node by uid must call ``readable()``/``writable()`` (its text then reads ``$access``), or be listed
in ALLOWED below with the reason: crn's own jobs (the worker, the CLI, migrations, the demo loader) that run
with SYSTEM access, writes whose caller checked access in the same transaction, and aggregate jobs that reveal
no record.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import crn.graph.queries as queries_pkg
from crn.graph.access import PROTECTED

# module.NAME -> why it needs no visibility check
ALLOWED: dict[str, str] = {
    # prefixes (ending in "."): every query of the module
    "automation.": "automation internals (outbox, schedules, scans, rule contexts) run by the worker as crn; a "
                   "rule's action runs with its author's access and is refused on a record the author cannot "
                   "read (crn.automation.authority.sees); what users see of rules is filtered by crn.automation.store",
    "intel.": "analysis inputs (projections): what an analysis shows is redacted by crn.intel.redact, and the "
              "amounts it sums (CORPORATE_FAMILY) count readable deals only",
    "demo.": "the demo loader (CLI, SYSTEM)",
    "fields.": "custom field definitions (no records)",
    "saved_views.": "a user's own saved filters (no records)",
    "auth.": "users, tokens and sessions (not protected records)",
    "privacy.": "personal-data rights (crn.crm.privacy): the API's privacy section first checks PERSON_READABLE / "
                "PERSON_WRITABLE (crn.schema.privacy); the data-subject export and erasure are admin-only and refused "
                "before any query runs; consent checks of sends run inside the rule author's access after the "
                "subject check; the signed unsubscribe link and retention (the worker) act as crn",
    "sharing.": "the access model itself (crn.crm.access): materialising acl_r/acl_w inside write transactions, "
                "rebuilds, and the admin screens of teams, territories, sharing rules and owners",
    # single queries
    "board.BOARD_FILTERS": "fragments of board(), whose query checks readable(d)",
    "records.update": "runs after crn.crm.records._writable_row in the same transaction",
    "records.delete": "runs after crn.crm.records._writable_row in the same transaction",
    "records.create": "creates: nothing to read",
    "records.by_external_id": "upsert: finds the uid, then update_record checks read/write access",
    "records.taken": "uniqueness holds across every record (the answer is a code, not the record)",
    "records.DEPENDENTS": "counts, after _writable_row checked the record",
    "records.MARK_DEAL_CUSTOMER": "a consequence of a checked deal update",
    "links.link": "runs after crn.crm.links._ends/_check_writable in the same transaction",
    "links.unlink": "runs after crn.crm.links._ends/_check_writable in the same transaction",
    "links.would_cycle": "a yes/no about a link whose ends were checked",
    "links.mark_customer": "a consequence of a checked link",
    "links.MARK_WON_DEAL_CUSTOMER": "a consequence of a checked link",
    "ticket_queue.REASSIGN": "runs after GET_TICKET checked the ticket in the same transaction",
    "tasks.GET_TASK": "tasks are the assignee's own (not protected records)",
    **{f"ingest.{name}": "bulk import/merge writes, after crn.ingest.plan.access_problems or merge_records checked "
                         "access" for name in ("create_nodes", "update_nodes", "existing_rels", "create_rels",
                                               "update_rels", "DELETE_RELS", "merge_rel_types", "merge_move_out",
                                               "merge_move_in", "merge_finish", "graph_create_nodes", "COUNT_NODES")},
    "ingest.ext_key_migrations": "schema statements (migrations)",
    "views.range_names": "names of filters, no query",
    "views.field_filters": "fragments of list_nodes(), whose query checks readable(o)",
    "views.custom_conditions": "fragments of list_nodes(), whose query checks readable(o)",
    "ingest.OPEN_PARENT_SHARES": "an import's consistency check (its answer is a row error, not a record)",
    "ingest.OPEN_SOLID_MANAGERS": "an import's consistency check (its answer is a row error, not a record)",
}


_PROTECTED_MATCH = re.compile(r"\((\w*):(?:\w+\|)*(" + "|".join(PROTECTED) + r")\b|\(\w+ \{uid:")


def _modules():
    for info in pkgutil.iter_modules(queries_pkg.__path__):
        if info.name != "access":
            yield info.name, importlib.import_module(f"crn.graph.queries.{info.name}")


def _sample_call(fn):
    """The text of a query-building function for plausible arguments (None when it takes ones we cannot guess)."""
    params = [p for p in inspect.signature(inspect.unwrap(fn)).parameters.values()
              if p.default is inspect.Parameter.empty]
    guesses = {"label": "Company", "name": "company_contacts", "depth": 1, "filters": (), "sort": "name",
               "descending": False, "plan": (), "key": "uid", "start_label": "Company", "end_label": "Company",
               "from_labels": ("Person",), "to_labels": ("Company",), "rel_type": "WORKS_AT", "single": False,
               "open_stint": False, "solid_only": False, "prop": "domain", "labels": ["Company"],
               "reverse": False, "custom": ()}
    try:
        return fn(*[guesses[p.name] for p in params])
    except (KeyError, ValueError, TypeError):
        return None


SKIPPED: list[str] = []


def _queries():
    SKIPPED.clear()
    for mod_name, mod in _modules():
        for name, value in vars(mod).items():
            if name.startswith("_") or getattr(value, "__module__", mod.__name__) != mod.__name__:
                continue
            if isinstance(value, str):
                yield f"{mod_name}.{name}", value
            elif isinstance(value, dict):
                for k, v in value.items():
                    if isinstance(v, str):
                        yield f"{mod_name}.{name}[{k}]", v
            elif callable(value) and inspect.isfunction(inspect.unwrap(value)):
                text = _sample_call(value)
                if isinstance(text, str):
                    yield f"{mod_name}.{name}", text
                else:
                    SKIPPED.append(f"{mod_name}.{name}")


def _allowed(qualified: str) -> bool:
    base = qualified.split("[")[0]
    return base in ALLOWED or any(k.endswith(".") and base.startswith(k) for k in ALLOWED)


def test_every_query_of_a_protected_label_checks_visibility_or_says_why_not():
    unchecked = sorted(name for name, text in _queries()
                       if _PROTECTED_MATCH.search(text) and "$access" not in text and not _allowed(name))
    assert not unchecked, ("these queries read protected records without readable()/writable() (see "
                           f"crn.graph.queries.access) and are not in ALLOWED with a reason: {unchecked}")


def test_the_allow_list_names_queries_that_exist():
    names = {name.split("[")[0] for name, _ in _queries()} | set(SKIPPED)
    stale = [k for k in ALLOWED if not k.endswith(".") and k not in names]
    assert not stale, f"ALLOWED names queries that no longer exist (or take arguments this test cannot guess): {stale}"


@pytest.mark.parametrize("label", PROTECTED)
def test_the_list_and_by_uid_queries_of_every_protected_label_check_visibility(label):
    from crn.graph.queries import views

    assert "$access" in views.NODES_BY_UID[label]
    assert "$access" in views.list_nodes(label, (), next(iter(views.LIST_SORTS[label])), False)


def test_every_query_building_function_is_checked():
    list(_queries())
    builders = [n for n in SKIPPED if not _allowed(n)]
    assert not builders, f"give these query builders sample arguments in _sample_call: {builders}"
