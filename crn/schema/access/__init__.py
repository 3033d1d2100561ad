"""GraphQL for the access model (issue 13): teams, territories, sharing rules, organisation-wide defaults, the
personal-data permission, record owners and the explanation of who sees what (crn.crm.access)."""
