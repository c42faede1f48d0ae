"""Cross-cutting schema extensions, one per module; switched on in server/graphql_schema.py."""
