"""The only place with SQL: the database, its migrations and the repositories."""
