"""GraphQL for selling: Deal and its buying committee, the pipeline board, Product and Order."""
