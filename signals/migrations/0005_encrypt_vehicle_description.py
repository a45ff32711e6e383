"""A vehicle's description is free text ("the blue van of ..."): encrypted from now on, and the
descriptions stored readable before are encrypted here."""

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


def encrypt_descriptions(apps, schema_editor):
    fernet = _fernet()
    Vehicle = apps.get_model("signals", "Vehicle")
    for vehicle in Vehicle.objects.exclude(description="").only("pk", "description").iterator():
        if not _is_encrypted(fernet, vehicle.description):
            token = fernet.encrypt(vehicle.description.encode()).decode("ascii")
            Vehicle.objects.filter(pk=vehicle.pk).update(description=token)


def decrypt_descriptions(apps, schema_editor):
    fernet = _fernet()
    Vehicle = apps.get_model("signals", "Vehicle")
    for vehicle in Vehicle.objects.exclude(description="").only("pk", "description").iterator():
        if _is_encrypted(fernet, vehicle.description):
            plain = fernet.decrypt(vehicle.description.encode("ascii")).decode()
            Vehicle.objects.filter(pk=vehicle.pk).update(description=plain)


class Migration(migrations.Migration):
    dependencies = [("signals", "0004_language_bridge_and_later_evidence")]

    operations = [
        # A text column first (ciphertext is longer than the 200 characters allowed), read and
        # written as plain text while the rows are converted.
        migrations.AlterField(
            model_name="vehicle",
            name="description",
            field=models.TextField(blank=True, verbose_name="make, model, colour"),
        ),
        migrations.RunPython(encrypt_descriptions, decrypt_descriptions),
        migrations.AlterField(
            model_name="vehicle",
            name="description",
            field=meldpunt.core.fields.EncryptedCharField(
                blank=True, max_length=200, verbose_name="make, model, colour"
            ),
        ),
    ]
