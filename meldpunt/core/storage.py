"""Where uploaded files live: MEDIA_ROOT/private, a folder that no URL serves, encrypted.

Every file (attachments, and public-form uploads waiting for Send) is written as Fernet
ciphertext under FIELD_ENCRYPTION_KEYS (meldpunt.core.crypto) and decrypted when opened, so a
copy of the disk or a backup shows no photo or document. Files are size-limited (intake.uploads), so
encrypting them whole in memory is fine.
"""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from . import crypto


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        data = b"".join(content.chunks())
        return super()._save(name, ContentFile(crypto.encrypt_bytes(data)))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as stored:
            data = crypto.decrypt_bytes(stored.read())
        return ContentFile(data, name=name)

    def read_raw(self, name: str) -> bytes:
        """The file as stored (ciphertext), for re-encryption under a new key."""
        with super()._open(name, "rb") as stored:
            return stored.read()

    def write_raw(self, name: str, data: bytes) -> None:
        """Replace a stored file's ciphertext in place, through a temporary file and a rename,
        so a crash leaves the old or the new file, never half of one."""
        path = Path(self.path(name))
        temporary = path.with_name(path.name + ".rotating")
        temporary.write_bytes(data)
        temporary.replace(path)


def private_storage() -> EncryptedFileSystemStorage:
    """Files of reporters (photos, documents). Read only through views that check access."""
    return EncryptedFileSystemStorage(location=Path(storages["default"].location) / "private")
