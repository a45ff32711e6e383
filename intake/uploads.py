"""Files from the public form: checked by content, images re-encoded to drop their metadata.

Between the steps of the form, accepted files wait in private storage under `tmp/<draft key>/`;
on Send they become `Attachment` rows and the waiting folder is removed. Folders of forms that
were never sent are removed by `purge_abandoned_uploads` (a periodic task). Files sent later on
the follow-up page pass the same checks and become attachments at once (`attach_later`).
"""

import hashlib
import io
import logging
import shutil
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from meldpunt.core.storage import private_storage
from signals.models import Attachment, Message, Signal

from . import antivirus, pdf, pure_image

logger = logging.getLogger(__name__)

MAX_FILES = 3
MAX_BYTES = 10 * 1024 * 1024
# The pixel budget of one image: larger ones are refused from their header, before they are
# decoded (a small PNG can announce a huge image, and decoding costs about 4 bytes a pixel, more
# while it is redrawn). 25 megapixels takes the photos of ordinary phone cameras.
MAX_PIXELS = 25_000_000
# Images decoded at the same time in one process: a burst of uploads queues here instead of
# taking memory for all of them at once.
_DECODING = threading.BoundedSemaphore(2)
NAME_MAX_LENGTH = 200
TEMPORARY_FOLDER = "tmp"
ABANDONED_AFTER_SECONDS = 2 * 3600

# Control, format (bidi overrides, zero-width), separator and unassigned characters.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}


class TooManyPixels(Exception):
    """The image's header announces more pixels than MAX_PIXELS: it is not decoded."""


class DecodingRefused(Exception):
    """The client used up its decoding budget (see intake.public.ratelimit): not decoded."""


@dataclass
class CleanFile:
    name: str
    content_type: str
    data: bytes


def visible_name(name: str) -> str:
    """The reporter's file name without folders and without invisible characters, for display.

    Never used as a path (files are stored under a random name). Control and format characters
    go: NUL, line breaks, and the bidirectional overrides (U+202E) that make a name such as
    "photo<U+202E>gpj.exe" read as "photoexe.jpg".
    """
    visible = "".join(
        character
        for character in unicodedata.normalize("NFC", name)
        if unicodedata.category(character) not in _INVISIBLE_CATEGORIES
    )
    return Path(visible.replace("\\", "/")).name.strip(" .")[-NAME_MAX_LENGTH:] or "file"


def _display_name(name: str, extension: str) -> str:
    """The visible name with the extension of what the file really is."""
    stem = visible_name(name).rsplit(".", 1)[0].strip(" .") or "file"
    return stem[: NAME_MAX_LENGTH - len(extension)] + extension


def _reencoded(
    data: bytes, may_decode: Callable[[int], bool] | None, *, keep_metadata: bool
) -> tuple[str, bytes]:
    """The image drawn again from its pixels only: no EXIF, GPS, XMP, ICC or comments remain.
    With `keep_metadata`, the image rebuilt from its picture and metadata parts instead
    (`intake.pure_image`), showing exactly the pixels it showed.

    Opening reads only the header; the pixel budget and the client's decoding budget are
    checked on its size before any pixel is decoded."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format not in _IMAGE_TYPES:
            raise ValueError(image.format)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise TooManyPixels
        if may_decode is not None and not may_decode(width * height):
            raise DecodingRefused
        with _DECODING:
            if keep_metadata:
                return image.format, _with_metadata(data, image)
            return _redrawn(image)


def _pixels(image: Image.Image) -> tuple:
    """What an image shows, in a form that compares: its size, mode and a hash of its pixels."""
    return image.size, image.mode, hashlib.sha256(image.tobytes()).digest()


def _with_metadata(data: bytes, image: Image.Image) -> bytes:
    """The image with its metadata as evidence, but nothing else: rebuilt from its own parts,
    and refused unless the rebuilt file shows the same pixels (so no part that was dropped
    belonged to the picture, and the file is an image through and through)."""
    rebuilt = pure_image.image_parts_only(data, image.format)
    shown = _pixels(image)
    image.close()
    with Image.open(io.BytesIO(rebuilt)) as again:
        if again.format != image.format or _pixels(again) != shown:
            raise pure_image.NotAnImage("the rebuilt image differs")
    return rebuilt


def _redrawn(image: Image.Image) -> tuple[str, bytes]:
    image_format = image.format
    # Turn the picture as the camera meant before the orientation tag is dropped. In place and
    # without needless copies: a large image costs its pixels two or three times at most.
    ImageOps.exif_transpose(image, in_place=True)
    if image_format == "JPEG":
        mode = "L" if image.mode == "L" else "RGB"
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    pixels = image if image.mode == mode else image.convert(mode)
    # A new image holds the pixels only: no EXIF, GPS, XMP, ICC profile or comment.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    del pixels
    output = io.BytesIO()
    if image_format == "JPEG":
        clean.save(output, format="JPEG", quality=90)
    else:
        clean.save(output, format="PNG")
    return image_format, output.getvalue()


def clean_upload(
    uploaded,
    *,
    keep_metadata: bool = False,
    may_decode: Callable[[int], bool] | None = None,
) -> CleanFile:
    """Accept a JPEG, PNG or PDF of at most MAX_BYTES, judged by its content, not its name.

    An image keeps its metadata only when the reporter chose to keep it as evidence; it is then
    rebuilt from its picture and metadata parts alone and must show the same pixels, so that a
    file that is an image and something else too (a polyglot) passes as the image only. A PDF
    with active content is refused, and what passes is written anew (`intake.pdf`). Before an
    image is decoded, `may_decode` (when given) is asked with its pixel count: the public form's
    per-address decoding budget. Accepted files are scanned for viruses when ClamAV is configured
    (intake.antivirus).
    """
    accepted = _sniffed(uploaded, keep_metadata=keep_metadata, may_decode=may_decode)
    _scan(uploaded)
    return accepted


def _scan(uploaded) -> None:
    """Scan the file as it was sent: what is stored is drawn from it (an image redrawn, a PDF
    written anew), and a file that carried harm is refused even when what is kept would not."""
    if not antivirus.is_configured():
        return
    uploaded.seek(0)
    try:
        found = antivirus.scan(uploaded.read(MAX_BYTES + 1))
    except antivirus.ScanUnavailable as problem:
        logger.error("virus scanner unavailable, upload refused: %s", problem)
        raise ValidationError(
            _(
                "We cannot check files for viruses at the moment, so “%(name)s” was not added. "
                "Your other answers are kept. Please try again in a few minutes."
            ),
            code="scan_unavailable",
            params={"name": visible_name(uploaded.name)},
        ) from None
    if found is not None:
        logger.warning("upload refused: clamd found %s", found)
        raise ValidationError(
            _("“%(name)s” contains a virus or other harmful content. It was not added."),
            code="infected",
            params={"name": visible_name(uploaded.name)},
        )


def _sniffed(
    uploaded, *, keep_metadata: bool, may_decode: Callable[[int], bool] | None
) -> CleanFile:
    if uploaded.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than 10 MB. Choose a smaller file."),
            code="too_big",
            params={"name": visible_name(uploaded.name)},
        )
    data = uploaded.read(MAX_BYTES + 1)
    if data.startswith(b"%PDF"):
        return CleanFile(
            _display_name(uploaded.name, ".pdf"),
            "application/pdf",
            _pdf(uploaded, data, keep_metadata=keep_metadata),
        )
    try:
        image_format, clean = _reencoded(data, may_decode, keep_metadata=keep_metadata)
    except DecodingRefused:
        raise ValidationError(
            _(
                "You added many photos in a short time, so “%(name)s” was not added. "
                "Your other answers are kept. Please try again in an hour."
            ),
            code="decoding_limited",
            params={"name": visible_name(uploaded.name)},
        ) from None
    except (TooManyPixels, Image.DecompressionBombError):
        raise ValidationError(
            _(
                "“%(name)s” has too many pixels (at most %(megapixels)d megapixels). "
                "Send a smaller version of the photo."
            ),
            code="too_many_pixels",
            params={"name": visible_name(uploaded.name), "megapixels": MAX_PIXELS // 1_000_000},
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG or PNG) or a PDF file. It was not added."),
            code="wrong_type",
            params={"name": visible_name(uploaded.name)},
        ) from None
    content_type, extension = _IMAGE_TYPES[image_format]
    return CleanFile(_display_name(uploaded.name, extension), content_type, clean)


def _pdf(uploaded, data: bytes, *, keep_metadata: bool) -> bytes:
    """The PDF written anew without active content, or a refusal (`intake.pdf`)."""
    try:
        return pdf.sanitised_pdf(data, keep_metadata=keep_metadata)
    except pdf.UnsafePdf:
        raise ValidationError(
            _(
                "“%(name)s” contains scripts, attached files or other active parts, or is "
                "protected with a password, so it was not added. Save or print it as a new PDF, "
                "or send a photo of it."
            ),
            code="active_pdf",
            params={"name": visible_name(uploaded.name)},
        ) from None
    except pdf.NotAPdf:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG or PNG) or a PDF file. It was not added."),
            code="wrong_type",
            params={"name": visible_name(uploaded.name)},
        ) from None


class LimitedUploadHandler(FileUploadHandler):
    """Stops storing a file at MAX_BYTES, and any file after MAX_FILES, while it is received.

    Such a file reaches the form as an empty stand-in that keeps its name and (counted) size, so
    the form refuses it with a message and keeps the rest. Put first in `request.upload_handlers`.
    """

    def __init__(self, request=None, max_files: int = MAX_FILES) -> None:
        super().__init__(request)
        self.max_files = max_files
        self.index = -1

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.index += 1
        self.received = 0
        self.cut = self.index >= self.max_files

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > MAX_BYTES:
            self.cut = True
        return None if self.cut else raw_data

    def file_complete(self, file_size: int):
        if not self.cut:
            return None
        stand_in = SimpleUploadedFile(self.file_name or "file", b"", self.content_type)
        stand_in.size = self.received
        return stand_in


def keep_for_later(draft_key: str, clean: CleanFile) -> dict:
    """Store an accepted file until the form is sent; returns what the session remembers."""
    file_id = uuid.uuid4().hex
    path = private_storage().save(
        f"{TEMPORARY_FOLDER}/{uuid.UUID(draft_key).hex}/{file_id}", ContentFile(clean.data)
    )
    return {
        "id": file_id,
        "path": path,
        "name": clean.name,
        "content_type": clean.content_type,
        "size": len(clean.data),
    }


def forget(upload: dict) -> None:
    private_storage().delete(upload["path"])


def attach(signal: Signal, uploads: list[dict]) -> None:
    """Turn the waiting files into attachments of `signal` (inside its creating transaction)."""
    storage = private_storage()
    for upload in uploads:
        try:
            with storage.open(upload["path"], "rb") as waiting:
                data = waiting.read()
        except FileNotFoundError:
            # Purged as abandoned while the reporter still had the form open: the report counts.
            logger.warning("waiting upload %s was gone when the report was sent", upload["id"])
            continue
        _store(signal, CleanFile(upload["name"], upload["content_type"], data))


def attach_later(signal: Signal, files: list[CleanFile], *, message: Message) -> list[Attachment]:
    """Files the reporter sent afterwards (on the follow-up page), checked by `clean_upload`
    like the report's own: attachments of `signal` that say which message brought them."""
    return [_store(signal, clean, message=message) for clean in files]


def _store(signal: Signal, clean: CleanFile, *, message: Message | None = None) -> Attachment:
    attachment = Attachment(
        signal=signal,
        message=message,
        original_name=clean.name,
        content_type=clean.content_type,
        size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
    )
    attachment.file.save(uuid.uuid4().hex, ContentFile(clean.data), save=False)
    attachment.save()
    return attachment


def discard_draft_files(draft_key: str) -> None:
    folder = Path(private_storage().location) / TEMPORARY_FOLDER / uuid.UUID(draft_key).hex
    shutil.rmtree(folder, ignore_errors=True)


def purge_abandoned_uploads(older_than_seconds: int = ABANDONED_AFTER_SECONDS) -> int:
    """Remove waiting folders of forms that were not sent (their session has long expired)."""
    root = Path(private_storage().location) / TEMPORARY_FOLDER
    if not root.is_dir():
        return 0
    cutoff = time.time() - older_than_seconds
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
