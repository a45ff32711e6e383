"""Encrypt the history details stored readable before (0016 made them JSON text; an empty one
is empty already and stays so). Batched; a detail that already decrypts is left alone."""

from django.db import migrations

from privacy import crypto, rekeying


def encrypt_existing(apps, schema_editor):
    rekeying.encrypt_plaintext("signals_signalevent", ["detail"])


def decrypt_existing(apps, schema_editor):
    """The reverse: the JSON text again, so that 0016's reverse can make the column jsonb."""
    last = 0
    while True:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, detail FROM signals_signalevent WHERE id > %s AND detail <> ''"
                " ORDER BY id LIMIT %s",
                [last, rekeying.BATCH_SIZE],
            )
            rows = cursor.fetchall()
            for row_id, detail in rows:
                if crypto.is_encrypted(detail):
                    cursor.execute(
                        "UPDATE signals_signalevent SET detail = %s WHERE id = %s",
                        [crypto.decrypt(detail), row_id],
                    )
        if not rows:
            return
        last = rows[-1][0]


class Migration(migrations.Migration):
    # Each batch commits on its own, so an interrupted run continues where it stopped.
    atomic = False

    dependencies = [
        ("signals", "0016_encrypt_event_detail"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=True),
    ]
