from django.db import migrations

# TRUNCATE fires no row triggers: without a statement trigger of its own it would empty the log
# at once (also through `TRUNCATE signals_signal CASCADE`, which reaches this table). The function
# of migration 0003 raises whatever the operation.
FORBID = """
CREATE TRIGGER access_log_refuses_truncate
    BEFORE TRUNCATE ON access_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
"""

ALLOW = "DROP TRIGGER access_log_refuses_truncate ON access_accesslogentry;"


class Migration(migrations.Migration):
    dependencies = [("access", "0005_share_public_id_and_revoke")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
