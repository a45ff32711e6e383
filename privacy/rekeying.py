"""Converting stored data between keys: encrypting plaintext once (the migration that introduced
encryption at rest), re-encrypting under a new first key, and recomputing blind indexes under a
new BLIND_INDEX_KEY. Used by `manage.py rotate_encryption_keys` and the data migrations.

Every pass walks a table in primary-key order, in batches, each batch in its own transaction, so
a long run can be stopped and started again: what was done is recognised and skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, models, transaction

from . import crypto
from .fields import DerivedMixin, EncryptedMixin

BATCH_SIZE = 500


@dataclass
class Count:
    changed: int = 0
    current: int = 0
    # Values no configured key decrypts: left as they are, and reported.
    unreadable: list[str] = field(default_factory=list)


def encrypted_columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


def derived_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, DerivedMixin)]


def encrypted_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if encrypted_columns(model)]


def indexed_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if derived_fields(model)]


def _batches(table: str, columns: list[str], batch: int) -> Iterator[list[tuple]]:
    """Rows (id, *columns) of `table` as stored, in batches, in primary-key order."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {quoted} FROM {connection.ops.quote_name(table)} "  # noqa: S608
                "WHERE id > %s ORDER BY id LIMIT %s",
                [last, batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _update(table: str, updates: list[tuple[int, dict]]) -> None:
    with connection.cursor() as cursor:
        for row_id, values in updates:
            assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in values)
            cursor.execute(
                f"UPDATE {connection.ops.quote_name(table)} SET {assignments} "  # noqa: S608
                "WHERE id = %s",
                [*values.values(), row_id],
            )


def encrypt_plaintext(
    table: str,
    columns: list[str],
    *,
    extra: tuple[str, ...] = (),
    derive: Callable[[dict], dict] | None = None,
    batch: int = BATCH_SIZE,
) -> int:
    """Encrypt the plaintext `columns` of `table` and set the columns `derive` computes from the
    plaintext row (with the plain `extra` columns). For the migration that introduced encryption:
    a value that already decrypts is left alone, so running it twice changes nothing."""
    changed = 0
    for rows in _batches(table, [*columns, *extra], batch):
        updates = []
        for row_id, *values in rows:
            stored = dict(zip([*columns, *extra], values, strict=True))
            plain, new = dict(stored), {}
            for column in columns:
                value = stored[column]
                if not value:
                    continue
                if crypto.is_encrypted(value):
                    plain[column] = crypto.decrypt(value)
                else:
                    new[column] = crypto.encrypt(value)
            if derive is not None:
                new.update(derive(plain))
            if new:
                updates.append((row_id, new))
        with transaction.atomic():
            _update(table, updates)
        changed += len(updates)
    return changed


def rotate_model(model: type[models.Model], *, batch: int = BATCH_SIZE) -> Count:
    """Re-encrypt every encrypted value of `model` under the first key; values already under it
    are skipped."""
    columns = encrypted_columns(model)
    count = Count()
    for rows in _batches(model._meta.db_table, columns, batch):
        updates = []
        for row_id, *values in rows:
            new = {}
            for column, value in zip(columns, values, strict=True):
                if not value:
                    continue
                if crypto.is_current(value):
                    count.current += 1
                    continue
                try:
                    new[column] = crypto.rotate(value)
                except InvalidToken:
                    count.unreadable.append(f"{model._meta.db_table}.{column} id {row_id}")
            if new:
                updates.append((row_id, new))
                count.changed += len(new)
        with transaction.atomic():
            _update(model._meta.db_table, updates)
    return count


def reindex_model(model: type[models.Model], *, batch: int = BATCH_SIZE) -> int:
    """Recompute the blind indexes and search tokens of `model` from its decrypted values."""
    fields = derived_fields(model)
    names = [f.name for f in fields]
    changed = 0
    last = 0
    while True:
        rows = list(model._base_manager.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return changed
        for row in rows:
            for derived in fields:
                setattr(row, derived.attname, getattr(row, derived.derive)())
        with transaction.atomic():
            model._base_manager.bulk_update(rows, names)
        changed += len(rows)
        last = rows[-1].pk


def _attachment_names(batch: int) -> Iterator[str]:
    for rows in _batches("signals_attachment", ["file"], batch):
        yield from (name for _row_id, name in rows if name)


def rotate_files(*, batch: int = BATCH_SIZE) -> Count:
    """Re-encrypt every attachment's file under the first key, in place.

    Uploads waiting for a public form's Send are not included: they live three hours at most
    (signals.uploads.ABANDONED_AFTER_SECONDS), so the old key stays in the list that long.
    """
    from signals.storage import private_storage

    storage = private_storage()
    count = Count()
    for name in _attachment_names(batch):
        try:
            data = storage.read_raw(name)
        except FileNotFoundError:
            count.unreadable.append(f"missing file {name}")
            continue
        if crypto.is_current(data):
            count.current += 1
            continue
        try:
            storage.write_raw(name, crypto.rotate_bytes(data))
        except InvalidToken:
            count.unreadable.append(name)
            continue
        count.changed += 1
    return count


def encrypt_plaintext_files(*, batch: int = BATCH_SIZE) -> int:
    """Encrypt attachment files stored before encryption at rest (the data migration)."""
    from signals.storage import private_storage

    storage = private_storage()
    changed = 0
    for name in _attachment_names(batch):
        try:
            data = storage.read_raw(name)
        except FileNotFoundError:
            continue
        if crypto.is_encrypted(data):
            continue
        storage.write_raw(name, crypto.encrypt_bytes(data))
        changed += 1
    return changed


def relink_all(*, batch: int = BATCH_SIZE) -> int:
    """Compute every submitted signal's connections anew from its blind indexes (after a new
    BLIND_INDEX_KEY): per signal, its old connections go and linking runs again, in one
    transaction, so a signal is never seen without its connections."""
    from coordination.models import Connection
    from coordination.services import link_signal
    from signals.models import Signal

    relinked = 0
    ids = Signal.objects.filter(linked_at__isnull=False).order_by("pk").values_list("pk", flat=True)
    last = 0
    while True:
        chunk = list(ids.filter(pk__gt=last)[:batch])
        if not chunk:
            return relinked
        for signal_id in chunk:
            with transaction.atomic():
                Connection.objects.filter(signal_id=signal_id).delete()
                Connection.objects.filter(other_id=signal_id).delete()
                link_signal(signal_id)
            relinked += 1
        last = chunk[-1]
