"""The production topology on one machine (`scripts/topology up|down|test`): PostgreSQL primary
and streaming replica, PgBouncer, Redis, an S3 server, API hosts behind HAProxy, and the load
test that fails hosts under load."""
