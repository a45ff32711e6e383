"""Optional ClamAV scanning of uploads (signals.antivirus).

No clamd runs on the test machines, so these tests talk to a small stand-in server that speaks
clamd's INSTREAM protocol as documented in clamd(8): it reads the "zINSTREAM" command and the
length-prefixed chunks up to a zero length, and answers "stream: OK" or "stream: <name> FOUND"
(it "finds" the EICAR test string anywhere in the stream). It checks the protocol, not ClamAV.
"""

import shutil
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from intake import antivirus, uploads
from organisations.models import Membership, Organisation
from signals.models import Attachment, Signal
from tests.factories import OrganisationFactory
from tests.helpers import (
    description_only_intake,
    files_waiting_for_send,
    member_of,
    pdf_bytes,
    signed_in,
)

# The EICAR anti-virus test file, put together here so that this source is not itself flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + b"$H+H*"
CLEAN_PDF = pdf_bytes(b" a witness statement")
INFECTED_PDF = pdf_bytes(EICAR)


class StandInClamd:
    """A clamd that answers INSTREAM on a unix socket or TCP, one connection at a time."""

    def __init__(self, listener: socket.socket, reply: bytes | None = None) -> None:
        self.listener = listener
        self.reply = reply
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                self._answer(connection)

    def _read(self, connection, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = connection.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def _answer(self, connection) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self._read(connection, 1)
        self.commands.append(command)
        stream = b""
        while True:
            (length,) = struct.unpack("!L", self._read(connection, 4))
            if length == 0:
                break
            stream += self._read(connection, length)
        self.received.append(stream)
        if self.reply is not None:
            connection.sendall(self.reply)
        elif EICAR in stream:
            connection.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            connection.sendall(b"stream: OK\0")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def socket_path():
    """A unix socket path short enough for the 108-byte limit (pytest's tmp_path may not be)."""
    folder = tempfile.mkdtemp(prefix="clamd-")
    yield str(Path(folder) / "clamd.sock")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clamd_unix(socket_path, settings):
    path = socket_path
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen()
    server = StandInClamd(listener)
    settings.CLAMD_SOCKET = path
    settings.CLAMD_HOST = ""
    yield server
    server.close()


@pytest.fixture
def clamd_tcp(settings):
    listener = socket.create_server(("127.0.0.1", 0))
    server = StandInClamd(listener)
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", listener.getsockname()[1]
    yield server
    server.close()


def test_without_configuration_nothing_is_scanned(settings):
    settings.CLAMD_SOCKET, settings.CLAMD_HOST = "", ""
    assert not antivirus.is_configured()
    accepted = uploads.clean_upload(SimpleUploadedFile("a.pdf", INFECTED_PDF))
    # Accepted, and written anew: what followed the document's end is not kept.
    assert accepted.content_type == "application/pdf" and EICAR not in accepted.data


def test_a_clean_file_is_streamed_whole_in_chunks_over_the_unix_socket(clamd_unix):
    data = CLEAN_PDF + b"0" * (3 * antivirus.CHUNK_BYTES)
    assert antivirus.scan(data) is None
    assert clamd_unix.commands == [b"zINSTREAM\0"]
    assert clamd_unix.received == [data]


def test_a_virus_is_named_over_tcp(clamd_tcp):
    assert antivirus.scan(INFECTED_PDF) == "Eicar-Test-Signature"
    assert antivirus.scan(b"") is None


def test_an_infected_upload_is_refused_with_a_message(clamd_unix):
    with pytest.raises(ValidationError) as refused:
        uploads.clean_upload(SimpleUploadedFile("statement.pdf", INFECTED_PDF))
    assert refused.value.code == "infected"
    assert uploads.clean_upload(SimpleUploadedFile("ok.pdf", CLEAN_PDF)).data.startswith(b"%PDF")


@pytest.mark.parametrize(
    "reply",
    [b"INSTREAM size limit exceeded. ERROR\0", b"", b"stream: Can't allocate memory ERROR\0"],
)
def test_an_error_from_clamd_fails_closed(socket_path, settings, reply):
    path = socket_path
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen()
    server = StandInClamd(listener, reply=reply)
    settings.CLAMD_SOCKET = path
    try:
        with pytest.raises(antivirus.ScanUnavailable):
            antivirus.scan(CLEAN_PDF)
    finally:
        server.close()


def test_an_unreachable_clamd_fails_closed(socket_path, settings):
    settings.CLAMD_SOCKET = socket_path
    with pytest.raises(antivirus.ScanUnavailable):
        antivirus.scan(CLEAN_PDF)
    settings.CLAMD_SOCKET = ""
    closed = socket.create_server(("127.0.0.1", 0))
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", closed.getsockname()[1]
    closed.close()
    with pytest.raises(antivirus.ScanUnavailable):
        antivirus.scan(CLEAN_PDF)


REPORT = "/en/report/"


def test_the_public_form_refuses_an_infected_file_and_keeps_the_clean_one(clamd_unix, reporter):
    files = [
        SimpleUploadedFile("virus.pdf", INFECTED_PDF),
        SimpleUploadedFile("statement.pdf", CLEAN_PDF),
    ]
    response = reporter.post(REPORT, {"step": "photos", "files": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“virus.pdf” contains a virus or other harmful content. It was not added." in page
    assert "statement.pdf" in page
    assert len(files_waiting_for_send(reporter)) == 1
    assert [upload["name"] for upload in reporter.session["public_report"]["uploads"]] == [
        "statement.pdf"
    ]


def test_the_public_form_asks_to_try_again_when_clamd_is_down(settings, socket_path, reporter):
    settings.CLAMD_SOCKET = socket_path
    response = reporter.post(
        REPORT, {"step": "photos", "files": [SimpleUploadedFile("statement.pdf", CLEAN_PDF)]}
    )
    assert response.status_code == 200
    assert (
        "We cannot check files for viruses at the moment, so “statement.pdf” was not added. "
        "Your other answers are kept. Please try again in a few minutes."
    ) in response.content.decode()
    assert files_waiting_for_send(reporter) == []
    # The rest of the report is still there, and the reporter can go on without the file.
    assert reporter.session["public_report"]["answers"]["what"]["description"] == "With files"
    assert reporter.post(REPORT, {"step": "photos", "action": "next"}).status_code == 302


@pytest.mark.django_db
def test_the_professional_intake_stores_nothing_from_an_infected_upload(clamd_tcp):
    police = OrganisationFactory(name="Politie", kind=Organisation.Kind.POLICE)
    client = signed_in(member_of(police, Membership.Role.PROFESSIONAL))
    data = description_only_intake(police, "A statement with a virus.")
    response = client.post(
        "/pro/signals/new/", {**data, "attachments": [SimpleUploadedFile("v.pdf", INFECTED_PDF)]}
    )
    assert response.status_code == 400
    assert "“v.pdf” contains a virus" in response.content.decode()
    assert not Signal.objects.exists() and not Attachment.objects.exists()
    response = client.post(
        "/pro/signals/new/", {**data, "attachments": [SimpleUploadedFile("s.pdf", CLEAN_PDF)]}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "s.pdf"
    assert clamd_tcp.received[-1] == CLEAN_PDF
