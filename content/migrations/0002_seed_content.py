"""Once seeded the information pages and help contacts with their Dutch and English texts.

The texts have one source now, content/texts/<language>.json, and one loader, `manage.py
load_content` (run by `make run`, the docker `migrate` service and the tests that need content),
which also applies corrected texts to an existing database. This migration stays, empty, because
databases have recorded it as applied.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = []
