"""The database: connection, numbered migrations, one repository per aggregate
and the durable queues. SQLite (WAL) is the embedded default."""
