"""Professional pages cost a fixed number of queries: a busy case (many connections, many merged
duplicates) or a full queue page asks the database as often as a quiet one."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import AccessLogEntry
from coordination import services as coordination
from coordination.models import Connection
from organisations.models import Membership
from regions.models import Municipality, Region
from signals.models import Signal
from tests.factories import CoordinationFactory, connect
from tests.helpers import address_of_its_own, member_of, signed_in, triaged_signal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(reference_data):
    """A coordinator of Amsterdam-Amstelland, whose queue the signals below land in."""
    organisation = CoordinationFactory(region=Region.objects.get(code="AMS"))
    return member_of(organisation, Membership.Role.COORDINATOR)


def _case(coordinator, *, connections: int, duplicates: int) -> Signal:
    """A signal with `connections` connected signals, each in an area of its own, and
    `duplicates` duplicates merged into it."""
    signal = triaged_signal_in("GM0363", description="Een loods aan de haven")
    elsewhere = (
        Municipality.objects.exclude(region__code="AMS")
        .order_by("region_id", "code")
        .distinct("region_id")
        .values_list("code", flat=True)
    )
    for number, code in enumerate(elsewhere[:connections]):
        other = triaged_signal_in(code)
        connect(signal, other, kind=Connection.Kind.PHONE, value=f"key-{number}")
    for _ in range(duplicates):
        duplicate = triaged_signal_in("GM0363")
        coordination.merge_signals(signal, duplicate, by=coordinator, reason="dezelfde loods")
    return signal


def _queries(client, url):
    client.get(url)  # sessions and translations loaded once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _page_queries(client, url) -> int:
    return len(_queries(client, url))


@pytest.mark.parametrize("page", ["coordination:case", "pro_signals:detail"])
def test_a_case_with_ten_connections_and_duplicates_costs_what_one_with_one_does(coordinator, page):
    """Each connected signal in an area of its own (each area's contact), each merged duplicate
    logged as read: none of them adds a query."""
    quiet = _case(coordinator, connections=1, duplicates=1)
    busy = _case(coordinator, connections=10, duplicates=10)
    client = signed_in(coordinator)
    quiet_queries = _queries(client, reverse(page, args=[quiet.public_id]))
    busy_queries = _queries(client, reverse(page, args=[busy.public_id]))
    assert len(busy_queries) == len(quiet_queries)
    if page == "coordination:case":
        # Each duplicate shown is still logged as read, once per visit (twice here).
        reads = AccessLogEntry.objects.filter(
            signal__merged_into=busy, action=AccessLogEntry.Action.VIEW
        )
        assert reads.count() == 2 * 10


def test_a_queue_page_of_ten_rows_costs_what_one_of_one_row_does(coordinator):
    signals = [triaged_signal_in("GM0363", description="Een loods aan de haven")]
    client = signed_in(coordinator)
    one_row = _queries(client, reverse("coordination:queue"))
    signals += [triaged_signal_in("GM0363", description="Nog een loods") for _ in range(9)]
    page = client.get(reverse("coordination:queue")).content.decode()
    assert all(reverse("coordination:case", args=[s.public_id]) in page for s in signals)
    assert len(_queries(client, reverse("coordination:queue"))) == len(one_row)


def _without_tokens(html: str) -> str:
    """The page without what differs on every request (CSRF tokens, CSP nonces)."""
    return re.sub(r'(value|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", html)


def test_the_quick_form_renderer_writes_what_django_writes(coordinator, settings):
    """Every form on the case page, the signal page and the public form's steps (with an error
    shown too) is the same markup from meldpunt.core.forms as from Django's templates."""
    case = _case(coordinator, connections=1, duplicates=1)
    client = signed_in(coordinator)
    reporter = Client(REMOTE_ADDR=address_of_its_own(), headers={"accept-language": "en"})
    pages = [
        lambda: client.get(reverse("coordination:case", args=[case.public_id])),
        lambda: client.get(reverse("pro_signals:detail", args=[case.public_id])),
        lambda: client.post(
            reverse("coordination:share", args=[case.public_id]), {"purpose": "x" * 999}
        ),
        lambda: client.get(reverse("coordination:queue")),
        lambda: reporter.get("/en/report/"),
        lambda: reporter.get("/en/report/follow-up/"),
    ]
    for step in ["where", "when", "who", "involved", "kind", "signs", "danger", "photos"]:
        pages.append(lambda step=step: reporter.get(f"/en/report/?step={step}"))
    reporter.post("/en/report/", {"step": "what", "action": "next", "description": "Een loods"})

    def rendered() -> list[str]:
        return [_without_tokens(page().content.decode()) for page in pages]

    quick = rendered()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    assert rendered() == quick
    assert any("<select" in page and "<textarea" in page for page in quick)
