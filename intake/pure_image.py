"""An image kept with its metadata (the reporter's choice, as evidence) is still an image and
nothing else: rebuilt from its own parts, only those a picture and its camera data need.

A file can be a valid PNG or JPEG and something else at once: HTML in a text chunk or after the
image's end, a ZIP after it, a script in a comment (a polyglot). Re-encoding the pixels would drop
all of that but also the place, time and camera the reporter wants to keep, and would change a
JPEG's pixels. So the file is taken apart and put together again from the segments (JPEG) or
chunks (PNG) that hold the picture, its colours and its EXIF data, in their order and byte for byte;
comments, text chunks, XMP, vendor segments and everything after the image's end are left out.
The caller then checks that the result shows exactly the pixels the original showed.
"""

from __future__ import annotations

import zlib

# JPEG markers kept: tables, frame and scan headers (SOF0-SOF15 but C4 DHT, C8 reserved, CC DAC
# kept), restart interval, number of lines.
_JPEG_TABLES = {0xC4, 0xCC, 0xDB, 0xDD, 0xDC}
_JPEG_FRAMES = {code for code in range(0xC0, 0xD0) if code not in (0xC4, 0xC8, 0xCC)}
_SOS, _EOI = 0xDA, 0xD9
# Application segments kept, by the signature their payload starts with: the JFIF header, EXIF
# (place, time, camera: what the reporter chose to keep), the colour profile, Adobe's colour
# transform (needed to decode CMYK correctly).
_JPEG_APPS = {
    0xE0: (b"JFIF\x00", b"JFXX\x00"),
    0xE1: (b"Exif\x00\x00",),
    0xE2: (b"ICC_PROFILE\x00",),
    0xEE: (b"Adobe",),
}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The chunks of a still picture and its colour and camera data (eXIf). Text chunks (tEXt, zTXt,
# iTXt), animation and private chunks are not kept.
_PNG_KEPT = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"iCCP",
    b"cICP",
    b"sBIT",
    b"pHYs",
    b"bKGD",
    b"tIME",
    b"eXIf",
}


class NotAnImage(ValueError):
    """The file's structure is not that of the image it claims to be."""


def image_parts_only(data: bytes, image_format: str) -> bytes:
    """The image rebuilt from its picture and metadata parts only (see the module)."""
    if image_format == "JPEG":
        return _jpeg(data)
    if image_format == "PNG":
        return _png(data)
    raise NotAnImage(image_format)


def _jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise NotAnImage("no start of image")
    kept, position = [b"\xff\xd8"], 2
    while True:
        if position >= len(data) or data[position] != 0xFF:
            raise NotAnImage("no marker where one belongs")
        while position < len(data) and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= len(data):
            raise NotAnImage("truncated")
        marker = data[position]
        position += 1
        if marker == _EOI:
            kept.append(b"\xff\xd9")
            return b"".join(kept)  # what follows the end of the image is not kept
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > len(data):
            raise NotAnImage("segment length")
        payload = data[position + 2 : position + length]
        segment = bytes((0xFF, marker)) + data[position : position + length]
        position += length
        if (
            marker in _JPEG_TABLES
            or marker in _JPEG_FRAMES
            or marker == _SOS
            or any(payload.startswith(signature) for signature in _JPEG_APPS.get(marker, ()))
        ):
            kept.append(segment)
        if marker == _SOS:
            end = _end_of_scan(data, position)
            kept.append(data[position:end])
            position = end


def _end_of_scan(data: bytes, position: int) -> int:
    """Where the entropy-coded data of a scan ends: at the first marker that is not a stuffed
    zero byte or a restart marker."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise NotAnImage("scan without end")
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
        elif following == 0xFF:
            position += 1
        else:
            return position


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise NotAnImage("no PNG signature")
    kept, position = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise NotAnImage("chunk length")
        body = data[position + 8 : end - 4]
        if zlib.crc32(kind + body) != int.from_bytes(data[end - 4 : end], "big"):
            raise NotAnImage("chunk checksum")
        if kind in _PNG_KEPT:
            kept.append(data[position:end])
        position = end
        if kind == b"IEND":
            return b"".join(kept)  # what follows the end of the image is not kept
    raise NotAnImage("no end of image")
