"""Named, parameterised Cypher grouped by domain; nothing else in crn writes Cypher."""
