"""The database itself refuses to change or remove access-log rows."""

from django.db import migrations

from tillit.migration_sql import RunVendorSQL

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION tillit_accesslog_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'audit_accesslog is append-only: ' || TG_OP || ' refused',
            ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER audit_accesslog_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION tillit_accesslog_append_only();
    """,
    """
    CREATE TRIGGER audit_accesslog_no_truncate
    BEFORE TRUNCATE ON audit_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION tillit_accesslog_append_only();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_truncate ON audit_accesslog;",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_update_delete ON audit_accesslog;",
    "DROP FUNCTION IF EXISTS tillit_accesslog_append_only();",
]
SQLITE = [
    """
    CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
    BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only (UPDATE refused)'); END;
    """,
    """
    CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslog
    BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only (DELETE refused)'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_delete;",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        # Per database through the schema editor, so that `sqlmigrate` shows the SQL.
        RunVendorSQL(
            {"postgresql": POSTGRES, "sqlite": SQLITE},
            {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE},
            label="access log append-only",
        ),
    ]
