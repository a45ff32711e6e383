"""Shares the coordinator can review and revoke: listed on the case page and in the API, revoked on
either, which is logged and ends the organisation's access with its next request; an end date at
most SHARE_MAX_DAYS ahead, on the form and in the API alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from access.models import AccessLogEntry, Share
from coordination.services import share_with_organisation
from organisations.models import Membership, Organisation
from signals.models import SignalEvent
from tests.factories import OrganisationFactory
from tests.helpers import login_professional, member_of, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    """Signal A of the world, shared by its coordinator with a police team for a month."""
    team = OrganisationFactory(name="Politie Team Mensenhandel", kind=Organisation.Kind.POLICE)
    detective = member_of(team, Membership.Role.PROFESSIONAL)
    share = share_with_organisation(
        world.signal_a,
        by=world.coordinator_x,
        organisation=team,
        legal_basis=Share.LegalBasis.LEGAL_OBLIGATION,
        purpose="Onderzoek naar de uitzendbureau-eigenaar",
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    return share, detective


def _api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    login_professional(client, user)
    return client


def _case(world):
    return reverse("coordination:case", args=[world.signal_a.public_id])


def test_the_case_page_lists_each_share_with_what_was_recorded(world, shared):
    share, _detective = shared
    page = signed_in(world.coordinator_x).get(_case(world)).content.decode()
    section = page.split('id="part-shares"')[1].split("</section>")[0]
    for shown in (
        "Politie Team Mensenhandel",
        "Legal obligation (AVG art. 6(1)(c))",
        "Onderzoek naar de uitzendbureau-eigenaar",
        share.ends_on.strftime("%m/%d/%Y"),
        world.coordinator_x.email,
        "active",
    ):
        assert shown in section


def test_revoking_on_the_case_page_ends_access_at_once_and_is_logged(world, shared):
    share, detective = shared
    signal = world.signal_a
    page_url = reverse("pro_signals:detail", args=[signal.public_id])
    api_url = reverse("api:signal", args=[signal.public_id])
    detective_page, detective_api = signed_in(detective), _api(detective)
    assert detective_page.get(page_url).status_code == 200
    assert detective_api.get(api_url).status_code == 200

    response = signed_in(world.coordinator_x).post(
        reverse("coordination:revoke_share", args=[signal.public_id, share.public_id])
    )
    assert response.status_code == 302 and response.url == _case(world)

    # The detective's next request, on their page and in the API, finds nothing.
    assert detective_page.get(page_url).status_code == 404
    assert detective_api.get(api_url).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is not None and share.revoked_by == world.coordinator_x
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.REVOKE_SHARE)
    assert (entry.user, entry.signal) == (world.coordinator_x, signal)
    assert "Politie Team Mensenhandel" in entry.detail
    assert signal.events.filter(kind=SignalEvent.Kind.SHARE_REVOKED).count() == 1
    page = signed_in(world.coordinator_x).get(_case(world)).content.decode()
    assert "revoked" in page.split('id="part-shares"')[1].split("</section>")[0]

    # Revoking again changes nothing, and writes nothing more.
    signed_in(world.coordinator_x).post(
        reverse("coordination:revoke_share", args=[signal.public_id, share.public_id])
    )
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REVOKE_SHARE).count() == 1


def test_revoking_through_the_api_ends_access_at_once(world, shared):
    share, detective = shared
    signal = world.signal_a
    base = reverse("api:signal", args=[signal.public_id])
    coordinator = _api(world.coordinator_x)
    listed = coordinator.get(base).json()["shares"]
    assert [(s["public_id"], s["organisation_name"], s["is_active"]) for s in listed] == [
        (str(share.public_id), "Politie Team Mensenhandel", True)
    ]
    # The recipient sees the signal, not who else it is shared with.
    assert _api(detective).get(base).json()["shares"] == []

    revoked = coordinator.post(f"{base}shares/{share.public_id}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False and revoked.json()["revoked_at"]
    assert _api(detective).get(base).status_code == 404
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REVOKE_SHARE).count() == 1


def test_only_the_signals_coordinators_revoke_and_only_its_own_shares(world, shared):
    share, detective = shared
    signal = world.signal_a
    url = reverse("coordination:revoke_share", args=[signal.public_id, share.public_id])
    for stranger in (detective, world.coordinator_y, world.officer):
        assert signed_in(stranger).post(url).status_code == 404
        api = f"/api/v1/signals/{signal.public_id}/shares/{share.public_id}/revoke/"
        assert _api(stranger).post(api).status_code == 404
    elsewhere = reverse(
        "coordination:revoke_share", args=[world.signal_y.public_id, share.public_id]
    )
    assert signed_in(world.coordinator_y).post(elsewhere).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


def test_an_end_date_beyond_the_maximum_is_refused_with_a_clear_error(world, settings):
    settings.SHARE_MAX_DAYS = 30
    team = OrganisationFactory(kind=Organisation.Kind.POLICE)
    too_late = timezone.localdate() + timedelta(days=31)
    form = signed_in(world.coordinator_x).post(
        reverse("coordination:share", args=[world.signal_a.public_id]),
        {
            "organisation": team.pk,
            "legal_basis": "legal_obligation",
            "purpose": "Aangifte",
            "ends_on": too_late.isoformat(),
        },
    )
    assert form.status_code == 400
    message = "A share ends at the latest 30 days from today"
    assert message in str(form.context["share_form"].errors["ends_on"])
    assert f'max="{(too_late - timedelta(days=1)).isoformat()}"' in form.content.decode()

    api = _api(world.coordinator_x).post(
        reverse("api:signal_share", args=[world.signal_a.public_id]),
        {
            "organisation": str(team.public_id),
            "legal_basis": "legal_obligation",
            "purpose": "Aangifte",
            "ends_on": too_late.isoformat(),
        },
        format="json",
    )
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "too_long" and message in error["fields"]["ends_on"][0]
    assert not world.signal_a.shares.exists()

    last_day = _api(world.coordinator_x).post(
        reverse("api:signal_share", args=[world.signal_a.public_id]),
        {
            "organisation": str(team.public_id),
            "legal_basis": "legal_obligation",
            "purpose": "Aangifte",
            "ends_on": (too_late - timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert last_day.status_code == 201


def test_no_way_of_sharing_goes_past_the_maximum(world, settings):
    """The maximum holds in the one service every share goes through, not only on the form: a
    caller that forgets it (a command, a new feature) cannot make a share without end."""
    from datetime import date

    from django.db import transaction

    from access.services import share_signal
    from coordination.services import transfer_signal
    from regions.models import Region

    settings.SHARE_MAX_DAYS = 30
    team = OrganisationFactory(kind=Organisation.Kind.POLICE)
    for too_late in (date(9999, 12, 31), timezone.localdate() + timedelta(days=31)):
        with pytest.raises(ValueError), transaction.atomic():
            share_signal(
                world.signal_a,
                organisation=team,
                by=world.coordinator_x,
                legal_basis=Share.LegalBasis.PUBLIC_TASK,
                purpose="Aangifte",
                ends_on=too_late,
            )
    assert not Share.objects.filter(organisation=team).exists()

    # The sender's read access after a transfer is a share too: a longer setting is cut short.
    settings.TRANSFER_SENDER_READ_DAYS = 10_000
    transfer_signal(
        world.signal_a,
        by=world.coordinator_x,
        region=Region.objects.get(code="RTM"),
        reason="Verhuisd",
    )
    kept = Share.objects.get(signal=world.signal_a, organisation=world.coordination_x)
    assert kept.ends_on == timezone.localdate() + timedelta(days=30)
