import os
from pathlib import Path

import pytest

from devstack.pytest_plugin import services as _services

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def services():
    """The run's own PostgreSQL and Redis, for tests that stop and start them."""
    if _services.external:
        pytest.skip("needs the run's own servers; DATABASE_URL and REDIS_URL point elsewhere")
    return _services


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another language (the test client
    activates it for the thread) must not decide which translated field the next test writes."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def reporter(reference_data):
    """A reporter at the photo step of the public form."""
    from tests.helpers import reporter_at_the_photo_step

    return reporter_at_the_photo_step()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (areas, the national desk, municipalities, places, postcodes) loaded
    once for the run, not per test: each test runs in a transaction rolled back after it, so
    every test finds it as loaded. Loading it took most of a second, for some 600 tests."""
    from regions.services import load_regions

    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture(autouse=True)
def _transactional_tests_start_empty(request, django_db_blocker):
    """A transactional test empties the database when it ends (pytest-django runs them after the
    others): the first one starts from an empty database too, as every later one does, and not
    from the reference data loaded for the others."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    )
    if not transactional:
        return
    from django.core.management import call_command

    from regions.models import Region

    with django_db_blocker.unblock():
        if Region.objects.exists():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def reference_data(db):
    """Regions, the national desk and every municipality, as `manage.py load_regions` loads them:
    there since the start of the run, or loaded again after a transactional test emptied the
    tables (pytest-django runs those last)."""
    from regions.models import Region
    from regions.services import load_regions

    if not Region.objects.filter(kind=Region.Kind.NATIONAL_DESK).exists():
        load_regions()


@pytest.fixture
def no_reference_data(db):
    """For tests that make the few regions and municipalities they need: the run's reference data
    out of the way, for this test only (rolled back with it)."""
    from regions.models import AreaContact, Division, Municipality, Place, Postcode, Region

    for model in (Place, Postcode, AreaContact, Municipality, Region, Division):
        model.objects.all().delete()


@pytest.fixture
def world(reference_data):
    """The permission matrix's world (tests/world.py): organisations A, B, X and Y, one member per
    role in each, A's signal and draft, and Y's signal. Modules with a world of their own override
    this fixture."""
    from tests.world import build_world

    return build_world()


@pytest.fixture
def coordinators(reference_data):
    """A coordinator organisation with a mail address for every region, by region."""
    from tests.helpers import coordinator_organisations_per_region

    return coordinator_organisations_per_region()


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API keeps an event loop running in the test thread; Django's database calls
# from that thread are still synchronous, so its async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright. Missing browser: skipped locally, fails in CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI never skips browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM}; run 'make test' to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context (no cookies, no history) on the live test server."""
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()
