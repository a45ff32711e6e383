"""Optional virus scan of uploaded files by ClamAV's daemon (clamd), over its INSTREAM protocol.

Scanning is on when `CLAMD_SOCKET` (a unix socket) or `CLAMD_HOST` is set. The file is sent in
chunks, each preceded by its length as a 4-byte big-endian number, and ended by a zero length;
clamd answers "stream: OK" or "stream: <signature> FOUND". The protocol is small enough to speak
here directly (the `clamd` package on PyPI is unmaintained since 2014).

Fail closed: when scanning is configured but clamd cannot be reached or answers with an error,
the file is refused with "try again later" (ScanUnavailable); it is never accepted unscanned.
"""

import socket
import struct

from django.conf import settings

CHUNK_BYTES = 64 * 1024


class ScanUnavailable(Exception):
    """clamd is configured but did not give a verdict."""


def is_configured() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_HOST)


def _connect() -> socket.socket:
    timeout = settings.CLAMD_TIMEOUT
    if settings.CLAMD_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(settings.CLAMD_SOCKET)
        return connection
    return socket.create_connection((settings.CLAMD_HOST, settings.CLAMD_PORT), timeout=timeout)


def _reply(connection: socket.socket) -> str:
    """clamd's answer, which ends with a NUL byte (the "z" form of the command)."""
    received = b""
    while not received.endswith(b"\0"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(data: bytes) -> str | None:
    """The name of the virus found in `data`, or None when clamd finds it clean.

    Raises ScanUnavailable when clamd cannot be reached, times out or reports an error (for
    instance that the file exceeds its StreamMaxLength).
    """
    try:
        with _connect() as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK_BYTES):
                chunk = data[start : start + CHUNK_BYTES]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = _reply(connection)
    except OSError as error:
        raise ScanUnavailable(str(error)) from error
    _, _, verdict = answer.partition(": ")
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict.removesuffix(" FOUND")
    raise ScanUnavailable(answer or "no answer")
