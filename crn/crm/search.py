"""Finding records: full-text over names, emails and domains."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crn.graph import access, db
from crn.graph.queries import search as q

SEARCHABLE_TYPES = ("Company", "Person", "User")
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
# Han, Hiragana/Katakana and Hangul: the index's analyzer makes one token per character, so such
# words are searched as phrases (consecutive characters) rather than as prefixes.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class SearchHit:
    """One search result."""

    type: str
    uid: str
    name: str
    detail: str | None
    score: float


MAX_SEARCH_WORDS = 16
"""Words one search may hold: each is a prefix query, and Lucene refuses more than 1024 clauses (a few
hundred words already cost a second of the index's time)."""
MAX_SEARCH_WORD_CHARS = 100
"""Characters one word may hold (a longer prefix is no name, and Lucene refuses very long terms)."""


class SearchTextTooLong(ValueError):
    """The search text holds more words, or longer ones, than a search allows; the message says which."""


def check_text(text: str) -> None:
    """Raise :class:`SearchTextTooLong` when ``text`` passes MAX_SEARCH_WORDS or MAX_SEARCH_WORD_CHARS.

    >>> check_text("acme  corp")
    >>> check_text("a " * 17)
    Traceback (most recent call last):
    ...
    crn.crm.search.SearchTextTooLong: the search text has 17 words; at most 16 are searched for, type fewer
    """
    words = text.replace("@", " ").split()
    if len(words) > MAX_SEARCH_WORDS:
        raise SearchTextTooLong(f"the search text has {len(words)} words; at most {MAX_SEARCH_WORDS} are searched "
                                "for, type fewer")
    longest = max((len(w) for w in words), default=0)
    if longest > MAX_SEARCH_WORD_CHARS:
        raise SearchTextTooLong(f"a word of the search text has {longest} characters; at most "
                                f"{MAX_SEARCH_WORD_CHARS} are searched for, shorten it")


def lucene_query(text: str, fields: tuple[str, ...] = ()) -> str:
    """Turn user text into a safe Lucene query: every word escaped and required.

    Latin words are prefix-matched (search as you type); words with Chinese, Japanese or Korean
    characters become phrases, so "趋势集" finds "趋势集团". With ``fields``, the words must all match in
    one of those indexed properties (a viewer without the personal-data permission never finds a record
    by its e-mail address).

    >>> lucene_query("ann lee", ("name", "domain"))
    'name:(ann* AND lee*) OR domain:(ann* AND lee*)'
    """
    # "@" separates tokens in the index (alice@acme.example -> alice, acme.example), so it does here.
    words = [w for w in _LUCENE_SPECIAL.sub(r"\\\1", text.strip().replace("@", " ")).split() if w]
    query = " AND ".join(_term(w) for w in words)
    if query and fields:
        return " OR ".join(f"{f}:({query})" for f in fields)
    return query


def _term(word: str) -> str:
    if _CJK.search(word):
        return f'"{word}"'
    return f"{word}*"


def search(text: str, types: tuple[str, ...] = SEARCHABLE_TYPES, first: int = 10) -> list[SearchHit]:
    """Records whose name, email or domain match ``text``, best first (SearchTextTooLong past the limits)."""
    check_text(text)
    personal = access.current().personal_data  # enforce (issue 13)
    query = lucene_query(text, () if personal else q.IMPERSONAL_FIELDS)
    if not query:
        return []
    rows = db.read(q.SEARCH, query=query, types=list(types), limit=first, personal=personal)
    return [SearchHit(**row) for row in rows]
