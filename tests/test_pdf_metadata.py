"""Uploaded PDFs lose their author, producer and similar fields, unless the reporter keeps them as
evidence; a PDF that cannot be written anew is refused (intake.pdf), so none keeps them unasked."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from intake import uploads
from signals.models import Attachment
from tests.test_public_report import REPORT, STEPS, post_step, send


def pdf(*, password: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata(
        {"/Author": "Ana Popescu", "/Producer": "Tracker PDF 9", "/Creator": "Boss Laptop"}
    )
    if password:
        writer.encrypt(password)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _upload(data: bytes, **options) -> bytes:
    return uploads.clean_upload(
        SimpleUploadedFile("contract.pdf", data, "application/pdf"), **options
    ).data


def test_author_producer_and_creator_are_removed():
    clean = _upload(pdf())
    for field in (b"Ana Popescu", b"Tracker PDF 9", b"Boss Laptop"):
        assert field not in clean
    assert not PdfReader(io.BytesIO(clean)).metadata
    assert len(PdfReader(io.BytesIO(clean)).pages) == 1


def test_kept_when_the_reporter_keeps_them_and_a_pdf_that_cannot_be_rewritten_is_refused():
    assert b"Ana Popescu" in _upload(pdf(), keep_metadata=True)
    for unreadable in (pdf(password="geheim"), b"%PDF-1.4 not really a PDF"):
        with pytest.raises(ValidationError):
            _upload(unreadable)


@pytest.mark.django_db
def test_a_pdf_sent_with_the_public_form_is_stored_without_them(reporter, reference_data):
    page = reporter.get(REPORT).content.decode()
    assert "From PDF files we remove the author and similar information." in page
    post_step(reporter, "what", description="The contract they had to sign.")
    for step in STEPS[1:]:
        if step == "photos":
            reporter.post(
                REPORT,
                {
                    "step": "photos",
                    "action": "upload",
                    "files": [SimpleUploadedFile("contract.pdf", pdf(), "application/pdf")],
                },
            )
        post_step(reporter, step)
    send(reporter)
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        assert b"Ana Popescu" not in stored.read()
