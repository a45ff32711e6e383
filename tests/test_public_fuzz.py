"""Hostile input to the public pages: never a server error, never half a signal."""

import re

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from signals.models import Signal, SignalEvent
from tests.helpers import address_of_its_own
from tests.hostile import FUZZ, REPORT_FIELDS, REPORT_STEPS, hostile_text

pytestmark = pytest.mark.django_db

REPORT = "/en/report/"
FOLLOW_UP = "/en/report/follow-up/"
FIELDS = ["step", "action", *REPORT_FIELDS, "code", "body"]
PUBLIC_FUZZ = settings(FUZZ, max_examples=25)
text = hostile_text(max_size=300)
values = st.one_of(text, st.lists(text, max_size=4), st.sampled_from(REPORT_STEPS))


def new_client() -> Client:
    return Client(REMOTE_ADDR=address_of_its_own())


def assert_whole_signals() -> None:
    """Every stored signal has its text and exactly one `received` entry."""
    for signal in Signal.objects.all():
        assert signal.description.strip()
        assert signal.events.filter(kind=SignalEvent.Kind.RECEIVED).count() == 1


@PUBLIC_FUZZ
@given(posts=st.lists(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8), max_size=6))
def test_random_form_posts_never_fail(reference_data, posts):
    client = new_client()
    for data in posts:
        for url in (REPORT, FOLLOW_UP):
            response = client.post(url, data)
            assert response.status_code in (200, 302, 429)
    assert client.get(REPORT).status_code == 200
    assert client.get(REPORT, {"step": "check\x00"}).status_code in (200, 302)
    assert_whole_signals()


@PUBLIC_FUZZ
@given(
    answers=st.fixed_dictionaries(
        # Mostly skipped questions, so that many examples reach the Send button.
        {field: st.one_of(st.just(""), st.just(""), text) for field in FIELDS[2:]}
    )
)
def test_a_whole_funnel_of_hostile_answers_stores_all_or_nothing(reference_data, answers):
    client = new_client()
    before = Signal.objects.count()
    for step in REPORT_STEPS[:-1]:
        response = client.post(REPORT, {**answers, "step": step, "action": "next"})
        assert response.status_code in (200, 302)
    page = client.get(REPORT).content.decode()
    found = re.search(r'name="receipt" value="([^"]+)"', page)
    token = found.group(1) if found else ""
    response = client.post(REPORT, {"step": "check", "action": "send", "receipt": token})
    assert response.status_code in (200, 302)
    assert Signal.objects.count() - before in (0, 1)
    assert_whole_signals()


@PUBLIC_FUZZ
@given(body=st.binary(max_size=2_000))
def test_invalid_utf8_and_random_bytes_in_post_bodies_never_fail(reference_data, body):
    client = new_client()
    for content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "text/plain; charset=latin-1",
    ):
        for url in (REPORT, FOLLOW_UP):
            response = client.generic("POST", url, body, content_type=content_type)
            assert response.status_code < 500


def test_invalid_utf8_inside_a_valid_form_is_kept_out_of_the_database(reference_data):
    client = new_client()
    body = b"step=what&action=next&description=%FF%FE%C3%28broken+%ED%A0%80"
    response = client.generic(
        "POST", REPORT, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    multipart = (
        b'--b\r\nContent-Disposition: form-data; name="step"\r\n\r\nwhen\r\n'
        b'--b\r\nContent-Disposition: form-data; name="occurred_when"\r\n\r\n\xff\xfe\x00\r\n'
        b"--b--\r\n"
    )
    response = client.generic(
        "POST", REPORT, multipart, content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code in (200, 302)
    assert Signal.objects.count() == 0


def test_huge_bodies_are_refused_without_a_server_error(reference_data):
    client = new_client()
    response = client.post(REPORT, {"step": "what", "description": "x" * 3_000_000})
    assert response.status_code == 400
    many = {f"field{number}": "x" for number in range(1_000)}
    response = client.post(REPORT, {"step": "what", **many})
    assert response.status_code == 400
    assert Signal.objects.count() == 0
