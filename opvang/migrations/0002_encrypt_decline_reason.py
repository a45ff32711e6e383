"""The provider's reason for declining a placement request is free text: encrypted at rest like
the other free text (a text column for the ciphertext, then the existing rows encrypted)."""

from django.db import migrations

import privacy.fields
from privacy import rekeying


def encrypt_existing(apps, schema_editor):
    rekeying.encrypt_plaintext("opvang_placementrequest", ["reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("opvang", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="placementrequest",
            name="reason",
            field=privacy.fields.EncryptedCharField(
                blank=True, max_length=500, verbose_name="reason"
            ),
        ),
        # Irreversible: once encrypted, the plaintext cannot come back by migrating.
        migrations.RunPython(encrypt_existing, elidable=True),
    ]
