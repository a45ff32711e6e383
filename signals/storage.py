"""Where uploaded files live: MEDIA_ROOT/private, a folder that no URL serves."""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages


def private_storage() -> FileSystemStorage:
    """Files of reporters (photos, documents). Read only through views that check access."""
    return FileSystemStorage(location=Path(storages["default"].location) / "private")
