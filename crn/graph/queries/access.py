"""Cypher fragments for record-level visibility (see crn.graph.access for the model).

Every read of a protected record type puts ``readable('n', 'Company')`` into its WHERE clause; every
write puts ``writable(...)``. The fragments read one parameter, ``$access``, which crn.graph.db fills from
the viewer bound in the current context.
"""

from __future__ import annotations

from crn.graph.access import PROTECTED


def readable(var: str, label: str | None = None) -> str:
    """A Cypher boolean: the bound viewer may read node ``var`` (of ``label`` when known)."""
    if label is not None and label not in PROTECTED:
        return "true"
    by_type = (f"'{label}' IN $access.read_types" if label
               else f"any(acl_label IN labels({var}) WHERE acl_label IN $access.read_types)")
    unprotected = "" if label else f" OR none(acl_label IN labels({var}) WHERE acl_label IN {list(PROTECTED)!r})"
    return (f"($access.all OR {by_type}{unprotected} "
            f"OR any(acl_key IN coalesce({var}.acl_r, []) WHERE acl_key IN $access.keys))")


def writable(var: str, label: str | None = None) -> str:
    """A Cypher boolean: the bound viewer may change node ``var`` (of ``label`` when known)."""
    if label is not None and label not in PROTECTED:
        return "true"
    by_type = (f"'{label}' IN $access.write_types" if label
               else f"any(acl_label IN labels({var}) WHERE acl_label IN $access.write_types)")
    unprotected = "" if label else f" OR none(acl_label IN labels({var}) WHERE acl_label IN {list(PROTECTED)!r})"
    return (f"($access.all OR {by_type}{unprotected} "
            f"OR any(acl_key IN coalesce({var}.acl_w, []) WHERE acl_key IN $access.keys))")
