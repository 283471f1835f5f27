"""Copy a chapter's SQLite database into an empty PostgreSQL database.

Both are first brought to the same schema by the same migrations; then every
table is copied row for row (ids included: they are in URLs and foreign keys)
in foreign-key order with COPY, in one PostgreSQL transaction, so a failure
leaves the target as empty as it was. The row counts of every table are then
compared, and identity sequences continue after the copied ids.
"""
from __future__ import annotations

from dataclasses import dataclass

from storage.database import SqliteDatabase
from storage.engine import DatabaseUnavailable
from storage.migrations import migrate
from storage.postgres import PostgresDatabase

_BATCH = 5000


@dataclass(frozen=True)
class CopyReport:
    tables: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


async def _foreign_key_order(source: SqliteDatabase, tables: list[str]) -> list[str]:
    """Tables ordered so that each comes after the tables it refers to."""
    refers: dict[str, set[str]] = {}
    for table in tables:
        rows = await source.fetchall(f'SELECT "table" FROM pragma_foreign_key_list(\'{table}\')')
        refers[table] = {row[0] for row in rows if row[0] != table and row[0] in tables}
    ordered: list[str] = []
    while refers:
        ready = sorted(table for table, needs in refers.items() if needs <= set(ordered))
        if not ready:
            raise DatabaseUnavailable(f"foreign keys form a cycle among {sorted(refers)}")
        ordered.extend(ready)
        for table in ready:
            del refers[table]
    return ordered


async def ensure_empty(target: PostgresDatabase) -> None:
    """Refuse a target that holds anything of ours or of anyone else."""
    for table in await target.user_tables():
        count = await target.fetchvalue(f'SELECT COUNT(*) FROM "{table}"')
        if count:
            raise DatabaseUnavailable(
                f"the target database is not empty (table {table} has {count} rows); give an empty database"
            )


async def copy_sqlite_to_postgres(source: SqliteDatabase, target: PostgresDatabase) -> CopyReport:
    """Copy every table; the target must be connected and empty (checked again here)."""
    await ensure_empty(target)
    await migrate(target)
    source_versions = {row[0] for row in await source.fetchall("SELECT version FROM schema_version")}
    target_versions = {row[0] for row in await target.fetchall("SELECT version FROM schema_version")}
    if source_versions != target_versions:
        raise DatabaseUnavailable(
            f"schema versions differ after migrating: {sorted(source_versions ^ target_versions)}"
        )
    tables = await _foreign_key_order(source, await source.user_tables())
    missing = set(tables) - set(await target.user_tables())
    if missing:
        raise DatabaseUnavailable(f"tables missing on PostgreSQL: {sorted(missing)}")
    copied: dict[str, int] = {}
    async with target.transaction() as connection:
        # The only rows there are those the migrations seeded (the SQLite side
        # has them too, perhaps edited since): the copy replaces them.
        for table in reversed(tables):
            await connection.execute(f'DELETE FROM "{table}"')
        for table in tables:
            columns = [row[1] for row in await source.fetchall(f"SELECT * FROM pragma_table_info('{table}')")]
            names = ", ".join(f'"{column}"' for column in columns)
            count = 0
            async with connection.raw.cursor() as cursor:
                async with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    last = None
                    while True:
                        # Pages by rowid: the order rows were written, and no OFFSET rescans.
                        rows = await source.fetchall(
                            f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT ?',
                            (-(2**63) if last is None else last, _BATCH),
                        )
                        for row in rows:
                            await copy.write_row(tuple(row)[1:])
                        count += len(rows)
                        if len(rows) < _BATCH:
                            break
                        last = rows[-1][0]
            copied[table] = count
        for table in tables:
            await target.reset_identity(table)
    for table, count in copied.items():
        source_count = await source.fetchvalue(f'SELECT COUNT(*) FROM "{table}"')
        target_count = await target.fetchvalue(f'SELECT COUNT(*) FROM "{table}"')
        if not source_count == count == target_count:
            raise DatabaseUnavailable(
                f"count mismatch in {table}: SQLite {source_count}, copied {count}, PostgreSQL {target_count}"
            )
    return CopyReport(copied)
