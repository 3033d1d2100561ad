"""GraphQL for people and our users: Person, User, employment, reporting lines and who knows whom."""
