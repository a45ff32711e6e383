"""Who gets what on every professional page: the exact answer per role, organisation and region.

The world (tests/world.py): two submitting organisations (A: police, B: labour inspectorate) and
two coordinator organisations (X serves area X = Politieregio Amsterdam, Y serves area Y =
Gemeente Rotterdam). In each organisation there is one member per role, plus an anonymous visitor.
A professional of A has submitted a signal in Amsterdam (routed to X) and keeps a draft; a signal
is routed to Y.

To cover a new page, add a `Row` to ROWS: the URL name, a function from the world to the URL's
kwargs, and the expected status per visitor ("A.professional", "X.coordinator", "anonymous", ...);
visitors not named get `default`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import Share
from access.selectors import signals_visible_to
from access.services import revoke_share, share_signal
from coordination.models import CaseConference
from tests.world import (
    ORGANISATIONS,
    ROLES,
    SECRET_NAME,
    SECRET_REFERENCE,
    VISITORS,
    World,
    client_for,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    url_name: str
    kwargs: Callable[[World], dict]
    default: int
    expected: dict[str, int] = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)

    def status_for(self, visitor: str) -> int:
        return self.expected.get(visitor, self.default)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url_name}"


def no_kwargs(world) -> dict:
    return {}


def conference_of_x_with_a(world) -> dict:
    """A case conference X convened about signal A, with A (the police) at the table."""
    conference = CaseConference.objects.create(
        signal=world.signal_a,
        held_on=timezone.localdate(),
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        decisions="Decided at the table.",
        convened_by=world.coordination_x,
        created_by=world.coordinator_x,
    )
    conference.participants.set([world.coordination_x, world.police])
    return {"public_id": conference.public_id}


ANONYMOUS_TO_LOGIN = {"anonymous": 302}
PROFESSIONALS = {f"{org}.professional": 200 for org in ORGANISATIONS}
ORG_ADMINS = {f"{org}.organisation_admin": 302 for org in ORGANISATIONS}
PRIVACY_OFFICERS = {f"{org}.privacy_officer": 200 for org in ORGANISATIONS}
API_ANONYMOUS = {"anonymous": 401}
ORG_ADMIN_PAGES = {f"{org}.organisation_admin": 200 for org in ORGANISATIONS}

ROWS = [
    Row("accounts:dashboard", no_kwargs, 200, ANONYMOUS_TO_LOGIN),
    # Everyone signed in changes their own password; a bad form is 400 and changes nothing.
    Row("accounts:password_change", no_kwargs, 200, ANONYMOUS_TO_LOGIN),
    Row("accounts:password_change", no_kwargs, 400, ANONYMOUS_TO_LOGIN, method="post"),
    Row("pro_signals:list", no_kwargs, 200, ANONYMOUS_TO_LOGIN),
    # Only professionals log signals; to others the intake does not exist.
    Row("pro_signals:new", no_kwargs, 404, {**PROFESSIONALS, **ANONYMOUS_TO_LOGIN}),
    Row(
        "pro_signals:detail",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        {"A.professional": 200, "X.coordinator": 200, **ANONYMOUS_TO_LOGIN},
    ),
    Row(
        "pro_signals:detail",
        lambda w: {"public_id": w.signal_y.public_id},
        404,
        {"Y.coordinator": 200, **ANONYMOUS_TO_LOGIN},
    ),
    Row("pro_signals:detail", lambda w: {"public_id": uuid.uuid4()}, 404, ANONYMOUS_TO_LOGIN),
    Row(
        "pro_signals:edit",
        lambda w: {"public_id": w.draft_a.public_id},
        404,
        {"A.professional": 200, **ANONYMOUS_TO_LOGIN},
    ),
    # A submitted signal is no longer a draft, for anyone.
    Row("pro_signals:edit", lambda w: {"public_id": w.signal_a.public_id}, 404, ANONYMOUS_TO_LOGIN),
    Row(
        "pro_signals:add_information",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        {"A.professional": 400, **ANONYMOUS_TO_LOGIN},
        method="post",
        data={"text": ""},
    ),
    # The meldcode's steps are kept on signals about minors only; signal A is about an adult.
    Row(
        "pro_signals:reporting_code",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        ANONYMOUS_TO_LOGIN,
        method="post",
    ),
    # An admin of exactly one organisation is taken straight to its members; to anyone else the
    # page does not exist.
    Row("organisations:list", no_kwargs, 404, {**ORG_ADMINS, **ANONYMOUS_TO_LOGIN}),
    Row(
        "organisations:members",
        lambda w: {"organisation_id": w.organisations["A"].public_id},
        404,
        {"A.organisation_admin": 200, **ANONYMOUS_TO_LOGIN},
    ),
    Row(
        "organisations:invite",
        lambda w: {"organisation_id": w.organisations["A"].public_id},
        404,
        {"A.organisation_admin": 400, **ANONYMOUS_TO_LOGIN},
        method="post",
        data={"email": ""},
    ),
    # The Django admin is for the functional admin (staff) only: everyone else goes to its login.
    Row("admin:index", no_kwargs, 302),
    # Pages of the coordinator workspace, the access log and opvang, as they answer today.
    Row("coordination:queue", no_kwargs, 200, ANONYMOUS_TO_LOGIN),
    Row(
        "coordination:case",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        {"X.coordinator": 200, **ANONYMOUS_TO_LOGIN},
    ),
    Row(
        "coordination:case",
        lambda w: {"public_id": w.signal_y.public_id},
        404,
        {"Y.coordinator": 200, **ANONYMOUS_TO_LOGIN},
    ),
    Row(
        "coordination:move",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        {"X.coordinator": 400, **ANONYMOUS_TO_LOGIN},
        method="post",
    ),
    Row(
        "coordination:transfer",
        lambda w: {"public_id": w.signal_y.public_id},
        404,
        {"Y.coordinator": 400, **ANONYMOUS_TO_LOGIN},
        method="post",
    ),
    # Merging a duplicate into a signal and splitting it off: its region's coordinators only.
    *[
        Row(
            f"coordination:{operation}",
            lambda w: {"public_id": w.signal_a.public_id},
            404,
            {"X.coordinator": 400, **ANONYMOUS_TO_LOGIN},
            method="post",
        )
        for operation in ("merge", "split")
    ],
    # Registering a victim with CoMensha: the case's coordinators only (an empty form is 400).
    Row(
        "coordination:register",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        {"X.coordinator": 400, **ANONYMOUS_TO_LOGIN},
        method="post",
    ),
    # The procedures on a case (bedenktijd, B8/3, aangifte, handover to the police): whoever may
    # triage the case records them (an empty form is 400); to anyone else the case is 404.
    *[
        Row(
            f"coordination:{procedure}",
            lambda w: {"public_id": w.signal_a.public_id},
            404,
            {"X.coordinator": 400, **ANONYMOUS_TO_LOGIN},
            method="post",
        )
        for procedure in (
            "reflection",
            "residence_application",
            "reporting_decision",
            "police_handover",
        )
    ],
    Row(
        "coordination:reflection",
        lambda w: {"public_id": w.signal_y.public_id},
        404,
        {"Y.coordinator": 400, **ANONYMOUS_TO_LOGIN},
        method="post",
    ),
    # The registrations are CoMensha's to read, and this world has no CoMensha
    # (tests/test_chain_comensha.py has one).
    Row("registrations:list", no_kwargs, 404, ANONYMOUS_TO_LOGIN),
    Row("registrations:export", no_kwargs, 404, ANONYMOUS_TO_LOGIN),
    Row("api:registrations", no_kwargs, 404, API_ANONYMOUS),
    # Case conferences: professionals and coordinators are at tables; a conference is seen by its
    # participants only, and recorded by the case's coordinators.
    Row(
        "conferences:list",
        no_kwargs,
        404,
        {
            **{f"{org}.{role}": 200 for org in ORGANISATIONS for role in ROLES[:2]},
            **ANONYMOUS_TO_LOGIN,
        },
    ),
    Row(
        "conferences:new",
        lambda w: {"signal_id": w.signal_a.public_id},
        404,
        {"X.coordinator": 200, **ANONYMOUS_TO_LOGIN},
    ),
    Row(
        "conferences:detail",
        conference_of_x_with_a,
        404,
        {f"{org}.{role}": 200 for org in "AX" for role in ROLES[:2]} | ANONYMOUS_TO_LOGIN,
    ),
    Row(
        "conferences:action_done",
        lambda w: {**conference_of_x_with_a(w), "action_id": uuid.uuid4()},
        404,
        ANONYMOUS_TO_LOGIN,
        method="post",
    ),
    # The graph of connections is for the national desk, which this world does not have.
    Row("coordination:connections", no_kwargs, 404, ANONYMOUS_TO_LOGIN),
    Row("access:log", no_kwargs, 404, {**PRIVACY_OFFICERS, **ANONYMOUS_TO_LOGIN}),
    Row("access:export", no_kwargs, 404, {**PRIVACY_OFFICERS, **ANONYMOUS_TO_LOGIN}),
    # Data-subject requests: privacy officers only. A search lives in the officer's own session,
    # so a search id that is not theirs is 404 for everyone (see tests/test_subject_rights.py).
    Row("subject_requests:search", no_kwargs, 404, {**PRIVACY_OFFICERS, **ANONYMOUS_TO_LOGIN}),
    Row(
        "subject_requests:search",
        no_kwargs,
        404,
        {**{f"{org}.privacy_officer": 400 for org in ORGANISATIONS}, **ANONYMOUS_TO_LOGIN},
        method="post",
    ),
    *[
        Row(
            f"subject_requests:{name}",
            lambda w: {"search_id": uuid.uuid4()},
            404,
            ANONYMOUS_TO_LOGIN,
        )
        for name in ("results", "export_json", "export_html")
    ],
    Row(
        "subject_requests:erase",
        lambda w: {"search_id": uuid.uuid4(), "signal_id": w.signal_a.public_id},
        404,
        ANONYMOUS_TO_LOGIN,
        method="post",
        data={"reason": "Erasure request granted"},
    ),
    Row("opvang:overview", no_kwargs, 200, ANONYMOUS_TO_LOGIN),
    Row("opvang:national", no_kwargs, 404, ANONYMOUS_TO_LOGIN),
    Row("opvang:provider_offers", no_kwargs, 404, ANONYMOUS_TO_LOGIN),
    Row("opvang:offer_create", no_kwargs, 404, ANONYMOUS_TO_LOGIN),
    Row("opvang:provider_requests", no_kwargs, 404, ANONYMOUS_TO_LOGIN),
    Row(
        "opvang:coordinator_requests",
        no_kwargs,
        404,
        {"X.coordinator": 200, "Y.coordinator": 200, **ANONYMOUS_TO_LOGIN},
    ),
    Row(
        "opvang:find_place",
        lambda w: {"signal_public_id": w.signal_a.public_id},
        404,
        {"X.coordinator": 200, **ANONYMOUS_TO_LOGIN},
    ),
    # The API (api app): 401 without credentials instead of a login redirect; a denied signal is
    # 404 as on the pages. The test client posts a form, which the JSON-only API answers with 415
    # once the caller may act; nobody else learns that much.
    Row("api:signals", no_kwargs, 200, API_ANONYMOUS),
    Row(
        "api:signal",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        {"A.professional": 200, "X.coordinator": 200, **API_ANONYMOUS},
    ),
    Row(
        "api:signal",
        lambda w: {"public_id": w.signal_y.public_id},
        404,
        {"Y.coordinator": 200, **API_ANONYMOUS},
    ),
    Row("api:signal", lambda w: {"public_id": w.draft_a.public_id}, 404, API_ANONYMOUS),
    Row("api:signal", lambda w: {"public_id": uuid.uuid4()}, 404, API_ANONYMOUS),
    Row(
        "api:signal_additions",
        lambda w: {"public_id": w.signal_a.public_id},
        404,
        {"A.professional": 415, **API_ANONYMOUS},
        method="post",
    ),
    *[
        Row(
            f"api:signal_{operation}",
            lambda w: {"public_id": w.signal_a.public_id},
            404,
            {"X.coordinator": 415, **API_ANONYMOUS},
            method="post",
        )
        for operation in (
            "status",
            "assign",
            "notes",
            "questions",
            "transfer",
            "share",
            "merge",
            "split",
        )
    ],
    Row(
        "api:signal_status",
        lambda w: {"public_id": w.signal_y.public_id},
        404,
        {"Y.coordinator": 415, **API_ANONYMOUS},
        method="post",
    ),
    Row(
        "api:signal_answer",
        lambda w: {"public_id": w.signal_a.public_id, "question_id": uuid.uuid4()},
        404,
        API_ANONYMOUS,
        method="post",
    ),
    Row("api:regions", no_kwargs, 200),
    Row("api:municipalities", no_kwargs, 200),
    Row("api:exploitation_forms", no_kwargs, 200),
    Row("api:indicators", no_kwargs, 200),
    Row("api:offers", no_kwargs, 200, API_ANONYMOUS),
    Row("api:placement_requests", no_kwargs, 200, API_ANONYMOUS),
    Row(
        "api:offer_free_places",
        lambda w: {"public_id": uuid.uuid4()},
        404,
        API_ANONYMOUS,
        method="patch",
    ),
    Row("api:schema", no_kwargs, 200),
    Row("api:docs", no_kwargs, 200),
    # API keys are for organisation admins, each for their own organisation's keys.
    Row("api_keys:list", no_kwargs, 404, {**ORG_ADMIN_PAGES, **ANONYMOUS_TO_LOGIN}),
    Row(
        "api_keys:create",
        no_kwargs,
        404,
        {**{f"{org}.organisation_admin": 400 for org in ORGANISATIONS}, **ANONYMOUS_TO_LOGIN},
        method="post",
    ),
    Row(
        "api_keys:revoke",
        lambda w: {"public_id": uuid.uuid4()},
        404,
        ANONYMOUS_TO_LOGIN,
        method="post",
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_every_visitor_gets_exactly_the_expected_answer(world, row):
    url = reverse(row.url_name, kwargs=row.kwargs(world))
    expected, actual = {}, {}
    for visitor in VISITORS:
        response = getattr(client_for(world, visitor), row.method)(url, row.data)
        expected[visitor] = row.status_for(visitor)
        actual[visitor] = response.status_code
        if response.status_code == 302 and visitor == "anonymous":
            assert response["Location"].startswith(("/pro/login/", "/beheer/login/"))
    assert actual == expected


def _visible_page_text(world, visitor: str) -> str:
    client = client_for(world, visitor)
    pages = [client.get("/pro/signals/"), client.get("/pro/")]
    for signal in (world.signal_a, world.draft_a):
        pages.append(client.get(f"/pro/signals/{signal.public_id}/"))
        pages.append(client.get(f"/pro/signals/{signal.public_id}/edit/"))
    return "".join(page.content.decode() for page in pages)


def test_organisation_b_sees_nothing_of_organisation_a(world):
    for role in ROLES:
        visitor = f"B.{role}"
        assert not signals_visible_to(world.users[visitor]).exists()
        text = _visible_page_text(world, visitor)
        assert SECRET_NAME not in text
        assert SECRET_REFERENCE not in text
        assert str(world.signal_a.public_id) not in text
    # While A's professional does see it: the check above can fail.
    assert SECRET_NAME in _visible_page_text(world, "A.professional")


def test_a_coordinator_sees_only_what_is_routed_to_their_region(world):
    in_x, in_y = world.users["X.coordinator"], world.users["Y.coordinator"]
    assert world.signal_a.region.code == "AMS"
    assert list(signals_visible_to(in_x)) == [world.signal_a]
    assert list(signals_visible_to(in_y)) == [world.signal_y]
    listing = client_for(world, "Y.coordinator").get("/pro/signals/").content.decode()
    assert str(world.signal_y.public_id) in listing
    assert str(world.signal_a.public_id) not in listing


def test_a_share_grants_access_until_it_is_revoked_or_expires(world):
    url = f"/pro/signals/{world.signal_a.public_id}/"
    coordinator = world.users["X.coordinator"]
    client = client_for(world, "B.professional")
    client_for(world, "A.professional").post(
        f"/pro/signals/{world.signal_a.public_id}/add/", {"text": "Internal note of A."}
    )
    assert client.get(url).status_code == 404

    share = share_signal(
        world.signal_a,
        organisation=world.organisations["B"],
        by=coordinator,
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        purpose="Joint inspection",
        ends_on=timezone.localdate(),
    )
    response = client.get(url)
    assert response.status_code == 200
    assert SECRET_NAME in response.content.decode()
    # Shared: the signal, not the submitting organisation's own additions.
    assert "Internal note of A." not in response.content.decode()
    assert "Internal note of A." in client_for(world, "X.coordinator").get(url).content.decode()
    assert client.post(f"{url}add/", {"text": "B adds"}).status_code == 404

    revoke_share(share, by=coordinator)
    assert client.get(url).status_code == 404

    expiring = share_signal(
        world.signal_a,
        organisation=world.organisations["B"],
        by=coordinator,
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        purpose="Joint inspection",
        ends_on=timezone.localdate(),
    )
    assert client.get(url).status_code == 200
    Share.objects.filter(pk=expiring.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
    assert client.get(url).status_code == 404
