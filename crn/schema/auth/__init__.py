"""GraphQL for a user's own credentials: the passwordChange mutation and the myTokens query."""
