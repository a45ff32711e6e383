"""PDF uploads: only a document, never something that runs or carries other files.

A PDF is parsed with pypdf (a maintained, pure-Python library: nothing is rendered) and refused
when it contains active content: JavaScript, an action that launches a program, submits or
imports data or opens another file, actions run on events (/AA), an open action other than
going to a page, embedded files or file attachments, multimedia or XFA forms. What passes is
written anew from the objects the document really uses, so bytes outside them (a ZIP appended
after the PDF, a payload between its objects) are not stored. A file that is also a ZIP archive
(a "%PDF" header in front of an archive) is refused before it is parsed.
"""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Keys whose presence makes a document active, wherever they are.
_ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/RichMediaContent",
    "/XFA",
}
# Actions (/S) that run, launch, send or fetch something.
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/RichMediaExecute",
    "/Rendition",
    "/Movie",
    "/Sound",
}
_ACTIVE_TYPES = {"/EmbeddedFile", "/Filespec"}
_ACTIVE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}
# A document with more objects than this is not looked at further (a parser bomb).
MAX_OBJECTS = 200_000


class UnsafePdf(ValueError):
    """The file holds active content, is also an archive, or is protected by a password."""


class NotAPdf(ValueError):
    """The file cannot be read as a PDF."""


def sanitised_pdf(data: bytes, *, keep_metadata: bool = False) -> bytes:
    """The document written anew, when it holds no active content (see the module); without
    its document information (author, producer, creator, title, dates) and XMP metadata, which
    often name the person who made it, unless the reporter asked to keep them."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise UnsafePdf("also a ZIP archive")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsafePdf("protected by a password")
        if not reader.pages:
            raise NotAPdf("no pages")
        _refuse_active_content(reader.trailer["/Root"])
        writer = PdfWriter(clone_from=reader)
        if not keep_metadata:
            writer.metadata = None
            writer.root_object.pop(NameObject("/Metadata"), None)
        output = io.BytesIO()
        writer.write(output)
    except (UnsafePdf, NotAPdf):
        raise
    # A hostile file can make a parser fail in any way: each is a file that is not a PDF.
    except Exception as problem:
        raise NotAPdf(type(problem).__name__) from problem
    written = output.getvalue()
    if zipfile.is_zipfile(io.BytesIO(written)):
        raise UnsafePdf("an archive inside")
    return written


def _refuse_active_content(root) -> None:
    seen: set[tuple[int, int]] = set()
    stack, looked_at = [root], 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        looked_at += 1
        if looked_at > MAX_OBJECTS:
            raise UnsafePdf("too many objects")
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            _check(item)
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _check(dictionary: DictionaryObject) -> None:
    found = _ACTIVE_KEYS.intersection(dictionary.keys())
    if found:
        raise UnsafePdf(", ".join(sorted(found)))
    for key, forbidden in (("/S", _ACTIVE_ACTIONS), ("/Type", _ACTIVE_TYPES)):
        value = dictionary.get(key)
        if isinstance(value, NameObject) and value in forbidden:
            raise UnsafePdf(str(value))
    subtype = dictionary.get("/Subtype")
    if isinstance(subtype, NameObject) and subtype in _ACTIVE_SUBTYPES:
        raise UnsafePdf(str(subtype))
    opening = dictionary.get("/OpenAction")
    if opening is not None:
        opening = opening.get_object()
        # Opening at a page (a destination, or a GoTo action) is all a document may do.
        if isinstance(opening, DictionaryObject) and opening.get("/S") != "/GoTo":
            raise UnsafePdf("/OpenAction")
