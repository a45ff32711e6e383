from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models.functions import Upper


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY: built without blocking new signals; it cannot run in a transaction.
    atomic = False

    dependencies = [
        ("signals", "0017_encrypt_event_detail_data"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="signal",
            index=models.Index(Upper("own_reference"), name="signal_own_reference_idx"),
        ),
    ]
