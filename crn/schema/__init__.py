"""The GraphQL API: one package per domain; schema.py composes them."""
