"""The professional menu links exactly the pages the user's roles open (access.roles)."""

import pytest
from django.urls import reverse

from organisations.models import Membership, Organisation
from tests.factories import OrganisationFactory
from tests.helpers import member_of, signed_in

pytestmark = pytest.mark.django_db

Kind, Role = Organisation.Kind, Membership.Role
# The links not everyone gets, by URL name.
ROLE_LINKS = [
    "coordination:queue",
    "monitor:monitor",
    "access:log",
    "subject_requests:search",
    "api_keys:list",
    "registrations:list",
]


@pytest.mark.parametrize(
    ("kind", "role", "links"),
    [
        (Kind.POLICE, Role.PROFESSIONAL, set()),
        (Kind.COORDINATOR, Role.COORDINATOR, {"coordination:queue"}),
        (Kind.NATIONAL_DESK, Role.COORDINATOR, {"coordination:queue", "monitor:monitor"}),
        (Kind.MINISTRY, Role.ANALYST, {"monitor:monitor"}),
        (Kind.POLICE, Role.PRIVACY_OFFICER, {"access:log", "subject_requests:search"}),
        (Kind.POLICE, Role.ORGANISATION_ADMIN, {"api_keys:list"}),
        (Kind.COMENSHA, Role.COORDINATOR, {"coordination:queue", "registrations:list"}),
        (Kind.COMENSHA, Role.ANALYST, {"monitor:monitor", "registrations:list"}),
    ],
)
def test_the_menu_links_the_pages_the_role_opens(kind, role, links):
    client = signed_in(member_of(OrganisationFactory(kind=kind), role))
    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert {name for name in ROLE_LINKS if f'href="{reverse(name)}"' in page} == links
    for name in links:
        assert client.get(reverse(name)).status_code == 200


def test_the_menu_read_in_one_query_follows_each_role_rule(django_assert_num_queries):
    """The menu reads the memberships once; what it links is what each rule in access.roles
    says, for people with several memberships too."""
    from access import roles

    organisations = {
        kind: OrganisationFactory(kind=kind)
        for kind in (Kind.POLICE, Kind.COORDINATOR, Kind.NATIONAL_DESK, Kind.COMENSHA)
    }
    people = [
        member_of(organisation, role)
        for organisation in organisations.values()
        for role in Role.values
    ]
    several = member_of(organisations[Kind.COMENSHA], Role.ANALYST)
    Membership.objects.create(
        user=several,
        organisation=organisations[Kind.NATIONAL_DESK],
        roles=[Role.PRIVACY_OFFICER, Role.COORDINATOR],
    )
    for user in [*people, several]:
        # A second query only for whom the roles could give an area's figures.
        may_have_an_area = Membership.objects.filter(
            user=user,
            organisation__kind=Kind.COORDINATOR,
            roles__overlap=[Role.COORDINATOR, Role.ANALYST],
        ).exists()
        with django_assert_num_queries(2 if may_have_an_area else 1):
            menu = roles.professional_menu(user)
        assert menu == roles.ProfessionalMenu(
            regional_queue=roles.is_coordinator(user),
            connections=roles.is_national_desk(user),
            monitor=roles.may_read_monitor(user),
            area_monitor=roles.monitor_areas(user).exists(),
            privacy_officer=roles.is_privacy_officer(user),
            api_keys=roles.is_organisation_admin(user),
            routing_alerts=roles.sees_routing_alerts(user),
            registrations=roles.may_read_registrations(user),
            case_conferences=roles.conference_organisations(user).exists(),
        )
