"""A share's purpose is free text that may name the people involved: encrypted from now on, and
the purposes stored readable before are encrypted here. (The access log entries that copied
purposes before cannot be changed: the log is append-only.)"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import migrations, models

import meldpunt.core.fields


# Frozen here: the migration must keep working whatever meldpunt.core.crypto becomes.
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def _is_encrypted(fernet: MultiFernet, value: str) -> bool:
    try:
        fernet.decrypt(value.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def encrypt_purposes(apps, schema_editor):
    fernet = _fernet()
    Share = apps.get_model("access", "Share")
    for share in Share.objects.exclude(purpose="").only("pk", "purpose").iterator():
        if not _is_encrypted(fernet, share.purpose):
            token = fernet.encrypt(share.purpose.encode()).decode("ascii")
            Share.objects.filter(pk=share.pk).update(purpose=token)


def decrypt_purposes(apps, schema_editor):
    fernet = _fernet()
    Share = apps.get_model("access", "Share")
    for share in Share.objects.exclude(purpose="").only("pk", "purpose").iterator():
        if _is_encrypted(fernet, share.purpose):
            plain = fernet.decrypt(share.purpose.encode("ascii")).decode()
            Share.objects.filter(pk=share.pk).update(purpose=plain)


class Migration(migrations.Migration):
    dependencies = [("access", "0006_access_log_refuses_truncate")]

    operations = [
        # A text column first (ciphertext is longer than the 500 characters allowed), read and
        # written as plain text while the rows are converted.
        migrations.AlterField(
            model_name="share",
            name="purpose",
            field=models.TextField(verbose_name="purpose"),
        ),
        migrations.RunPython(encrypt_purposes, decrypt_purposes),
        migrations.AlterField(
            model_name="share",
            name="purpose",
            field=meldpunt.core.fields.EncryptedCharField(max_length=500, verbose_name="purpose"),
        ),
    ]
