"""A coordinator asks the submitting organisation a question; its professional answers once."""

import uuid

import pytest
from django.urls import reverse

from access.services import grant_region_access
from intake.professional.services import ProfessionalReport, submit_professional_signal
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.models import Question, Signal
from tests.factories import CoordinationFactory, OrganisationFactory
from tests.helpers import member_of, signed_in

pytestmark = pytest.mark.django_db


def _client(organisation, role):
    return signed_in(member_of(organisation, role))


@pytest.fixture
def case(reference_data):
    police = OrganisationFactory(kind=Organisation.Kind.POLICE)
    officer = _client(police, Membership.Role.PROFESSIONAL)
    region = Region.objects.get(code="AMS")
    coordination = CoordinationFactory(name="ZC", region=region)
    coordinator = _client(coordination, Membership.Role.COORDINATOR)
    membership = police.memberships.first()
    signal = submit_professional_signal(
        ProfessionalReport(
            organisation=police,
            language="nl",
            description="Meisje in een woning",
            locations=[{"kind": "home", "municipality": Municipality.objects.get(code="GM0363")}],
        ),
        user=membership.user,
        submission_key=uuid.uuid4(),
    )
    Signal.objects.filter(pk=signal.pk).update(region=region, status="triaged")
    grant_region_access(signal, region=region)
    return {"signal": signal, "officer": officer, "coordinator": coordinator, "police": police}


def test_a_question_is_asked_and_answered_once(case):
    signal = case["signal"]
    asked = case["coordinator"].post(
        reverse("coordination:question", args=[signal.public_id]),
        {"question-text": "Heeft zij een eigen telefoon?"},
    )
    assert asked.status_code == 302
    question = Question.objects.get(signal=signal)

    detail = case["officer"].get(reverse("pro_signals:detail", args=[signal.public_id]))
    assert "Heeft zij een eigen telefoon?" in detail.content.decode()

    answer_url = reverse("pro_signals:answer", args=[signal.public_id, question.public_id])
    too_long = case["officer"].post(answer_url, {f"{question.public_id}-answer": "x" * 2001})
    assert too_long.status_code == 400
    answered = case["officer"].post(answer_url, {f"{question.public_id}-answer": "Nee, geen."})
    assert answered.status_code == 302
    again = case["officer"].post(answer_url, {f"{question.public_id}-answer": "Toch wel"})
    assert again.status_code == 400
    question.refresh_from_db()
    assert question.answer == "Nee, geen."

    page = case["coordinator"].get(reverse("coordination:case", args=[signal.public_id]))
    assert "Nee, geen." in page.content.decode()


def test_only_the_submitting_organisation_answers(case):
    signal = case["signal"]
    case["coordinator"].post(
        reverse("coordination:question", args=[signal.public_id]), {"question-text": "Waar?"}
    )
    question = Question.objects.get()
    outsider = _client(OrganisationFactory(), Membership.Role.PROFESSIONAL)
    url = reverse("pro_signals:answer", args=[signal.public_id, question.public_id])
    assert outsider.post(url, {f"{question.public_id}-answer": "Hier"}).status_code == 404
    question.refresh_from_db()
    assert question.answered_at is None
