"""Hostile files: names that try to leave the storage folder or fool the eye, pixel bombs, zip
files and zip bombs in disguise, oversized and too many files. Each is refused with a message
next to the field or stored under a random name; never a server error, never a half upload."""

import functools
import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from access.services import grant_submitter_access
from intake import uploads
from meldpunt.core.storage import private_storage
from organisations.models import Membership, Organisation
from signals.models import Attachment, Signal
from tests.factories import AttachmentFactory, OrganisationFactory, SignalFactory
from tests.helpers import (
    description_only_intake,
    files_waiting_for_send,
    member_of,
    signed_in,
)

pytestmark = pytest.mark.django_db

REPORT = "/en/report/"
BOUNDARY = "hostile-boundary"


def png_bytes(size=(8, 8)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "red").save(output, format="PNG")
    return output.getvalue()


def jpeg_bytes(size=(8, 8)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "blue").save(output, format="JPEG")
    return output.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A few hundred bytes whose header announces width x height pixels."""
    data = png_bytes()
    start = data.index(b"IHDR")
    header = struct.pack("!II", width, height) + data[start + 12 : start + 17]
    chunk = b"IHDR" + header
    return (
        data[: start - 4]
        + struct.pack("!I", 13)
        + chunk
        + struct.pack("!I", zlib.crc32(chunk))
        + data[start + 21 :]
    )


def jpeg_bomb(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) announces width x height pixels."""
    data = bytearray(jpeg_bytes())
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack("!HH", height, width)
    return bytes(data)


def zip_bytes(content: bytes = b"hello", name: str = "inner.txt") -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return output.getvalue()


@functools.cache
def zip_bomb() -> bytes:
    """Some tens of kilobytes that unpack to 30 MB (a real bomb nests this many times)."""
    return zip_bytes(b"\0" * 30_000_000, "bomb.bin")


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> bytes:
    """A multipart body as a browser could send it, file names exactly as given (the test client
    would strip folders from them before they reach the server)."""
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(item).encode()
                + b"\r\n"
            )
    for field, filename, content in files:
        parts.append(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{field}"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_multipart(client, url, fields, files):
    return client.generic(
        "POST",
        url,
        multipart(fields, files),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def send_report(client) -> Signal:
    import re

    client.post(REPORT, {"step": "photos", "action": "next"})
    client.post(REPORT, {"step": "contact", "action": "next"})
    page = client.get(REPORT).content.decode()
    token = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    client.post(REPORT, {"step": "check", "action": "send", "receipt": token})
    return Signal.objects.get()


HOSTILE_NAMES = {
    "../../etc/passwd.jpg": "passwd.png",
    "/etc/cron.d/evil.jpg": "evil.png",
    "..\\..\\windows\\win.ini.jpg": "win.ini.png",
    "photo\x00.php.jpg": "photo.php.png",
    "invoice\u202egnp.exe": "invoicegnp.png",
    # The longest name a file system allows (255), and a name no browser sends.
    "y" * 251 + ".jpg": "y" * 196 + ".png",
    "x" * 5_000 + ".jpg": "x" * 196 + ".png",
    "zero\u200bwidth\r\n.jpg": "zerowidth.png",
}
# What a browser can put in a multipart header (no line breaks), three at a time.
UPLOAD_BATCHES = [list(HOSTILE_NAMES)[:3], list(HOSTILE_NAMES)[3:6]]


@pytest.mark.parametrize("names", UPLOAD_BATCHES, ids=["folders", "invisible-and-long"])
def test_hostile_file_names_are_stored_under_random_names_with_a_clean_label(reporter, names):
    files = [("files", name, png_bytes()) for name in names]
    response = post_multipart(reporter, REPORT, {"step": "photos", "action": "upload"}, files)
    assert response.status_code == 302
    waiting = files_waiting_for_send(reporter)
    assert len(waiting) == len(names)
    assert all(len(path.name) == 32 for path in waiting)
    signal = send_report(reporter)

    # The extension follows the content, not the name.
    assert sorted(signal.attachments.values_list("original_name", flat=True)) == sorted(
        HOSTILE_NAMES[name] for name in names
    )
    root = Path(private_storage().location).resolve()
    for attachment in signal.attachments.all():
        path = Path(attachment.file.path).resolve()
        assert path.is_relative_to(root / "attachments")
        assert len(path.name) == 32


def test_a_file_name_too_long_to_parse_is_a_bad_request_and_the_answers_stay(reporter):
    name = "x" * 5_000 + ".jpg"
    response = post_multipart(reporter, REPORT, {"step": "photos"}, [("files", name, png_bytes())])
    # Django refuses multipart part headers over 1 KB before any view runs.
    assert response.status_code == 400
    assert files_waiting_for_send(reporter) == []
    assert reporter.session["public_report"]["answers"]["what"]["description"] == "With files"


@pytest.mark.parametrize(("name", "expected"), HOSTILE_NAMES.items())
def test_the_name_is_cleaned_for_any_caller(name, expected):
    clean = uploads.clean_upload(SimpleUploadedFile(name, png_bytes()))
    assert clean.name == expected
    assert len(clean.name) <= uploads.NAME_MAX_LENGTH
    assert not any(character in clean.name for character in "/\\\x00\r\n\u202e\u200b")


@pytest.fixture
def stored_with_name():
    police = OrganisationFactory(name="Politie", kind=Organisation.Kind.POLICE)
    signal = SignalFactory(submitted_by=police)
    grant_submitter_access(signal, organisation=police)
    client = signed_in(member_of(police, Membership.Role.PROFESSIONAL))

    def download(original_name: str):
        attachment = AttachmentFactory(
            signal=signal,
            original_name=original_name,
            content_type="application/pdf",
            content=b"%PDF-1.4",
        )
        url = reverse("pro_signals:attachment", args=[signal.public_id, attachment.public_id])
        return client.get(url)

    return download


def test_the_download_header_cannot_be_injected_into(stored_with_name):
    # Names stored before the clean-up existed, or put in by hand: the header must still hold.
    response = stored_with_name('report".pdf\r\nSet-Cookie: sessionid=stolen; x="')
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "\r" not in disposition and "\n" not in disposition
    assert "stolen" not in str(response.cookies)
    assert "%0D%0ASet-Cookie" in disposition


def test_the_download_name_follows_rfc_6266(stored_with_name):
    response = stored_with_name("verklaring getuige ü.pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''verklaring%20getuige%20%C3%BC.pdf"
    )
    response = stored_with_name('plain "quoted" name.pdf')
    assert response["Content-Disposition"] == 'attachment; filename="plain \\"quoted\\" name.pdf"'


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("huge.png", png_bomb(100_000, 100_000)),
        ("large.png", png_bomb(7_000, 7_000)),
        ("huge.jpg", jpeg_bomb(65_000, 65_000)),
        ("large.jpg", jpeg_bomb(9_000, 5_000)),
    ],
    ids=["png-10G-pixels", "png-49M-pixels", "jpeg-4G-pixels", "jpeg-45M-pixels"],
)
def test_pixel_bombs_are_refused_before_they_are_decoded(name, data):
    assert len(data) < 2_000
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        uploads.clean_upload(SimpleUploadedFile(name, data))
    # Decoding even the smallest of these would take seconds and hundreds of megabytes.
    assert time.monotonic() - started < 0.5
    assert refused.value.code == "too_many_pixels"


def test_a_pixel_bomb_in_the_public_form_gets_a_clear_message(reporter):
    response = post_multipart(
        reporter, REPORT, {"step": "photos"}, [("files", "holiday.png", png_bomb(50_000, 50_000))]
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“holiday.png” has too many pixels (at most 25 megapixels)." in page
    assert files_waiting_for_send(reporter) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.jpg", zip_bytes()),
        ("scan.pdf", zip_bytes()),
        ("scan.png", zip_bomb()),
        ("contract.pdf", zip_bomb()),
        ("word.pdf", b"PK\x03\x04" + b"%PDF-1.4"),
    ],
    ids=["zip-as-jpg", "zip-as-pdf", "zip-bomb-as-png", "zip-bomb-as-pdf", "pdf-inside-zip"],
)
def test_zip_files_and_zip_bombs_in_disguise_are_refused_by_their_content(reporter, name, data):
    started = time.monotonic()
    response = post_multipart(reporter, REPORT, {"step": "photos"}, [("files", name, data)])
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert f"“{name}” is not a photo (JPEG or PNG) or a PDF file." in response.content.decode()
    assert files_waiting_for_send(reporter) == []


def test_too_big_and_too_many_files_in_the_public_form(reporter):
    big = b"%PDF-1.4" + b"0" * uploads.MAX_BYTES
    response = post_multipart(reporter, REPORT, {"step": "photos"}, [("files", "big.pdf", big)])
    assert "“big.pdf” is larger than 10 MB. Choose a smaller file." in response.content.decode()
    many = [("files", f"p{number}.png", png_bytes()) for number in range(5)]
    response = post_multipart(reporter, REPORT, {"step": "photos"}, many)
    page = response.content.decode()
    assert "You can add at most 3 files. “p3.png” was not added." in page
    assert "“p4.png” was not added." in page
    assert len(files_waiting_for_send(reporter)) == 3


@pytest.fixture
def intake(db):
    police = OrganisationFactory(name="Politie", kind=Organisation.Kind.POLICE)
    client = signed_in(member_of(police, Membership.Role.PROFESSIONAL))
    return client, description_only_intake(police, "Workers sleep in the greenhouse.")


def test_the_professional_intake_refuses_hostile_files_and_keeps_nothing(intake):
    client, fields = intake
    cases = [
        ([("attachments", "big.pdf", b"%PDF-1.4" + b"0" * uploads.MAX_BYTES)], "larger than 10 MB"),
        ([("attachments", "bomb.png", png_bomb(30_000, 30_000))], "has too many pixels"),
        ([("attachments", "archive.pdf", zip_bomb())], "is not a photo (JPEG or PNG) or a PDF"),
        (
            [("attachments", f"p{number}.png", png_bytes()) for number in range(12)],
            "A signal can have at most 10 attachments.",
        ),
    ]
    for files, message in cases:
        response = post_multipart(client, "/pro/signals/new/", fields, files)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Signal.objects.exists() and not Attachment.objects.exists()

    response = post_multipart(
        client,
        "/pro/signals/new/",
        fields,
        [("attachments", "../../../etc/shadow.jpg", jpeg_bytes())],
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "shadow.jpg"
    assert (
        Path(attachment.file.path)
        .resolve()
        .is_relative_to(Path(private_storage().location).resolve() / "attachments")
    )


def test_the_api_takes_no_files(db):
    response = post_multipart(
        Client(), "/api/v1/signals/public/", {"description": "x"}, [("file", "a.jpg", jpeg_bytes())]
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
