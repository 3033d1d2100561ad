"""Date and datetime properties stored as native Neo4j temporals, as every Cypher query in crn expects.

neomodel's own ``DateProperty`` stores an ISO string and ``DateTimeProperty`` a float epoch; crn's
queries compare with ``date()``/``datetime()`` and the domain layer, importers and demo write native
values, so the models must read and write the same. The classes keep neomodel's names (and are
subclasses) so code that inspects the models by type keeps working.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import neo4j.time
from neomodel import properties as _neomodel
from neomodel.properties import validator


class DateProperty(_neomodel.DateProperty):
    """A calendar date stored as a Neo4j ``date``."""

    @validator
    def inflate(self, value: Any) -> date:
        if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime)):
            value = value.to_native()
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])

    @validator
    def deflate(self, value: Any) -> date:
        if isinstance(value, datetime):
            return value.date()
        if not isinstance(value, date):
            raise ValueError(f"datetime.date object expected, got {value!r}")
        return value


class DateTimeProperty(_neomodel.DateTimeProperty):
    """An instant stored as a Neo4j ``datetime`` in UTC (naive values are taken as UTC)."""

    @validator
    def inflate(self, value: Any) -> datetime:
        if isinstance(value, neo4j.time.DateTime):
            value = value.to_native()
        elif isinstance(value, (int, float)):
            value = datetime.fromtimestamp(value, tz=timezone.utc)
        elif isinstance(value, str):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if not isinstance(value, datetime):
            raise ValueError(f"datetime expected, got {value!r}")
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

    @validator
    def deflate(self, value: Any) -> datetime:
        if not isinstance(value, datetime):
            raise ValueError(f"datetime object expected, got {type(value)}.")
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
