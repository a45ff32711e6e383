"""Keeping the receipt code: the reporter confirms the code's end before finishing, can save it
as a file without JavaScript, and is told that it cannot be recovered."""

import pytest

from signals.models import Signal
from tests.test_public_report import CODE_PATTERN, REPORT, quick_report

pytestmark = pytest.mark.django_db

RECEIPT = "/en/report/receipt/"
FOLLOW_UP = "/en/report/follow-up/"


def test_a_reporter_cannot_finish_without_confirming_the_code(reporter, reference_data):
    code = quick_report(reporter)
    assert Signal.objects.count() == 1

    # Not typed, or typed wrong: the receipt page again, with the code and the error.
    for typed in ("", "ZZZZ", code[:4] if code[:4] != code[-4:] else "0000"):
        response = reporter.post(RECEIPT, {"action": "confirm", "last_four": typed})
        page = response.content.decode()
        assert response.status_code == 400
        assert CODE_PATTERN.search(page).group(0) == code
        assert "last four characters of your code" in page
        assert "You are finished" not in page
    # Leaving for the form brings the receipt back while it is not confirmed.
    assert reporter.get(REPORT).url == RECEIPT
    assert CODE_PATTERN.search(reporter.get(RECEIPT).content.decode()).group(0) == code

    # Typed as people type it: small letters, a space.
    last = code[-4:]
    response = reporter.post(
        RECEIPT, {"action": "confirm", "last_four": f" {last[:2].lower()} {last[2:]} "}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "You are finished" in page
    assert code not in page and "no-store" in response["Cache-Control"]
    # The code is gone from the session: the form starts afresh.
    assert reporter.get(RECEIPT).url == REPORT
    assert "Step 1 of" in reporter.get(REPORT).content.decode()


def test_the_receipt_page_offers_a_file_and_print_and_says_the_code_cannot_be_recovered(
    reporter, reference_data
):
    code = quick_report(reporter)
    page = reporter.get(RECEIPT).content.decode()
    assert "cannot be recovered" in page and "nobody can give it to you again" in page
    assert 'value="download"' in page and "data-print" in page

    download = reporter.post(RECEIPT, {"action": "download"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"] == 'attachment; filename="code.txt"'
    assert "no-store" in download["Cache-Control"]
    assert code in download.content.decode()
    # Saving is not confirming.
    assert reporter.get(REPORT).url == RECEIPT


def test_without_a_report_sent_there_is_no_receipt(client, reference_data):
    assert client.get(RECEIPT).url == REPORT
    assert client.post(RECEIPT, {"action": "download"}).url == REPORT


def test_the_follow_up_leads_back_to_the_receipt_until_the_code_is_confirmed(
    reporter, reference_data
):
    """The follow-up page asks for the code: reached from the receipt page (its header's "I have
    a receipt code") before the code was saved, it leads back to the only page that shows it."""
    code = quick_report(reporter)
    assert "Follow your report with your receipt code" not in reporter.get(RECEIPT).content.decode()
    assert reporter.get(FOLLOW_UP).url == RECEIPT
    assert CODE_PATTERN.search(reporter.get(RECEIPT).content.decode()).group(0) == code
    finished = reporter.post(RECEIPT, {"action": "confirm", "last_four": code[-4:]})
    assert "Follow your report with your receipt code" in finished.content.decode()
    assert 'name="code"' in reporter.get(FOLLOW_UP).content.decode()
