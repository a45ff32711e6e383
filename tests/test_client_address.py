"""The client address behind the TLS proxy (TRUSTED_PROXY_COUNT, ClientAddressMiddleware): the
public form's limits, the API throttles and axes count the visitor, not the proxy, and a visitor
cannot pick a new address by sending its own X-Forwarded-For."""

import pytest
import redis
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from meldpunt.core.middleware import ClientAddressMiddleware
from signals.models import Signal
from tests.test_accounts import professional, sign_in_with_password  # noqa: F401
from tests.test_api import _public_report
from tests.test_public_report import STEPS, post_step, quick_report, send

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture
def clean_counts(settings):
    """All visitors of these tests come through one proxy address: start and end without
    rate-limit counts, so other tests' counts do not limit these, nor these later tests."""
    cache = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])

    def forget_counts() -> None:
        for pattern in ["*ratelimit:*", "*throttle_*"]:
            for key in cache.scan_iter(pattern):
                cache.delete(key)

    settings.PUBLIC_RATE_LIMITS = {**settings.PUBLIC_RATE_LIMITS, "report": 2}
    forget_counts()
    yield
    forget_counts()


def behind_proxy(forwarded_for: str | None = None, client_class=Client):
    """A visitor whose connection comes from the proxy, with the header the proxy passed on."""
    headers = {"accept-language": "en"}
    if forwarded_for is not None:
        headers["x-forwarded-for"] = forwarded_for
    return client_class(REMOTE_ADDR=PROXY, headers=headers)


def refused_after_limit(client) -> bool:
    """Sends one report beyond the limit of 2; True when it is refused."""
    post_step(client, "what", description="One report too many")
    for step in STEPS[1:]:
        post_step(client, step)
    return send(client).status_code == 429


def address_seen(forwarded_for: str | None, remote: str = PROXY) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    ClientAddressMiddleware(lambda request: None)(request)
    return request.META["REMOTE_ADDR"]


def test_the_middleware_takes_the_entry_the_nearest_trusted_proxies_vouch_for(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address_seen("198.51.100.7") == "198.51.100.7"
    assert address_seen("1.1.1.1, 2.2.2.2, 198.51.100.7") == "198.51.100.7"
    assert address_seen("2001:DB8:0::1") == "2001:db8::1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert address_seen("1.1.1.1, 198.51.100.7, 10.0.0.1") == "198.51.100.7"
    # Too short: the header cannot be what two proxies wrote.
    assert address_seen("198.51.100.7") == PROXY


@pytest.mark.parametrize(
    "forwarded_for", [None, "", " ", "not-an-address", "1.1.1.1, unknown", "198.51.100.7:443", ","]
)
def test_a_missing_or_garbled_header_leaves_the_connection_address(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address_seen(forwarded_for) == PROXY


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address_seen("198.51.100.7") == PROXY


def test_visitors_behind_the_same_proxy_are_limited_separately(
    settings, clean_counts, reference_data
):
    settings.TRUSTED_PROXY_COUNT = 1
    first = behind_proxy("198.51.100.1")
    for number in range(2):
        quick_report(first, description=f"First visitor, report {number}")
    assert refused_after_limit(first)
    # Another visitor on the same proxy connection still reports.
    second = behind_proxy("198.51.100.2")
    quick_report(second, description="Second visitor")
    assert Signal.objects.count() == 3


def test_prepending_fake_addresses_does_not_escape_the_limit(
    settings, clean_counts, reference_data
):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(2):
        # What the proxy appended stays the same; the client's own part changes.
        quick_report(behind_proxy(f"203.0.113.{number}, 198.51.100.3"), description=f"{number}")
    assert refused_after_limit(behind_proxy("203.0.113.99, 198.51.100.3"))
    assert Signal.objects.count() == 2


def test_without_a_trusted_proxy_a_changing_header_does_not_escape_the_limit(
    settings, clean_counts, reference_data
):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(2):
        quick_report(behind_proxy(f"198.51.100.{10 + number}"), description=f"{number}")
    assert refused_after_limit(behind_proxy("198.51.100.20"))
    assert Signal.objects.count() == 2


def test_a_garbled_header_counts_the_connection_address(settings, clean_counts, reference_data):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(2):
        quick_report(behind_proxy(f"garbage-{number}"), description=f"{number}")
    # Everyone with a garbled header is the proxy's address, and that one is used up.
    assert refused_after_limit(behind_proxy("also, garbage"))
    assert refused_after_limit(behind_proxy())
    quick_report(behind_proxy("198.51.100.30"), description="A visitor with a proper header")
    assert Signal.objects.count() == 3


def _limit_the_api(settings) -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "public_report": "2/hour", "anonymous": "3/hour"},
    }


def api_report(forwarded_for: str) -> int:
    client = behind_proxy(forwarded_for, client_class=APIClient)
    return client.post("/api/v1/signals/public/", _public_report(), "json").status_code


def api_regions(forwarded_for: str) -> int:
    return behind_proxy(forwarded_for, client_class=APIClient).get("/api/v1/regions/").status_code


def test_the_api_throttles_ignore_a_changing_header_without_a_trusted_proxy(
    settings, clean_counts, reference_data
):
    settings.TRUSTED_PROXY_COUNT = 0
    _limit_the_api(settings)
    statuses = [api_report(f"198.51.100.{40 + number}") for number in range(3)]
    assert statuses == [201, 201, 429]
    assert Signal.objects.count() == 2


def test_the_anonymous_api_throttle_ignores_a_changing_header_without_a_trusted_proxy(
    settings, clean_counts, reference_data
):
    settings.TRUSTED_PROXY_COUNT = 0
    _limit_the_api(settings)
    statuses = [api_regions(f"198.51.100.{50 + number}") for number in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_api_throttles_count_visitors_behind_a_trusted_proxy_separately(
    settings, clean_counts, reference_data
):
    settings.TRUSTED_PROXY_COUNT = 1
    _limit_the_api(settings)
    statuses = [api_report(f"203.0.113.{number}, 198.51.100.60") for number in range(3)]
    assert statuses == [201, 201, 429]
    assert api_report("198.51.100.61") == 201
    assert Signal.objects.count() == 3
    statuses = [api_regions(f"203.0.113.{number}, 198.51.100.62") for number in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api_regions("198.51.100.63") == 200


def test_login_lockout_is_per_visitor_behind_a_trusted_proxy(settings, professional):  # noqa: F811
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = behind_proxy("198.51.100.70")
    for _ in range(5):
        response = sign_in_with_password(attacker, password="wrong-password-123")
    assert response.status_code == 429
    # A fake address in front does not lift the lock-out.
    faking = behind_proxy("203.0.113.5, 198.51.100.70")
    assert sign_in_with_password(faking).status_code == 429
    # The colleague behind the same proxy is not locked out by it.
    colleague = behind_proxy("198.51.100.71")
    assert sign_in_with_password(colleague).status_code == 302


def test_an_ipv6_client_is_counted_by_its_64_and_an_ipv4_client_by_its_address(
    reference_data, clean_counts
):
    """One subscriber's /64 holds endless addresses: new ones in it give no fresh limit."""
    for address in ("2001:db8:aa:1::1", "2001:db8:aa:1::2"):
        quick_report(Client(REMOTE_ADDR=address), description="From one home network")
    assert refused_after_limit(Client(REMOTE_ADDR="2001:db8:aa:1:ffff::9"))
    # The neighbouring /64 is another client, as is another IPv4 address.
    assert not refused_after_limit(Client(REMOTE_ADDR="2001:db8:aa:2::1"))
    for _ in range(2):
        quick_report(Client(REMOTE_ADDR="192.0.2.10"), description="From one IPv4 address")
    assert refused_after_limit(Client(REMOTE_ADDR="::ffff:192.0.2.10"))
    assert not refused_after_limit(Client(REMOTE_ADDR="192.0.2.11"))
