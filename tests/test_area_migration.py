"""A database from before the coordinator areas (regions were the 25 veiligheidsregio's) moves to
the areas without losing anything: every signal stays visible to exactly the organisations that
should see it, and its history says it moved.

The test migrates the real test database back to before the areas, builds the old world with the
models as they were then, and migrates forward again."""

import pytest

from tests.helpers import migrate_apps_to, migrate_to_the_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("regions", "0001_initial"),
    ("organisations", "0001_initial"),
    ("triage", "0001_initial"),
]
AFTER = [
    ("regions", "0002_areas_places_divisions"),
    ("organisations", "0002_fallback_coordinator"),
    ("triage", "0003_move_to_coordinator_areas"),
]
OLD_REGIONS = {
    "VR06": "Noord- en Oost-Gelderland",
    "VR13": "Amsterdam-Amstelland",
    "VR15": "Haaglanden",
    "VR16": "Hollands Midden",
    "VR20": "Midden- en West-Brabant",
}
# CBS code: (name, veiligheidsregio, the area it belongs to now)
MUNICIPALITIES = {
    "GM0363": ("Amsterdam", "VR13", "AMS"),
    "GM1783": ("Westland", "VR15", "DHHM"),
    "GM0546": ("Leiden", "VR16", "DHHM"),
    "GM0200": ("Apeldoorn", "VR06", "APV"),
    "GM0222": ("Doetinchem", "VR06", "NOGA"),
    "GM0855": ("Tilburg", "VR20", "MB"),
    "GM0758": ("Breda", "VR20", "ZWB"),
}
COORDINATOR_PERMISSIONS = ["view_signal", "change_signal", "triage_signal"]


def _old_world(apps) -> dict:
    Region = apps.get_model("regions", "Region")
    Municipality = apps.get_model("regions", "Municipality")
    Organisation = apps.get_model("organisations", "Organisation")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Signal = apps.get_model("signals", "Signal")
    Permissions = apps.get_model("access", "SignalGroupObjectPermission")
    Offer = apps.get_model("opvang", "Offer")
    Notification = apps.get_model("triage", "Notification")
    RoutingRule = apps.get_model("triage", "RoutingRule")
    HelpContact = apps.get_model("content", "HelpContact")

    regions = {
        code: Region.objects.create(code=code, name=name) for code, name in OLD_REGIONS.items()
    }
    regions["VR15"].email, regions["VR15"].phone = "zc@haaglanden.example", "070 000 00 00"
    regions["VR15"].save()
    desk = Region.objects.create(code="LD", name="Landelijke desk", kind="national_desk")
    municipalities = {
        code: Municipality.objects.create(code=code, name=name, region=regions[vr])
        for code, (name, vr, _area) in MUNICIPALITIES.items()
    }

    def organisation(name, kind, *served):
        created = Organisation.objects.create(name=name, kind=kind)
        created.regions.add(*served)
        return created

    def group(org, role):
        return Group.objects.get_or_create(name=f"org:{org.public_id}:{role}")[0]

    coordination = {
        code: organisation(f"Zorgcoördinatie {code}", "coordinator", regions[code])
        for code in OLD_REGIONS
    }
    desk_org = organisation("Landelijke desk", "national_desk", desk)
    police = organisation("Politie", "police")
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="signals", content_type__model="signal"
        )
    }

    def grant(signal, org, role, codenames):
        for codename in codenames:
            Permissions.objects.create(
                content_object=signal, group=group(org, role), permission=permissions[codename]
            )

    signals = {}
    for code, municipality in municipalities.items():
        vr = MUNICIPALITIES[code][1]
        signal = Signal.objects.create(
            description=f"Signaal in {municipality.name}",
            language="nl",
            status="triaged",
            location_kind="municipality",
            municipality=municipality,
            region=regions[vr],
            submitted_by=police if code == "GM0363" else None,
        )
        grant(signal, coordination[vr], "coordinator", COORDINATOR_PERMISSIONS)
        if code == "GM0363":
            grant(signal, police, "professional", ["view_signal", "contribute_signal"])
        signals[code] = signal
    # Transferred by a coordinator to a veiligheidsregio its municipality is not in.
    moved = Signal.objects.create(
        description="Verhuisd naar Den Haag",
        language="nl",
        status="triaged",
        location_kind="municipality",
        municipality=municipalities["GM0363"],
        region=regions["VR15"],
    )
    grant(moved, coordination["VR15"], "coordinator", COORDINATOR_PERMISSIONS)
    signals["transferred"] = moved
    online = Signal.objects.create(
        description="Online", language="nl", status="triaged", location_kind="online", region=desk
    )
    grant(online, desk_org, "coordinator", COORDINATOR_PERMISSIONS)
    signals["online"] = online
    Signal.objects.create(description="Nog niet getrieerd", language="nl", status="new")

    shelter = organisation("Opvang", "shelter")
    Offer.objects.create(
        provider=shelter,
        name="Huis Westland",
        kind="cosm",
        region=regions["VR15"],
        municipality=municipalities["GM1783"],
        genders=["female"],
        total_places=3,
        free_places=1,
    )
    Notification.objects.create(signal=signals["GM1783"], region=regions["VR15"], kind="overdue")
    RoutingRule.objects.create(
        name="Haaglanden urgent", region=regions["VR15"], priority_override=1, is_active=True
    )
    RoutingRule.objects.create(name="Naar Midden- en West-Brabant", target_region=regions["VR20"])
    HelpContact.objects.create(region=regions["VR13"], name="Hulp Amsterdam", name_nl="Hulp")
    return {"signals": {key: s.pk for key, s in signals.items()}}


def _organisations_that_see(apps, signal_pk: int) -> set[str]:
    """Every organisation one of whose groups may view the signal (names)."""
    Permissions = apps.get_model("access", "SignalGroupObjectPermission")
    Organisation = apps.get_model("organisations", "Organisation")
    groups = set(
        Permissions.objects.filter(
            content_object_id=signal_pk, permission__codename="view_signal"
        ).values_list("group__name", flat=True)
    )
    return {
        organisation.name
        for organisation in Organisation.objects.all()
        if any(name.startswith(f"org:{organisation.public_id}:") for name in groups)
    }


def test_migration_keeps_every_signal_visible_to_exactly_who_should_see_it():
    old_apps = migrate_apps_to(BEFORE)
    try:
        world = _old_world(old_apps)
        before = {
            key: _organisations_that_see(old_apps, pk) for key, pk in world["signals"].items()
        }

        apps = migrate_apps_to(AFTER)
        Signal = apps.get_model("signals", "Signal")
        Region = apps.get_model("regions", "Region")
        Organisation = apps.get_model("organisations", "Organisation")

        assert not Region.objects.filter(code__startswith="VR").exists(), "old regions are gone"
        for key, pk in world["signals"].items():
            signal = Signal.objects.select_related("region", "submitted_by").get(pk=pk)
            coordinators = set(
                Organisation.objects.filter(
                    regions=signal.region, kind__in=["coordinator", "national_desk"]
                ).values_list("name", flat=True)
            )
            submitter = {signal.submitted_by.name} if signal.submitted_by else set()
            after = _organisations_that_see(apps, pk)
            assert before[key] <= after, f"{key}: nobody who saw it loses it"
            assert after == submitter | coordinators, f"{key}: exactly who should see it"

        areas = {key: Signal.objects.get(pk=pk).region.code for key, pk in world["signals"].items()}
        assert areas == {
            **{code: area for code, (_name, _vr, area) in MUNICIPALITIES.items()},
            "transferred": "DHHM",  # the area most of Haaglanden went to
            "online": "LD",
        }
        # Haaglanden's and Hollands Midden's coordinators now share "Den Haag en Hollands Midden".
        dhhm = Signal.objects.get(pk=world["signals"]["GM0546"])
        assert _organisations_that_see(apps, dhhm.pk) == {
            "Zorgcoördinatie VR15",
            "Zorgcoördinatie VR16",
        }
        # Noord- en Oost-Gelderland's organisation serves both areas it was split into.
        vr06 = Organisation.objects.get(name="Zorgcoördinatie VR06")
        assert set(vr06.regions.values_list("code", flat=True)) == {"APV", "NOGA"}

        _history_says_so(apps, world)
        _the_rest_followed(apps)
    finally:
        migrate_to_the_latest()


def _history_says_so(apps, world):
    SignalEvent = apps.get_model("signals", "SignalEvent")
    for key, pk in world["signals"].items():
        events = list(SignalEvent.objects.filter(signal_id=pk, kind="rerouted"))
        if key == "online":
            assert events == [], "the national desk's signals did not move"
            continue
        [event] = events
        assert event.detail["from"].startswith("VR")
        assert (
            event.detail["to"] == apps.get_model("signals", "Signal").objects.get(pk=pk).region.code
        )
        assert "coordinator area" in event.detail["reason"]


def _the_rest_followed(apps):
    Municipality = apps.get_model("regions", "Municipality")
    Offer = apps.get_model("opvang", "Offer")
    Notification = apps.get_model("triage", "Notification")
    RoutingRule = apps.get_model("triage", "RoutingRule")
    HelpContact = apps.get_model("content", "HelpContact")
    AreaContact = apps.get_model("regions", "AreaContact")

    for code, (_name, vr, area) in MUNICIPALITIES.items():
        municipality = Municipality.objects.select_related("region", "safety_region").get(code=code)
        assert (municipality.region.code, municipality.safety_region.code) == (area, vr)
    assert Offer.objects.get().region.code == "DHHM"
    assert Notification.objects.get().region.code == "DHHM"
    rule = RoutingRule.objects.select_related("division").get(name="Haaglanden urgent")
    assert rule.region_id is None and rule.division.code == "VR15", "same meaning as before"
    assert RoutingRule.objects.get(name="Naar Midden- en West-Brabant").target_region.code == "ZWB"
    assert HelpContact.objects.get(name="Hulp Amsterdam").region.code == "AMS"
    contact = AreaContact.objects.get(email="zc@haaglanden.example")
    assert (contact.region.code, contact.phone) == ("DHHM", "070 000 00 00")
