"""GraphQL for companies and their families: Company, ownership links, account teams, boards, shareholders."""
