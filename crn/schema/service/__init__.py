"""GraphQL for service: Ticket with its SLA state."""
