"""GraphQL for relationship intelligence: corporate families, committees, intro paths, influence, strength."""
