"""Finding records: by uid, and full-text over names, emails and domains."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crn.graph import db
from crn.graph.queries import search as q

SEARCHABLE_TYPES = ("Company", "Person", "User")
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


@dataclass(frozen=True)
class SearchHit:
    """One search result."""

    type: str
    uid: str
    name: str
    detail: str | None
    score: float


def lucene_query(text: str) -> str:
    """Turn user text into a safe Lucene query: every word escaped, prefix-matched, all required."""
    words = [w for w in _LUCENE_SPECIAL.sub(r"\\\1", text.strip()).split() if w]
    return " AND ".join(f"{w}*" if len(w) > 1 else w for w in words)


def search(text: str, types: tuple[str, ...] = SEARCHABLE_TYPES, first: int = 10) -> list[SearchHit]:
    """Records whose name, email or domain match ``text``, best first."""
    query = lucene_query(text)
    if not query:
        return []
    rows = db.read(q.SEARCH, query=query, types=list(types), limit=first)
    return [SearchHit(**row) for row in rows]


def get_company(uid: str) -> dict | None:
    """A company's properties, or None if no company has that uid."""
    row = db.read_one(q.COMPANY_BY_UID, uid=uid)
    return row["company"] if row else None
