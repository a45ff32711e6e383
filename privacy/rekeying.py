"""Converting stored data between keys: encrypting plaintext once (the migration that introduced
encryption at rest), re-encrypting under a new first key, and recomputing blind indexes under a
new BLIND_INDEX_KEY. Used by `manage.py rotate_encryption_keys` and the data migrations.

Every pass walks a table in primary-key order, in batches, each batch in its own transaction, so
a long run can be stopped and started again: what was done is recognised and skipped.

The portal keeps running meanwhile, so nothing read is written back blindly: a value is replaced
only while it is still what was read (compare-and-swap), blind indexes are computed from rows
locked for the batch, and a file is rewritten only while its attachment row is locked and still
there. What the application changed or erased in between is left as the application wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q

from meldpunt.core import crypto
from meldpunt.core.fields import DerivedMixin, EncryptedMixin

BATCH_SIZE = 500


@dataclass
class Count:
    changed: int = 0
    current: int = 0
    # Values no configured key decrypts: left as they are, and reported.
    unreadable: list[str] = field(default_factory=list)
    # Rows the application kept changing while they were being re-encrypted: left as the
    # application wrote them, and reported (a next run re-encrypts what is still old).
    skipped: list[str] = field(default_factory=list)


def encrypted_columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


def derived_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, DerivedMixin)]


def _own_tables() -> list[type[models.Model]]:
    """The models that have a table of their own: a proxy shares its concrete model's table (it
    would be converted twice), an unmanaged model's table is not this project's."""
    return [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]


def encrypted_models() -> list[type[models.Model]]:
    return [model for model in _own_tables() if encrypted_columns(model)]


def indexed_models() -> list[type[models.Model]]:
    return [model for model in _own_tables() if derived_fields(model)]


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


def _rows(table: str, columns: list[str], ids: list[int]) -> list[tuple]:
    """Rows (id, *columns) of `table` with these ids as stored now, in primary-key order."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {quoted} FROM {connection.ops.quote_name(table)} "  # noqa: S608
            "WHERE id = ANY(%s) ORDER BY id",
            [ids],
        )
        return cursor.fetchall()


@dataclass
class _Update:
    row_id: int
    # The columns to write, with their new values.
    new: dict
    # The columns as they were read: the row is written only while they are still so.
    expected: dict


def _update(table: str, updates: list[_Update]) -> list[int]:
    """Write each update whose row still holds the expected values; the ids of the rows that
    changed (or went) in the meantime, which are left alone."""
    quote = connection.ops.quote_name
    changed_meanwhile = []
    with connection.cursor() as cursor:
        for update in updates:
            assignments = ", ".join(f"{quote(c)} = %s" for c in update.new)
            unchanged = "".join(f" AND {quote(c)} IS NOT DISTINCT FROM %s" for c in update.expected)
            cursor.execute(
                f"UPDATE {quote(table)} SET {assignments} WHERE id = %s{unchanged}",  # noqa: S608
                [*update.new.values(), update.row_id, *update.expected.values()],
            )
            if cursor.rowcount != 1:
                changed_meanwhile.append(update.row_id)
    return changed_meanwhile


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
                # All read columns: `derive` computed from them.
                updates.append(_Update(row_id, new, expected=stored))
        with transaction.atomic():
            # A row the application wrote meanwhile is encrypted and derived by the application.
            changed += len(updates) - len(_update(table, updates))
    return changed


# How often a row the application changed during its re-encryption is read again and retried
# within one run, before it is left for the next run.
ROTATE_ATTEMPTS = 3


def _rotate_rows(table: str, columns: list[str], rows: list[tuple], count: Count) -> list[int]:
    """Re-encrypt these rows' values that are not under the first key, each only while it is
    still what was read; the ids of the rows that changed meanwhile."""
    updates = []
    for row_id, *values in rows:
        new, expected = {}, {}
        for column, value in zip(columns, values, strict=True):
            if not value:
                continue
            if crypto.is_current(value):
                count.current += 1
                continue
            try:
                new[column] = crypto.rotate(value)
            except InvalidToken:
                count.unreadable.append(f"{table}.{column} id {row_id}")
                continue
            expected[column] = value
        if new:
            updates.append(_Update(row_id, new, expected))
    with transaction.atomic():
        changed_meanwhile = set(_update(table, updates))
    count.changed += sum(len(u.new) for u in updates if u.row_id not in changed_meanwhile)
    return sorted(changed_meanwhile)


def rotate_model(model: type[models.Model], *, batch: int = BATCH_SIZE) -> Count:
    """Re-encrypt every encrypted value of `model` under the first key; values already under it
    are skipped. A row the application changed between the read and the write keeps what the
    application wrote; it is read again and what is still under an old key is re-encrypted."""
    table, columns = model._meta.db_table, encrypted_columns(model)
    count = Count()
    for rows in _batches(table, columns, batch):
        again = _rotate_rows(table, columns, rows, count)
        for _attempt in range(ROTATE_ATTEMPTS - 1):
            if not again:
                break
            # Counted once: only what the new attempt re-encrypts is added.
            retry = Count()
            again = _rotate_rows(table, columns, _rows(table, columns, again), retry)
            count.changed += retry.changed
        count.skipped += [f"{table} id {row_id}" for row_id in again]
    return count


def reindex_model(model: type[models.Model], *, batch: int = BATCH_SIZE) -> int:
    """Recompute the blind indexes and search tokens of `model` from its decrypted values.

    The batch's rows are locked while they are read and written, so a key is never computed from
    a row the application changes meanwhile (the application's write waits and computes its own).
    """
    fields = derived_fields(model)
    names = [f.name for f in fields]
    changed = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                model._base_manager.select_for_update().filter(pk__gt=last).order_by("pk")[:batch]
            )
            if not rows:
                return changed
            for row in rows:
                for derived in fields:
                    setattr(row, derived.attname, getattr(row, derived.derive)())
            model._base_manager.bulk_update(rows, names)
        changed += len(rows)
        last = rows[-1].pk


def _each_attachment_file(batch: int, handle: Callable[[str], None]) -> None:
    """Call `handle` with the name of each attachment's file, while that attachment's row is
    locked and still refers to it. An erasure or retention deletes the row in a transaction and
    the file after its commit: it waits for the lock, so it deletes the file `handle` wrote, and
    a file whose row is gone (or going) is not touched, so a deleted file is never recreated."""
    for rows in _batches("signals_attachment", ["file"], batch):
        for row_id, name in rows:
            if not name:
                continue
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT file FROM signals_attachment WHERE id = %s FOR UPDATE", [row_id]
                )
                if cursor.fetchone() != (name,):
                    continue
                handle(name)


def rotate_files(*, batch: int = BATCH_SIZE) -> Count:
    """Re-encrypt every attachment's file under the first key, in place.

    Uploads waiting for a public form's Send are not included: they live three hours at most
    (intake.uploads.ABANDONED_AFTER_SECONDS), so the old key stays in the list that long.
    """
    from meldpunt.core.storage import private_storage

    storage = private_storage()
    count = Count()

    def rotate(name: str) -> None:
        try:
            data = storage.read_raw(name)
        except FileNotFoundError:
            count.unreadable.append(f"missing file {name}")
            return
        if crypto.is_current(data):
            count.current += 1
            return
        try:
            storage.write_raw(name, crypto.rotate_bytes(data))
        except InvalidToken:
            count.unreadable.append(name)
            return
        count.changed += 1

    _each_attachment_file(batch, rotate)
    return count


def encrypt_plaintext_files(*, batch: int = BATCH_SIZE) -> int:
    """Encrypt attachment files stored before encryption at rest (the data migration)."""
    from meldpunt.core.storage import private_storage

    storage = private_storage()
    changed = 0

    def encrypt(name: str) -> None:
        nonlocal changed
        try:
            data = storage.read_raw(name)
        except FileNotFoundError:
            return
        if crypto.is_encrypted(data):
            return
        storage.write_raw(name, crypto.encrypt_bytes(data))
        changed += 1

    _each_attachment_file(batch, encrypt)
    return changed


def relink_all(*, batch: int = BATCH_SIZE) -> int:
    """Compute every submitted signal's connections anew from its blind indexes (after a new
    BLIND_INDEX_KEY): per signal, its old connections go and linking runs again, in one
    transaction, so a signal is never seen without its connections."""
    from coordination.models import Connection, PossibleConnection
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
                # A coordinator's decisions stay: they rest on a person's judgement, not a key.
                for model in (Connection, PossibleConnection):
                    rows = model.objects.filter(Q(signal_id=signal_id) | Q(other_id=signal_id))
                    if model is Connection:
                        rows.exclude(kind=Connection.Kind.CONFIRMED).delete()
                    else:
                        rows.filter(status=PossibleConnection.Status.OPEN).delete()
                link_signal(signal_id)
            relinked += 1
        last = chunk[-1]
