"""Full-text search over names, emails and domains, in English and Chinese, through the real index."""

import pytest

from crn.crm.search import lucene_query, search
from crn.graph.models import Company, Person


def test_lucene_query_escapes_and_prefixes():
    assert lucene_query("acme co") == "acme* AND co*"
    assert lucene_query("a+b (c)") == "a\\+b* AND \\(c\\)*"
    assert lucene_query("趋势集团") == '"趋势集团"'
    assert lucene_query("   ") == ""


@pytest.fixture
def records(clean_db):
    Company(name="趋势集团有限公司", domain="qushi.example").save()
    Company(name="Acme Group", domain="acme.example").save()
    Person(name="王伟", email="wei.wang@acme.example").save()
    Person(name="Alice Example", email="alice@other.example").save()


def names(hits):
    return sorted(h.name for h in hits)


def test_chinese_names_are_found_by_any_run_of_characters(records):
    assert names(search("趋势集团")) == ["趋势集团有限公司"]
    assert names(search("集团有限")) == ["趋势集团有限公司"]
    assert names(search("王伟")) == ["王伟"]


def test_prefixes_emails_and_domains(records):
    assert names(search("acm")) == ["Acme Group", "王伟"]  # the name, and the e-mail's domain part
    assert names(search("alice@other.example")) == ["Alice Example"]
    assert names(search("qushi.example")) == ["趋势集团有限公司"]
    assert names(search("wei.wang@acm")) == ["王伟"]


def test_types_filter_and_hostile_text(records):
    assert names(search("acme", types=("Company",))) == ["Acme Group"]
    assert search('") OR *:* AND ("') == []
