"""The receipt lookup has a key of its own: rotating Django's SECRET_KEY locks nobody out."""

import uuid

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client, override_settings
from django.utils.crypto import salted_hmac

from intake.public.services import PublicReport, receive_public_report
from signals import receipts
from signals.models import Signal
from signals.selectors import signal_for_receipt

pytestmark = pytest.mark.django_db

FOLLOW_UP = "/en/report/follow-up/"
OLD_SECRET = "an-old-django-secret-key-" + "o" * 40
NEW_SECRET = "a-new-django-secret-key-" + "n" * 40


def _report(code: str) -> Signal:
    signal, _created = receive_public_report(
        PublicReport(
            language="en",
            description="Workers sleep in the greenhouse.",
            submission_key=uuid.uuid4(),
            receipt_code=code,
        )
    )
    return signal


def _argon2(code: str) -> str:
    """The Argon2 hash of a code, as signals were stored with before."""
    hasher = Argon2PasswordHasher()
    return hasher.encode(code, hasher.salt())


def _stored_under_secret_key(code: str) -> Signal:
    """A signal as it was stored before the lookup had its own key: HMAC under SECRET_KEY."""
    signal = _report(code)
    legacy = salted_hmac("signals.receipts.lookup", code, algorithm="sha256").hexdigest()
    Signal.objects.filter(pk=signal.pk).update(receipt_lookup=legacy)
    return signal


def test_rotating_secret_key_leaves_every_receipt_code_working(reference_data):
    with override_settings(SECRET_KEY=OLD_SECRET):
        new_style = receipts.new_code()
        fresh = _report(new_style)
        used, unused = receipts.new_code(), receipts.new_code()
        old_used = _stored_under_secret_key(used)
        old_unused = _stored_under_secret_key(unused)
        # Used once under the old key: found, and its lookup rewritten under the receipt key.
        assert signal_for_receipt(used) == old_used
    assert Signal.objects.get(pk=old_used.pk).receipt_lookup == receipts.lookup_key(used)

    # The old secret key stays a fallback (Django's own rotation) until every code was used.
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[OLD_SECRET]):
        assert signal_for_receipt(new_style) == fresh
        assert signal_for_receipt(used) == old_used
        assert signal_for_receipt(unused.lower()) == old_unused
    assert Signal.objects.get(pk=old_unused.pk).receipt_lookup == receipts.lookup_key(unused)

    # Later the old secret key is gone altogether: every code still opens its report.
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[]):
        for code, signal in ((new_style, fresh), (used, old_used), (unused, old_unused)):
            assert signal_for_receipt(code) == signal
        assert signal_for_receipt(receipts.new_code()) is None


def test_the_lookup_is_a_blind_index_with_earlier_keys_as_fallbacks(reference_data, settings):
    code = receipts.new_code()
    signal = _report(code)
    assert signal.receipt_lookup == receipts.lookup_key(code)
    assert (
        signal.receipt_lookup
        != salted_hmac("signals.receipts.lookup", code, algorithm="sha256").hexdigest()
    )
    earlier = settings.BLIND_INDEX_KEY
    settings.BLIND_INDEX_KEY = "a-new-blind-index-key-" + "b" * 40
    assert signal_for_receipt(code) is None
    settings.BLIND_INDEX_KEY_FALLBACKS = [earlier]
    assert signal_for_receipt(code) == signal
    assert Signal.objects.get(pk=signal.pk).receipt_lookup == receipts.lookup_key(code)


def test_a_wrong_code_with_a_matching_lookup_rewrites_nothing(reference_data):
    code = receipts.new_code()
    signal = _stored_under_secret_key(code)
    before = Signal.objects.get(pk=signal.pk).receipt_lookup
    Signal.objects.filter(pk=signal.pk).update(receipt_hash=_argon2(receipts.new_code()))
    assert signal_for_receipt(code) is None
    assert Signal.objects.get(pk=signal.pk).receipt_lookup == before


def test_a_code_stored_with_argon2_opens_the_follow_up_and_is_then_stored_anew(reference_data):
    """Signals stored before keep working: checked once against their Argon2 hash, then kept as
    the lookup alone, under the current key."""
    code = receipts.new_code()
    signal = _stored_under_secret_key(code)
    Signal.objects.filter(pk=signal.pk).update(receipt_hash=_argon2(code))

    reporter = Client()
    response = reporter.post(FOLLOW_UP, {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert "There are no messages yet." in reporter.get(FOLLOW_UP).content.decode()
    signal.refresh_from_db()
    assert signal.receipt_hash == ""
    assert signal.receipt_lookup == receipts.lookup_key(code)
    # And in that form it opens the follow-up again, from another browser.
    assert Client().post(FOLLOW_UP, {"code": code}).status_code == 302


def test_wrong_codes_are_refused_without_a_slow_hash(reference_data):
    code = receipts.new_code()
    _report(code)
    for wrong in (receipts.new_code(), code[:-1] + ("0" if code[-1] != "0" else "1"), "x" * 19):
        response = Client().post(FOLLOW_UP, {"code": wrong})
        assert response.status_code == 200
        assert "We cannot find a report with this code." in response.content.decode()
