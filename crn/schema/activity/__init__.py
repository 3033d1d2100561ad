"""GraphQL for activity: Interaction (calls, e-mails, meetings...) and logging one with its participants."""
