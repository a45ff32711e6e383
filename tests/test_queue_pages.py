"""The coordinators' queue a page at a time (keyset pagination), and the access log's pages."""

import base64
import html
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.services import grant_region_access, log_read
from coordination.cursors import NO_DEADLINE, QueueCursor
from coordination.selectors import QueueFilters, coordinator_queue
from organisations.models import Membership
from regions.models import Municipality, Region
from signals.models import Signal
from tests.factories import CoordinationFactory, OrganisationFactory, SignalFactory
from tests.helpers import member_of, signed_in

pytestmark = pytest.mark.django_db

CASE_LINK = re.compile(r'href="/pro/queue/([0-9a-f-]{36})/"')


@pytest.fixture
def amsterdam(reference_data):
    region = Region.objects.get(code="AMS")
    organisation = CoordinationFactory(name="Zorgcoördinatie Amsterdam", region=region)
    return {"region": region, "coordinator": member_of(organisation, Membership.Role.COORDINATOR)}


def _signals(region: Region, count: int, **fields) -> list[Signal]:
    """`count` triaged signals routed to `region`, its coordinators granted, as after triage."""
    made = []
    for _ in range(count):
        signal = SignalFactory(
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.filter(region=region).first(),
            region=region,
            status=Signal.Status.TRIAGED,
            **fields,
        )
        grant_region_access(signal, region=region)
        made.append(signal)
    return made


def _queue_order(signals: list[Signal]) -> list[str]:
    """The order the queue promises: most urgent, nearest deadline (none last), oldest first."""
    fresh = Signal.objects.filter(pk__in=[signal.pk for signal in signals])
    ordered = sorted(
        fresh,
        key=lambda s: (s.priority, s.deadline or NO_DEADLINE, s.created_at, s.public_id),
    )
    return [str(signal.public_id) for signal in ordered]


def _page(client, url: str) -> tuple[list[str], str, dict[str, str]]:
    """The signals a page lists, its text, and where its Next / Previous / First page links go."""
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    nav = re.search(r'<nav class="pagination".*?</nav>', content, re.DOTALL)
    links = (
        {
            label: html.unescape(href)
            for href, label in re.findall(r'<a href="(\?[^"]*)"[^>]*>([^<]+)</a>', nav.group())
        }
        if nav
        else {}
    )
    return CASE_LINK.findall(content), content, links


def test_next_and_previous_walk_the_whole_queue_once_even_when_signals_tie(amsterdam):
    """Thirty signals share priority, deadline and time of receipt: no page skips or repeats one."""
    region, now = amsterdam["region"], timezone.now()
    deadline = now + timedelta(days=2)
    tied = _signals(region, 30, priority=Signal.Priority.HIGH, deadline=deadline)
    Signal.objects.filter(pk__in=[s.pk for s in tied]).update(created_at=now - timedelta(hours=1))
    urgent = _signals(region, 10, priority=Signal.Priority.URGENT, deadline=now)
    sooner = _signals(region, 10, priority=Signal.Priority.HIGH, deadline=now + timedelta(days=1))
    undated = _signals(region, 10, priority=Signal.Priority.NORMAL, deadline=None)
    expected = _queue_order(tied + urgent + sooner + undated)
    client = signed_in(amsterdam["coordinator"])
    queue_url = reverse("coordination:queue")

    first, text, links = _page(client, queue_url)
    assert first == expected[:25]
    assert "Signals 1\u201325 of about 60" in text
    assert set(links) == {"Next"}

    second, text, links = _page(client, queue_url + links["Next"])
    assert second == expected[25:50]
    assert "Signals 26\u201350 of about 60" in text
    assert set(links) == {"First page", "Previous", "Next"}

    last, text, links = _page(client, queue_url + links["Next"])
    assert last == expected[50:]
    assert "Signals 51\u201360 of about 60" in text
    assert set(links) == {"First page", "Previous"}

    back, _text, links = _page(client, queue_url + links["Previous"])
    assert back == expected[25:50]
    again, _text, links = _page(client, queue_url + links["Previous"])
    assert again == expected[:25]
    assert set(links) == {"Next"}


def test_signals_the_coordinator_may_not_handle_stay_out_and_pages_stay_full(amsterdam):
    """Signals routed to the region before the organisation served it carry no grant for it."""
    region = amsterdam["region"]
    granted = _signals(region, 30, priority=Signal.Priority.NORMAL)
    for _ in range(40):
        SignalFactory(
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.filter(region=region).first(),
            region=region,
            status=Signal.Status.TRIAGED,
            priority=Signal.Priority.URGENT,  # ahead of every granted signal in the queue
        )
    client = signed_in(amsterdam["coordinator"])

    first, _text, links = _page(client, reverse("coordination:queue"))
    second, _text, links = _page(client, reverse("coordination:queue") + links["Next"])
    assert first + second == _queue_order(granted)
    assert "Next" not in links


def test_the_pages_keep_the_filters_and_the_search(amsterdam):
    region = amsterdam["region"]
    minors = _signals(region, 27, involves_minor=True, description="Meisje werkt in de nagelsalon")
    _signals(region, 5, involves_minor=False, description="Man werkt in de nagelsalon")
    client = signed_in(amsterdam["coordinator"])
    url = reverse("coordination:queue") + "?minor=on&q=nagelsalon"

    first, text, links = _page(client, url)
    assert "minor=on" in links["Next"] and "q=nagelsalon" in links["Next"]
    assert "Signals 1\u201325" in text and "of about" not in text  # a filtered queue is not counted
    second, _text, links = _page(client, reverse("coordination:queue") + links["Next"])
    assert sorted(first + second) == sorted(str(signal.public_id) for signal in minors)
    assert "Next" not in links


def test_a_damaged_or_outdated_cursor_shows_the_first_page(amsterdam):
    region = amsterdam["region"]
    signals = _signals(region, 3)
    client = signed_in(amsterdam["coordinator"])
    first_page, _text, _links = _page(client, reverse("coordination:queue"))

    moment = "2020-01-01T00:00:00+00:00"
    well_formed_but_wrong = [
        base64.urlsafe_b64encode(json.dumps(fields).encode()).decode().rstrip("=")
        for fields in ([1, moment, moment, 5, 0], [1, moment, moment, ["x"], 0])
    ]
    for junk in ["x", "e30", "W10", "!!!", "a" * 1000, "WzEsMiwzLDQsNV0", *well_formed_but_wrong]:
        for direction in ["after", "before"]:
            listed, _text, _links = _page(
                client, f"{reverse('coordination:queue')}?{direction}={junk}"
            )
            assert listed == first_page

    last = Signal.objects.get(public_id=first_page[-1])
    beyond = QueueCursor(
        last.priority, last.deadline or NO_DEADLINE, last.created_at, last.public_id, 99
    ).encode()
    listed, _text, _links = _page(client, f"{reverse('coordination:queue')}?after={beyond}")
    assert listed == first_page
    assert len(listed) == len(signals)


def test_a_deep_page_costs_the_same_queries_as_the_first(amsterdam):
    """Counts per filter come from one aggregate query; no page counts what comes before it."""
    region = amsterdam["region"]
    _signals(region, 60)
    client = signed_in(amsterdam["coordinator"])
    _first, _text, links = _page(client, reverse("coordination:queue"))
    deep_url = reverse("coordination:queue") + links["Next"]
    client.get(deep_url)  # sessions and translations loaded once

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("coordination:queue"))
    with CaptureQueriesContext(connection) as deep:
        client.get(deep_url)
    assert len(deep.captured_queries) == len(first.captured_queries)
    # The queue's counts of signals; the menu's count of unread cases is the inbox's, on every
    # page, and counts unread marks.
    counting = [
        q["sql"]
        for q in first.captured_queries
        if q["sql"].startswith('SELECT COUNT("signals_signal".')
    ]
    assert len(counting) == 1
    assert "FILTER (WHERE" in counting[0]


def test_the_queue_is_read_in_order_from_its_index(amsterdam):
    """The queue's order and signal_queue_idx must stay the same expressions, or every page
    sorts the region's whole queue again."""
    _signals(amsterdam["region"], 5)
    queue = coordinator_queue(amsterdam["coordinator"], QueueFilters())
    sql, params = queue.values("pk")[:26].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "signal_queue_idx" in plan, plan
    assert "Sort" not in plan, plan


def test_the_access_log_pages_through_its_entries(reference_data):
    police = OrganisationFactory()
    officer = member_of(police, Membership.Role.PROFESSIONAL)
    signal = SignalFactory()
    for number in range(55):
        log_read(officer, signal=signal, purpose=f"Onderzoek {number:02d}")
    client = signed_in(member_of(police, Membership.Role.PRIVACY_OFFICER))

    first = client.get(reverse("access:log")).content.decode()
    assert "Onderzoek 54" in first and "Onderzoek 00" not in first
    next_link = html.unescape(re.search(r'<a href="(\?[^"]*)" rel="next">', first).group(1))
    second = client.get(reverse("access:log") + next_link).content.decode()
    assert "Onderzoek 00" in second and "Onderzoek 54" not in second
    assert 'rel="next"' not in second and 'rel="prev"' in second
