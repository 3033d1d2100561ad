"""crn.schema.base and crn.schema.http helpers: global ids, cursors and windows (pure; no database)."""

import doctest

import pytest

from crn.schema import base, http


def test_doctests():
    assert doctest.testmod(base).failed == 0
    assert doctest.testmod(http).failed == 0


def test_windows_and_errors():
    # outside a request the largest page is given (inside one it is the app's CRN_MAX_PAGE_SIZE)
    assert base.page_window(max_size=100) == base.Window(0, base.DEFAULT_PAGE_SIZE)
    end = base.page_window(first=5, max_size=100).connection(12, list(range(5)),
                                                             lambda row, c: base.Edge(cursor=c, node=row))
    assert end.page_info.has_next_page and not end.page_info.has_previous_page
    nxt = base.page_window(first=5, after=end.page_info.end_cursor, max_size=100)
    assert nxt == base.Window(5, 5)
    with pytest.raises(base.ClientError, match="exceeds the `first` limit of 100"):
        base.page_window(first=101, max_size=100)
    with pytest.raises(base.ClientError, match="either `first` or `last`"):
        base.page_window(first=1, last=1, max_size=100)
    with pytest.raises(base.ClientError, match="not a cursor"):
        base.page_window(after="bm9wZQ==", max_size=100)
    with pytest.raises(RuntimeError, match="pass the settings explicitly"):
        base.page_window(first=1)  # no request, no max given: never a guess from the environment
    with pytest.raises(base.ClientError, match="expected Company"):
        base.decode_id(base.encode_id("Person", "u"), "Company")
