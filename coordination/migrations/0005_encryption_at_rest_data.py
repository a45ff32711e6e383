"""Encrypt notes and questions stored readable before encryption at rest, and replace each
connection's plain identifier by its blind index (the value the `*_key` fields now hold)."""

import re

from django.db import migrations

from privacy import crypto, rekeying

_BLIND_INDEX = re.compile(r"^[0-9a-f]{64}$")


def encrypt_existing(apps, schema_editor):
    rekeying.encrypt_plaintext("coordination_note", ["body"])
    rekeying.encrypt_plaintext("coordination_question", ["text", "answer"])
    Connection = apps.get_model("coordination", "Connection")
    for connection in Connection.objects.all().iterator(chunk_size=rekeying.BATCH_SIZE):
        if not _BLIND_INDEX.match(connection.value):
            # The purposes of the blind indexes are the connection kinds (signals.identifiers).
            connection.value = crypto.blind_index(connection.kind, connection.value)
            connection.save(update_fields=["value"])


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0004_encryption_at_rest"),
    ]

    operations = [
        # Irreversible: once encrypted, the plaintext columns cannot come back by migrating.
        migrations.RunPython(encrypt_existing, elidable=True),
    ]
