"""GraphQL for imports: the importFile mutation (multipart upload)."""
