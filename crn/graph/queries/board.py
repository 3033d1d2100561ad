"""Cypher for the pipeline board: deals per stage with counts, totals per currency and a page of cards.

The filters are fixed fragments chosen by name (never user text); values are parameters.
"""

from __future__ import annotations

from functools import cache

from crn.graph.queries.access import readable

# filter name -> condition over `d` (the deal) with parameter $<name>
BOARD_FILTERS: dict[str, str] = {
    "owner": "EXISTS { (:User {uid: $owner})-[:OWNS]->(d) }",
    "team": "EXISTS { (u:User)-[:OWNS]->(d) WHERE u.team = $team }",
    "close_from": "d.expected_close >= $close_from",
    "close_to": "d.expected_close <= $close_to",
    "company": "EXISTS { (d)-[:FOR]->(:Company {uid: $company}) }",
    # `family` is handled by the MATCH below: deals for the company or any current subsidiary (any depth)
    "family": "true",
}

# the company named by $family and every company below it along ownership links in force today
_FAMILY_DEALS = """
CALL () {
  MATCH path = (m:Company)-[:SUBSIDIARY_OF*0..12]->(:Company {uid: $family})
  WHERE all(r IN relationships(path) WHERE r.until IS NULL OR r.until > date())
  RETURN collect(DISTINCT m) AS members
}
UNWIND members AS m
MATCH (d:Deal)-[:FOR]->(m)
"""

# won deals count in full, lost ones not at all, open ones at their probability
WEIGHT = ("CASE d.status WHEN 'won' THEN 1.0 WHEN 'lost' THEN 0.0 "
          "ELSE coalesce(d.probability, 0.0) END")


@cache
def board(filters: tuple[str, ...]) -> str:
    """Per stage in $stages: the number of deals, totals per currency and rows $skip..$skip+$limit of the
    deals (soonest expected close first, then by uid), for the deals matching the named filters."""
    unknown = set(filters) - set(BOARD_FILTERS)
    if unknown:
        raise ValueError(f"unknown board filters {sorted(unknown)}")
    start = _FAMILY_DEALS if "family" in filters else "MATCH (d:Deal)\n"
    # enforce (issue 13): only deals the viewer may read are counted, summed or shown
    where = " AND ".join(["d.stage IN $stages", readable("d", "Deal")] + [BOARD_FILTERS[f] for f in filters if f != "family"])
    return f"""
{start}WITH DISTINCT d WHERE {where}
WITH d ORDER BY d.expected_close ASC, d.uid ASC
WITH d.stage AS stage, collect(d) AS deals
CALL (deals) {{
  UNWIND deals AS d
  WITH coalesce(d.currency, 'USD') AS currency, count(d) AS n, sum(coalesce(d.amount, 0.0)) AS amount,
       sum(coalesce(d.amount, 0.0) * {WEIGHT}) AS weighted
  ORDER BY currency
  RETURN collect({{currency: currency, count: n, amount: amount, weighted: weighted}}) AS totals
}}
RETURN stage, size(deals) AS total, totals, [d IN deals[$skip..$skip + $limit] | properties(d)] AS items
"""
