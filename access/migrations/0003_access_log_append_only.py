from django.db import migrations

FORBID = """
CREATE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE ON access_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
"""

ALLOW = """
DROP TRIGGER access_log_append_only ON access_accesslogentry;
DROP FUNCTION access_log_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
