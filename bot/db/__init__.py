"""Database access: connection, migrations and repositories."""
