"""Reports for strategists, rendered from the intelligence layer's results (html, md, csv, json)."""
