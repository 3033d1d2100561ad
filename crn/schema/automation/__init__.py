"""GraphQL for automation: rules CRUD (admins and managers), dry runs, run history and the user's tasks."""
