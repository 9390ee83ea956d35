from tests.server.pg import pg_url  # noqa: F401  (shared PostgreSQL fixture)
