"""Queue benchmark: the coordinator's pages and the linking of a new signal at 10k and 1M signals.

Run: `.venv/bin/python -m bench.queue [--large 1000000] [--small 10000] [--repeat 30]`.
It starts its own PostgreSQL and Redis, seeds signals spread over all municipalities with one
INSERT ... SELECT (and their coordinators' object permissions likewise), then measures through
Django's test client, signed in as the coordinator of Amsterdam-Amstelland: the queue's first
page, a filtered page, a search, and a signal's page; and `link_signal` for a new signal that
shares a phone number with others. Each page is also given as a ratio to the plain SQL query
behind it (the queue query, run on its own), measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.stack import bench_stack

QUEUE_REGION = "VR13"
SEARCH_WORD = "woord17"


def seed_signals(first: int, last: int) -> None:
    """Signals `first`..`last` (1-based), triaged into each municipality's region, with
    coordinator permissions, and one phone number for every tenth signal."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO signals_signal (
                public_id, created_at, updated_at, source, language, status, description,
                location_kind, municipality_id, is_urgent, involves_minor, own_reference,
                victim_consent, region_id, triaged_at, priority, track, deadline, triage_error,
                occurred_when, contact_name, contact_phone, contact_email, receipt_hash
            )
            SELECT gen_random_uuid(), now() - make_interval(mins => i), now(),
                   CASE WHEN i %% 3 = 0 THEN 'professional' ELSE 'public' END, 'nl',
                   (ARRAY['triaged', 'in_progress', 'care_arranged', 'closed'])[1 + i %% 4],
                   (ARRAY['Werknemers slapen in de kas', 'Vrouwen wonen boven de salon',
                          'Jongen vervoert pakketjes voor een oudere man',
                          'Arbeiders zonder loon op de bouw'])[1 + i %% 4]
                       || ' woord' || (i %% 1000) || ' ' || md5(i::text),
                   'municipality', m.id, i %% 50 = 0, i %% 7 = 0, '', 'unknown', m.region_id,
                   now(), 1 + i %% 3, 'standard', now() + interval '3 days', '', '', '', '',
                   '', ''
            FROM generate_series(%s, %s) AS i
            JOIN (SELECT id, region_id, (row_number() OVER (ORDER BY id)) - 1 AS k
                  FROM regions_municipality) AS m
              ON m.k = i %% (SELECT count(*) FROM regions_municipality)
            """,
            [first, last],
        )
        cursor.execute(
            """
            INSERT INTO access_signalgroupobjectpermission (content_object_id, group_id,
                                                            permission_id)
            SELECT s.id, coordinators.group_id, p.id
            FROM signals_signal s
            JOIN bench_region_group coordinators ON coordinators.region_id = s.region_id
            CROSS JOIN auth_permission p
            JOIN django_content_type ct ON ct.id = p.content_type_id
            WHERE ct.app_label = 'signals' AND ct.model = 'signal'
              AND p.codename IN ('view_signal', 'change_signal', 'triage_signal')
              AND s.id > (SELECT coalesce(max(content_object_id), 0)
                          FROM access_signalgroupobjectpermission)
            """
        )
        cursor.execute(
            """
            WITH new_people AS (
                INSERT INTO signals_person (
                    public_id, signal_id, role, name, gender, nationality, language, email,
                    email_normalised, "order", street, house_number, postcode, city, address_key
                )
                SELECT gen_random_uuid(), s.id, 'suspect', 'X', 'unknown', '', '', '', '', 0,
                       '', '', '', '', ''
                FROM signals_signal s
                WHERE s.id % 10 = 0
                  AND NOT EXISTS (SELECT 1 FROM signals_person p WHERE p.signal_id = s.id)
                RETURNING id, signal_id
            )
            INSERT INTO signals_phonenumber (public_id, person_id, raw, number)
            SELECT gen_random_uuid(), id, '', '+3161' || lpad((signal_id % 90000)::text, 7, '0')
            FROM new_people
            """
        )
        cursor.execute("ANALYZE")


def prepare_coordinators():
    """A coordinator organisation per region, and a signed-in coordinator of the queue region."""
    from django.db import connection
    from django.test import Client

    from organisations.models import Membership, Organisation
    from organisations.services import add_member, group_for
    from regions.models import Region
    from tests.factories import UserFactory
    from tests.helpers import login_professional

    rows = []
    coordinator = None
    for region in Region.objects.all():
        organisation = Organisation.objects.create(
            name=f"Zorgcoördinatie {region.code}",
            kind=Organisation.Kind.COORDINATOR,
            email=f"zc-{region.code.lower()}@example.nl",
        )
        organisation.regions.add(region)
        rows.append((region.pk, group_for(organisation, Membership.Role.COORDINATOR).pk))
        if region.code == QUEUE_REGION:
            coordinator = UserFactory(email="zc@amsterdam.bench")
            add_member(organisation, coordinator, [Membership.Role.COORDINATOR])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_region_group (region_id bigint, group_id bigint)")
        cursor.executemany("INSERT INTO bench_region_group VALUES (%s, %s)", rows)
    client = Client()
    login_professional(client, coordinator)
    return coordinator, client


def timed(action, repeat: int) -> list[float]:
    action()  # warm up caches and the connection
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def summary(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    return f"median {statistics.median(times) * 1000:7.1f} ms, p95 {p95 * 1000:7.1f} ms"


def measure(scale: str, coordinator, client, repeat: int) -> None:
    from django.db import connection

    from coordination.selectors import QueueFilters, coordinator_queue
    from coordination.services import link_signal
    from signals.models import Person, PhoneNumber, Signal

    def sql_time(filters: QueueFilters) -> list[float]:
        sql, params = coordinator_queue(coordinator, filters)[:25].query.sql_with_params()

        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return timed(run, repeat)

    signal = coordinator_queue(coordinator).first()
    pages = [
        ("queue, first page", "/pro/queue/", QueueFilters()),
        (
            "queue, filtered (urgent, minor)",
            "/pro/queue/?urgent=on&minor=on",
            QueueFilters(urgent=True, minor=True),
        ),
        (
            f"queue, search '{SEARCH_WORD}'",
            f"/pro/queue/?q={SEARCH_WORD}",
            QueueFilters(query=SEARCH_WORD),
        ),
        ("signal page", f"/pro/queue/{signal.public_id}/", None),
    ]
    total = Signal.objects.count()
    print(f"\n{scale}: {total:,} signals; queue of {QUEUE_REGION}")
    for label, url, filters in pages:

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        page = timed(get, repeat)
        line = f"  {label:34} {summary(page)}"
        if filters is not None:
            sql = sql_time(filters)
            ratio = statistics.median(page) / statistics.median(sql)
            sql_median = statistics.median(sql) * 1000
            line += f"   (its SQL: median {sql_median:6.1f} ms; page/SQL {ratio:5.1f}x)"
        print(line)

    new = Signal.objects.create(
        source=Signal.Source.PROFESSIONAL, language="nl", description="bench", status="triaged"
    )
    person = Person.objects.create(signal=new, role="suspect", name="Y")
    PhoneNumber.objects.create(person=person, raw="", number="+31610000170")
    link_times = timed(lambda: link_signal(new.pk), repeat)
    connected = new.connections.count()
    print(f"  {'link a new signal':34} {summary(link_times)}   ({connected} connections found)")


def explain_permission_filter(coordinator) -> None:
    from django.db import connection

    from coordination.selectors import coordinator_queue

    sql, params = coordinator_queue(coordinator)[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    print("\nEXPLAIN of the queue's first page (permission filter as EXISTS):")
    for line in plan:
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with bench_stack(worker=False):
        coordinator, client = prepare_coordinators()
        started = time.perf_counter()
        seed_signals(1, args.small)
        print(f"seeded {args.small:,} signals in {time.perf_counter() - started:.1f} s")
        measure("small", coordinator, client, args.repeat)
        started = time.perf_counter()
        seed_signals(args.small + 1, args.large)
        print(f"\nseeded up to {args.large:,} signals in {time.perf_counter() - started:.1f} s")
        measure("large", coordinator, client, args.repeat)
        explain_permission_filter(coordinator)


if __name__ == "__main__":
    main()
