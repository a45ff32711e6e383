"""Queue benchmark: the coordinator's pages and the linking of a new signal at 10k and 1M signals.

Run: `.venv/bin/python -m bench.queue [--large 1000000] [--small 10000] [--repeat 30]`.
It starts its own PostgreSQL and Redis, seeds signals spread over all municipalities with one
INSERT ... SELECT (and their coordinators' object permissions likewise), then measures through
Django's test client, signed in as the coordinator of Amsterdam-Amstelland: the queue's first
page, a filtered page, a page halfway down the queue (through its cursor), a search, and a
signal's page; and `link_signal` for a new signal that shares a phone number with others. Each
queue page is also given as a ratio to the plain SQL behind it (its two queries, the page and the
counts per filter, exactly as the page ran them, run on their own), measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.stack import bench_stack

QUEUE_REGION = "AMS"
SEARCH_WORD = "woord17"


DESCRIPTIONS = [
    "Werknemers slapen in de kas",
    "Vrouwen wonen boven de salon",
    "Jongen vervoert pakketjes voor een oudere man",
    "Arbeiders zonder loon op de bouw",
]
# Signals take their description from a pool of 4 x 1000 texts and their phone numbers from one of
# 90,000, each encrypted (and its blind index computed) once in Python: Fernet per row would make
# seeding a million rows take minutes.
DESCRIPTION_POOL = 4000
PHONE_POOL = 90_000


def _fill_pools(cursor) -> None:
    """The encrypted descriptions with their search tokens, and the encrypted phone numbers with
    their blind index, as the application would store them (meldpunt.core.crypto)."""
    from meldpunt.core import crypto

    cursor.execute("SELECT to_regclass('bench_description_pool') IS NOT NULL")
    if cursor.fetchone()[0]:
        return
    cursor.execute(
        "CREATE TABLE bench_description_pool (k int PRIMARY KEY, description text, "
        "tokens varchar(16)[])"
    )
    cursor.execute(
        "CREATE TABLE bench_phone_pool (k int PRIMARY KEY, number text, number_key varchar(64))"
    )
    with cursor.cursor.copy("COPY bench_description_pool FROM STDIN") as copy:
        for k in range(DESCRIPTION_POOL):
            text = f"{DESCRIPTIONS[k % 4]} woord{k % 1000}"
            copy.write_row((k, crypto.encrypt(text), crypto.search_tokens(text)))
    with cursor.cursor.copy("COPY bench_phone_pool FROM STDIN") as copy:
        for k in range(PHONE_POOL):
            number = f"+3161{k:07d}"
            # Already in E.164: its blind index is identifiers.phone_key's without the parsing.
            copy.write_row((k, crypto.encrypt(number), crypto.blind_index("phone", number)))


def seed_signals(first: int, last: int) -> None:
    """Signals `first`..`last` (1-based), triaged into each municipality's region, with
    coordinator permissions, and one phone number for every tenth signal."""
    from django.db import connection

    from access.permissions import COORDINATOR_PERMISSIONS, codename
    from meldpunt.core import crypto
    from signals import identifiers

    with connection.cursor() as cursor:
        _fill_pools(cursor)
        cursor.execute(
            """
            INSERT INTO signals_signal (
                public_id, created_at, updated_at, source, language, status, description,
                search_tokens, location_kind, municipality_id, is_urgent, involves_minor,
                own_reference, victim_consent, region_id, triaged_at, priority, track, deadline,
                triage_error, occurred_when, contact_name, contact_phone, contact_email,
                contact_name_key, contact_phone_key, contact_email_key, receipt_hash
            )
            SELECT gen_random_uuid(), now() - make_interval(mins => i), now(),
                   CASE WHEN i %% 3 = 0 THEN 'professional' ELSE 'public' END, 'nl',
                   (ARRAY['triaged', 'in_progress', 'care_arranged', 'closed'])[1 + i %% 4],
                   d.description, d.tokens,
                   'municipality', m.id, i %% 50 = 0, i %% 7 = 0, '', 'unknown', m.region_id,
                   now(), 1 + i %% 3, 'standard', now() + interval '3 days', '', '', '', '',
                   '', '', '', '', ''
            FROM generate_series(%s, %s) AS i
            JOIN (SELECT id, region_id, (row_number() OVER (ORDER BY id)) - 1 AS k
                  FROM regions_municipality) AS m
              ON m.k = i %% (SELECT count(*) FROM regions_municipality)
            JOIN bench_description_pool d ON d.k = i %% %s
            """,
            [first, last, DESCRIPTION_POOL],
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
              AND p.codename = ANY(%s)
              AND s.id > (SELECT coalesce(max(content_object_id), 0)
                          FROM access_signalgroupobjectpermission)
            """,
            [[codename(permission) for permission in COORDINATOR_PERMISSIONS]],
        )
        cursor.execute(
            """
            WITH new_people AS (
                INSERT INTO signals_person (
                    public_id, signal_id, role, name, gender, nationality, language, email,
                    email_key, name_key, identity_key, "order", street, house_number, postcode,
                    city, address_key
                )
                SELECT gen_random_uuid(), s.id, 'suspect', %s, 'unknown', '', '', '', '', %s, '',
                       0, '', '', '', '', ''
                FROM signals_signal s
                WHERE s.id %% 10 = 0
                  AND NOT EXISTS (SELECT 1 FROM signals_person p WHERE p.signal_id = s.id)
                RETURNING id, signal_id
            )
            INSERT INTO signals_phonenumber (public_id, person_id, raw, number, number_key)
            SELECT gen_random_uuid(), id, '', phone.number, phone.number_key
            FROM new_people
            JOIN bench_phone_pool phone ON phone.k = signal_id %% %s
            """,
            [crypto.encrypt("X"), identifiers.name_key("X"), PHONE_POOL],
        )
        cursor.execute("ANALYZE")


def prepare_coordinators():
    """A coordinator organisation per region, and a signed-in coordinator of the queue region."""
    from django.db import connection
    from django.test import Client

    from organisations.models import Membership
    from organisations.services import add_member, group_for
    from tests.factories import UserFactory
    from tests.helpers import coordinator_organisations_per_region, login_professional

    rows = []
    coordinator = None
    for region, organisation in coordinator_organisations_per_region().items():
        rows.append((region.pk, group_for(organisation, role=Membership.Role.COORDINATOR).pk))
        if region.code == QUEUE_REGION:
            coordinator = UserFactory(email="zc@amsterdam.bench")
            add_member(organisation, user=coordinator, roles=[Membership.Role.COORDINATOR])
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


def settle() -> None:
    """Vacuum, as autovacuum does after a bulk load (for the signals table after 2 % new or
    changed rows, see signals migration 0015): the queue's index-only scans need the pages
    marked all-visible."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) signals_signal")
        cursor.execute("VACUUM (ANALYZE) access_signalgroupobjectpermission")


def deep_cursor(coordinator, position: int) -> str:
    """The cursor a coordinator holds after paging to `position` in the queue."""
    from coordination.cursors import NO_DEADLINE, QueueCursor
    from coordination.selectors import coordinator_queue

    keys = coordinator_queue(coordinator).values_list(
        "priority", "deadline", "created_at", "public_id"
    )
    priority, deadline, created_at, public_id = keys[position]
    return QueueCursor(priority, deadline or NO_DEADLINE, created_at, public_id, position).encode()


def queue_sql(client, url: str) -> dict[str, list[str]]:
    """The SQL behind a queue page as the page ran it: the page's signals (the candidates from
    the index, then the permission test and rows for those) and the counts per filter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    found = {"page": [], "counts": []}
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT COUNT(") and "FILTER (WHERE" in sql:
            found["counts"].append(sql)
        elif sql.startswith("SELECT") and 'FROM "signals_signal"' in sql:
            found["page"].append(sql)
    return found


def measure(scale: str, coordinator, client, repeat: int) -> dict[str, list[str]]:
    """Print the figures; return the SQL of the queue's first and deep page for EXPLAIN."""
    from django.db import connection

    from coordination.selectors import coordinator_queue
    from coordination.services import link_signal
    from signals.models import Person, PhoneNumber, Signal

    def sql_time(queries: list[str]) -> list[float]:
        def run():
            with connection.cursor() as cursor:
                for sql in queries:
                    cursor.execute(sql)
                    cursor.fetchall()

        return timed(run, repeat)

    settle()
    queue_length = coordinator_queue(coordinator).count()
    middle = queue_length // 2
    signal = coordinator_queue(coordinator).first()
    pages = [
        ("queue, first page", "/pro/queue/"),
        ("queue, filtered (urgent, minor)", "/pro/queue/?urgent=on&minor=on"),
        (
            f"queue, page at {middle:,} (cursor)",
            f"/pro/queue/?after={deep_cursor(coordinator, middle)}",
        ),
        (f"queue, search '{SEARCH_WORD}'", f"/pro/queue/?q={SEARCH_WORD}"),
        ("signal page", f"/pro/queue/{signal.public_id}/"),
    ]
    total = Signal.objects.count()
    print(f"\n{scale}: {total:,} signals; queue of {QUEUE_REGION}: {queue_length:,} open signals")
    explained = {}
    for label, url in pages:

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        page = timed(get, repeat)
        line = f"  {label:34} {summary(page)}"
        if url.startswith("/pro/queue/?") or url == "/pro/queue/":
            queries = queue_sql(client, url)
            explained[label] = queries["page"]
            medians = {name: statistics.median(sql_time(sql)) for name, sql in queries.items()}
            ratio = statistics.median(page) / sum(medians.values())
            line += (
                f"   (its SQL: page {medians['page'] * 1000:5.1f} ms"
                f" + counts {medians['counts'] * 1000:5.1f} ms; page/SQL {ratio:5.1f}x)"
            )
        print(line)

    new = Signal.objects.create(
        source=Signal.Source.PROFESSIONAL, language="nl", description="bench", status="triaged"
    )
    person = Person.objects.create(signal=new, role="suspect", name="Y")
    PhoneNumber.objects.create(person=person, raw="", number="+31610000170")
    link_times = timed(lambda: link_signal(new.pk), repeat)
    connected = new.connections.count()
    print(f"  {'link a new signal':34} {summary(link_times)}   ({connected} connections found)")
    return explained


def explain_queue(explained: dict[str, list[str]], counts: list[str]) -> None:
    from django.db import connection

    for label, queries in [*explained.items(), ("queue, counts per filter", counts)]:
        for sql in queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            print(f"\nEXPLAIN ANALYZE, {label}:")
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
        explained = measure("large", coordinator, client, args.repeat)
        explain_queue(explained, queue_sql(client, "/pro/queue/")["counts"])


if __name__ == "__main__":
    main()
