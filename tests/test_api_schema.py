"""Schemathesis against the live OpenAPI schema: a real server on loopback with the run's real
PostgreSQL and Redis, valid and hostile inputs for every operation. No 500, and every answer
matches the schema. Calls carry an API key of a seeded coordinator organisation, so the
authenticated operations are exercised past the permission check."""

import os
import re
import uuid

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import create_api_key
from intake.professional.services import ProfessionalReport, submit_professional_signal
from organisations.models import Membership
from regions.models import Region
from tests.factories import (
    CoordinationFactory,
    ExploitationFormFactory,
    IndicatorCategoryFactory,
    IndicatorFactory,
    MunicipalityFactory,
    OfferFactory,
    QuestionFactory,
    RegionFactory,
    ShareFactory,
    ShelterFactory,
)
from tests.helpers import member_of
from triage.services import triage_signal

Role = Membership.Role
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def seeded(transactional_db, settings):
    """A small world: two regions, a coordinator organisation that is also a shelter provider's
    partner, one signal with a question, one offer. Returns, per path prefix, a read-write key
    that may act on the seeded objects and their public ids."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # Many calls in a minute: the limits themselves are tested in test_api.py.
        "DEFAULT_THROTTLE_RATES": {
            **rates,
            "public_report": "10000/hour",
            "anonymous": "10000/hour",
        },
    }
    amsterdam = RegionFactory(code="VR13", name="Amsterdam-Amstelland")
    RegionFactory(code="LD", name="Landelijke desk", kind=Region.Kind.NATIONAL_DESK)
    municipality = MunicipalityFactory(code="GM0363", name="Amsterdam", region=amsterdam)
    form = ExploitationFormFactory(code="labour", name="Arbeidsuitbuiting")
    category = IndicatorCategoryFactory(code="freedom", name="Vrijheid")
    IndicatorFactory(code="no-id", category=category, name="Geen papieren", is_public=True)
    coordination = CoordinationFactory(name="Coordination X", region=amsterdam)
    admin = member_of(
        coordination, Role.ORGANISATION_ADMIN, Role.PROFESSIONAL, email="admin@x.test"
    )
    signal = submit_professional_signal(
        ProfessionalReport(
            organisation=coordination,
            language="nl",
            description="Workers live at the car wash.",
            locations=[{"kind": "workplace", "municipality": municipality}],
        ),
        user=admin,
        submission_key=uuid.uuid4(),
    )
    shelter = ShelterFactory(name="Shelter S")
    offer = OfferFactory(
        provider=shelter,
        name="Safe house",
        municipality=municipality,
        address="",
        total_places=3,
        free_places=0,
        forms=[form],
    )
    triage_signal(signal.pk)
    question = QuestionFactory(signal=signal, asked_by=admin, text="Where?")
    share = ShareFactory(signal=signal, organisation=shelter, shared_by=admin)
    _, raw_key = create_api_key(
        coordination,
        name="Fuzzer",
        scope="read_write",
        roles=[Role.PROFESSIONAL, Role.COORDINATOR],
        by=admin,
    )
    _, shelter_key = create_api_key(
        shelter, name="Shelter system", scope="read_write", roles=[Role.PROFESSIONAL], by=admin
    )
    return {
        "/api/v1/signals/{public_id}/": (
            raw_key,
            {
                "public_id": str(signal.public_id),
                "question_id": str(question.public_id),
                "share_id": str(share.public_id),
            },
        ),
        "/api/v1/offers/{public_id}/": (shelter_key, {"public_id": str(offer.public_id)}),
    }


def _operations() -> list[tuple[str, str]]:
    """Every operation of the schema as drf-spectacular generates it, for one test each."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, item in generated["paths"].items() for method in item]


OPERATIONS = _operations()


@pytest.fixture
def live_schema(live_server, seeded):
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")


def test_the_live_schema_lists_every_operation_tested_here(live_schema):
    live = {
        (result.ok().method.upper(), result.ok().path)
        for result in live_schema.get_all_operations()
    }
    assert live == set(OPERATIONS)
    assert len(live) >= 16


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[" ".join(op) for op in OPERATIONS])
def test_every_operation_survives_valid_and_hostile_input(live_schema, seeded, method, path):
    operation = live_schema[path][method]
    default_key = seeded["/api/v1/signals/{public_id}/"][0]
    runs = [(default_key, None)]
    # Also on the seeded object, so that the body reaches validation and the services.
    for prefix, (key, identifiers) in seeded.items():
        if path.startswith(prefix):
            wanted = set(re.findall(r"{(\w+)}", path))
            runs.append((key, {name: identifiers[name] for name in wanted}))
    for key, path_parameters in runs:
        modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
        if path_parameters and not (len(operation.body) or len(operation.query)):
            # With the path fixed there is nothing left to make invalid.
            modes = [GenerationMode.POSITIVE]
        for mode in modes:
            _fuzz(operation.as_strategy(generation_mode=mode, path_parameters=path_parameters), key)


def _fuzz(strategy, key: str) -> None:
    @given(case=strategy)
    @settings(
        max_examples=10,
        # The same examples on every CI run, so CI fails only on a change; local runs explore.
        derandomize=os.environ.get("CI") == "true",
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def call(case):
        case.call_and_validate(headers={"Authorization": f"Api-Key {key}"}, checks=CHECKS)

    call()


@pytest.mark.django_db(transaction=True)
def test_the_docs_page_is_served_from_the_portal_without_inline_script(live_server):
    page = requests.get(f"{live_server.url}/api/v1/docs/", timeout=10)
    assert page.status_code == 200
    html = page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    # Every script is a file from the portal itself, none is written into the page.
    assert "<script>" not in html
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert len(sources) == 3
    for source in sources:
        assert source.startswith("/"), source
        script = requests.get(f"{live_server.url}{source.replace('&amp;', '&')}", timeout=10)
        assert script.status_code == 200, source
        assert "javascript" in script.headers["Content-Type"]
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert all(sheet.startswith("/static/") for sheet in stylesheets)
    assert requests.get(f"{live_server.url}/api/v1/schema/", timeout=10).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_render_in_a_browser_under_the_content_security_policy(page):
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    page.goto("/api/v1/docs/")
    page.get_by_text("Meldpunt mensenhandel API").first.wait_for()
    page.get_by_text("/api/v1/signals/public/").first.wait_for()
    assert refused == []
