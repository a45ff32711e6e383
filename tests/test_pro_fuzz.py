"""Hostile input to every professional form and every API serializer that takes input: never a
server error; refused input is answered 4xx or with form errors and leaves nothing half-saved.

Small example counts keep this fast; CI runs the same examples every time (derandomize), local
runs explore new ones (tests.hostile.FUZZ).
"""

import json

import pytest
from django.apps import apps
from django.http import QueryDict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from access.forms import AccessLogFilterForm
from accounts.models import User
from api import serializers as api_serializers
from api.forms import ApiKeyForm
from coordination import forms as coordination_forms
from coordination import procedure_forms
from coordination.registration_forms import RegistrationForm
from intake.professional.forms import AdditionForm
from opvang import forms as opvang_forms
from organisations.forms import InviteForm, RolesForm
from organisations.models import Organisation
from tests.hostile import CASE_PAGE_POSTS, FUZZ, hostile_text
from tests.world import client_for

pytestmark = pytest.mark.django_db

text = hostile_text(max_size=200)
form_values = st.one_of(text, st.lists(text, max_size=3))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=8,
)

# What each professional page posts (prefixes as the pages use them), and who posts it.
SECTION_FIELDS = {
    "persons": ["role", "name", "date_of_birth", "gender", "phone_numbers", "email", "postcode"],
    "companies": ["name", "kvk_number", "sector", "postcode"],
    "locations": ["kind", "municipality", "description", "house_number"],
    "vehicles": ["plate", "country"],
    "websites": ["url"],
    "bank_accounts": ["iban", "holder"],
}
INTAKE_FIELDS = [
    "action",
    "submission_key",
    "organisation",
    "own_reference",
    "description",
    "exploitation_forms",
    "indicators",
    "is_urgent",
    "involves_minor",
    "victim_consent",
    *[f"{section}-{key}" for section in SECTION_FIELDS for key in ("TOTAL_FORMS", "INITIAL_FORMS")],
    *[f"{section}-0-{field}" for section, fields in SECTION_FIELDS.items() for field in fields],
    *[f"{section}-1-{field}" for section, fields in SECTION_FIELDS.items() for field in fields],
]
# Tables a refused post must leave alone (the access log records reads of a re-shown page).
WATCHED_APPS = ["signals", "coordination", "opvang", "organisations", "api"]


def signed_in_as(world, visitor: str):
    """One signed-in client per visitor for all examples of a test: signing in is slow."""
    clients = world.__dict__.setdefault("fuzz_clients", {})
    if visitor not in clients:
        clients[visitor] = client_for(world, visitor)
    return clients[visitor]


def as_post(values: dict) -> QueryDict:
    """The data as a form receives it from a browser: every field a list of strings."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def snapshot() -> dict[str, int]:
    counts = {
        model._meta.label: model.objects.count()
        for app in WATCHED_APPS
        for model in apps.get_app_config(app).get_models()
    }
    counts["access.Share"] = apps.get_model("access", "Share").objects.count()
    return counts


def posted(fields: list[str]):
    return st.dictionaries(st.sampled_from(fields), form_values, max_size=len(fields))


def assert_all_or_nothing(response, before: dict[str, int]) -> None:
    assert response.status_code < 500
    if response.status_code in (400, 403, 404, 405, 415):
        assert snapshot() == before


@FUZZ
@given(data=posted(INTAKE_FIELDS), extra=st.sampled_from(["submit", "draft", "add-persons"]))
def test_the_professional_intake_never_fails(world, data, extra):
    client = signed_in_as(world, "A.professional")
    data.setdefault("action", extra)
    before = snapshot()
    response = client.post(reverse("pro_signals:new"), data)
    assert_all_or_nothing(response, before)
    assert response.status_code in (200, 302, 400)


@FUZZ
@given(form=st.sampled_from(sorted(CASE_PAGE_POSTS)), data=st.data())
def test_the_coordinator_case_forms_never_fail(world, form, data):
    client = signed_in_as(world, "X.coordinator")
    values = data.draw(posted(CASE_PAGE_POSTS[form]))
    before = snapshot()
    url = reverse(f"coordination:{form}", args=[world.signal_a.public_id])
    response = client.post(url, values)
    assert_all_or_nothing(response, before)
    assert response.status_code in (302, 400)


@FUZZ
@given(
    invite=posted(["email", "roles"]),
    key=posted(["organisation", "name", "scope", "roles"]),
    addition=posted(["text"]),
    data=st.data(),
)
def test_admin_and_addition_forms_never_fail(world, invite, key, addition, data):
    admin = signed_in_as(world, "A.organisation_admin")
    organisation = world.organisations["A"]
    member = organisation.memberships.order_by("pk").last()
    roles = data.draw(posted([f"{member.public_id}-roles", "roles"]))
    for url, values in [
        (reverse("organisations:invite", args=[organisation.public_id]), invite),
        (
            reverse("organisations:roles", args=[organisation.public_id, member.public_id]),
            roles,
        ),
        (reverse("api_keys:create"), key),
    ]:
        before = snapshot()
        assert_all_or_nothing(admin.post(url, values), before)
    professional = signed_in_as(world, "A.professional")
    before = snapshot()
    url = reverse("pro_signals:add_information", args=[world.signal_a.public_id])
    assert_all_or_nothing(professional.post(url, addition), before)


def _forms(world) -> list:
    """Every professional form class with what its constructor needs."""
    signal = world.signal_a
    organisation = world.organisations["X"]
    return [
        (coordination_forms.QueueFilterForm, {}),
        (coordination_forms.MoveForm, {"signal": signal}),
        (coordination_forms.AssignForm, {"colleagues": User.objects.all()}),
        (coordination_forms.NoteForm, {}),
        (coordination_forms.TransferForm, {"signal": signal}),
        (coordination_forms.ShareForm, {}),
        (coordination_forms.ReporterMessageForm, {}),
        (procedure_forms.ReflectionPeriodForm, {}),
        (procedure_forms.ResidenceApplicationForm, {}),
        (procedure_forms.ReportingDecisionForm, {}),
        (procedure_forms.PoliceHandoverForm, {}),
        (coordination_forms.QuestionForm, {}),
        (coordination_forms.AnswerForm, {}),
        (opvang_forms.OfferForm, {"providers": Organisation.objects.all()}),
        (opvang_forms.OverviewFilterForm, {}),
        (opvang_forms.NeedsForm, {}),
        (opvang_forms.DeclineForm, {}),
        (coordination_forms.RetentionHoldForm, {}),
        (RegistrationForm, {"signal": signal}),
        (InviteForm, {"organisation": organisation}),
        (RolesForm, {"organisation": organisation}),
        (ApiKeyForm, {"organisations": Organisation.objects.all()}),
        (AccessLogFilterForm, {"organisation": organisation}),
        (AdditionForm, {}),
    ]


@FUZZ
@given(data=st.data())
def test_every_professional_form_validates_hostile_data_without_raising(world, data):
    for form_class, kwargs in _forms(world):
        probe = form_class(**kwargs)
        names = [probe.add_prefix(name) for name in probe.fields]
        form = form_class(as_post(data.draw(posted(names))), **kwargs)
        if not form.is_valid():
            assert form.errors


SERIALIZERS = [
    api_serializers.PublicReportSerializer,
    api_serializers.AdditionSerializer,
    api_serializers.QuestionSerializer,
    api_serializers.AnswerSerializer,
    api_serializers.MoveSerializer,
    api_serializers.AssignSerializer,
    api_serializers.NoteSerializer,
    api_serializers.TransferSerializer,
    api_serializers.ShareSerializer,
    api_serializers.MergeSerializer,
    api_serializers.SplitSerializer,
    api_serializers.FreePlacesSerializer,
]


@FUZZ
@given(data=st.data())
def test_every_api_serializer_validates_hostile_json_without_raising(reference_data, data):
    for serializer_class in SERIALIZERS:
        fields = list(serializer_class().fields)
        payload = data.draw(
            st.one_of(
                st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields)),
                json_values,
            )
        )
        serializer = serializer_class(data=payload)
        if not serializer.is_valid():
            assert serializer.errors


API_ACTIONS = {
    "api:signal_status": ["to_status", "reason"],
    "api:signal_assign": ["assignee"],
    "api:signal_notes": ["body"],
    "api:signal_questions": ["text"],
    "api:signal_transfer": ["region", "reason"],
    "api:signal_share": ["organisation", "legal_basis", "purpose", "ends_on"],
}


@FUZZ
@given(action=st.sampled_from(sorted(API_ACTIONS)), data=st.data())
def test_the_api_answers_hostile_json_with_4xx_and_saves_nothing(world, action, data):
    fields = API_ACTIONS[action]
    payload = data.draw(
        st.one_of(
            st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields)),
            json_values,
        )
    )
    client = signed_in_as(world, "X.coordinator")
    before = snapshot()
    response = client.post(
        reverse(action, args=[world.signal_a.public_id]),
        json.dumps(payload),
        content_type="application/json",
    )
    assert_all_or_nothing(response, before)
    assert response["Content-Type"].startswith("application/json")
