"""Encrypt what was stored readable before encryption at rest, and fill the blind indexes and
search tokens from it (batched; a value that already decrypts is left alone)."""

from django.db import migrations

from privacy import crypto, rekeying
from signals import identifiers


def _address(row):
    return {"address_key": identifiers.address_hash(row["postcode"], row["house_number"])}


# table: (encrypted columns, plain columns the keys need, the keys from the plaintext row)
TABLES = {
    "signals_signal": (
        ["description", "occurred_when", "contact_name", "contact_phone", "contact_email"],
        (),
        lambda row: {
            "search_tokens": crypto.search_tokens(row["description"]),
            "contact_name_key": identifiers.name_key(row["contact_name"]),
            "contact_phone_key": identifiers.phone_key(row["contact_phone"]),
            "contact_email_key": identifiers.email_key(row["contact_email"]),
        },
    ),
    "signals_person": (
        ["name", "email", "street", "house_number", "postcode"],
        ("date_of_birth",),
        lambda row: {
            "email_key": identifiers.email_key(row["email"]),
            "name_key": identifiers.name_key(row["name"]),
            "identity_key": identifiers.identity_key(row["name"], row["date_of_birth"]),
            **_address(row),
        },
    ),
    "signals_location": (["description", "street", "house_number", "postcode"], (), _address),
    "signals_phonenumber": (
        ["raw", "number"],
        (),
        lambda row: {"number_key": identifiers.phone_key(row["number"])},
    ),
    "signals_vehicle": (
        ["plate_raw", "plate"],
        (),
        lambda row: {"plate_key": identifiers.plate_key(row["plate"])},
    ),
    "signals_website": (
        ["url", "domain"],
        (),
        lambda row: {"domain_key": identifiers.domain_key(row["domain"])},
    ),
    "signals_bankaccount": (
        ["iban_raw", "iban", "holder"],
        (),
        lambda row: {"iban_key": identifiers.iban_key(row["iban"])},
    ),
    "signals_addition": (["text"], (), None),
    "signals_message": (["body"], (), None),
    "signals_attachment": (["original_name"], (), None),
}


def encrypt_existing(apps, schema_editor):
    for table, (columns, extra, derive) in TABLES.items():
        rekeying.encrypt_plaintext(table, columns, extra=extra, derive=derive)
    rekeying.encrypt_plaintext_files()


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0013_encryption_at_rest"),
    ]

    operations = [
        # Irreversible: once encrypted, the plaintext columns cannot come back by migrating.
        migrations.RunPython(encrypt_existing, elidable=True),
    ]
