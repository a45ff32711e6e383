from django.core.management.base import BaseCommand, CommandError

from privacy import rekeying


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and every stored file under the first key of "
        "FIELD_ENCRYPTION_KEYS (values already under it are skipped; safe to run again). With "
        "--reindex, also recompute all blind indexes, search tokens and connections (after a new "
        "BLIND_INDEX_KEY)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="recompute blind indexes, search tokens and connections from the decrypted data",
        )
        parser.add_argument("--batch-size", type=int, default=rekeying.BATCH_SIZE)

    def handle(self, *args, reindex: bool, batch_size: int, **options):
        unreadable, skipped = [], []
        for model in rekeying.encrypted_models():
            count = rekeying.rotate_model(model, batch=batch_size)
            unreadable += count.unreadable
            skipped += count.skipped
            self.stdout.write(
                f"{model._meta.label}: {count.changed} values re-encrypted, "
                f"{count.current} already under the first key"
            )
        files = rekeying.rotate_files(batch=batch_size)
        unreadable += files.unreadable
        self.stdout.write(
            f"files: {files.changed} re-encrypted, {files.current} already under the first key"
        )
        if reindex:
            for model in rekeying.indexed_models():
                changed = rekeying.reindex_model(model, batch=batch_size)
                self.stdout.write(f"{model._meta.label}: blind indexes of {changed} rows computed")
            self.stdout.write(
                f"connections: {rekeying.relink_all(batch=batch_size)} signals linked"
            )
        for where in skipped[:50]:
            self.stderr.write(f"changed by the application while being re-encrypted: {where}")
        if unreadable:
            for where in unreadable[:50]:
                self.stderr.write(f"no configured key decrypts {where}")
            raise CommandError(
                f"{len(unreadable)} values or files are encrypted under a key that is not in "
                "FIELD_ENCRYPTION_KEYS: add that key back and run again."
            )
        if skipped:
            raise CommandError(
                f"{len(skipped)} rows kept changing while being re-encrypted and may still hold "
                "values under an old key: run again before removing a key."
            )
