"""The PostgreSQL backend of the test run: Django's own, except that a flush may empty the
append-only access log.

Between transactional tests Django empties every table with one TRUNCATE, which the access log's
trigger refuses (access/migrations/0006), as it must in production. Only here, in the flush's
own transaction, are the table's triggers switched off for that statement and on again; the
production backend (`django.db.backends.postgresql`) has no such way around them, and the
trigger itself knows no exception.
"""

from django.db.backends.postgresql import base, operations

APPEND_ONLY_TABLES = ("access_accesslogentry",)


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        guarded = [self.quote_name(table) for table in APPEND_ONLY_TABLES if table in tables]
        if not sql or not guarded:
            return sql
        return [
            *(f"ALTER TABLE {table} DISABLE TRIGGER USER;" for table in guarded),
            *sql,
            *(f"ALTER TABLE {table} ENABLE TRIGGER USER;" for table in guarded),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
