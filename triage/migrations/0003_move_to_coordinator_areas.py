"""Moves a database from the 25 veiligheidsregio's (regions VR01-VR25) to the coordinator areas.

Nothing is lost and the history says so:
- every municipality moves to its area; its veiligheidsregio stays known as a division;
- coordinator organisations serve the areas their veiligheidsregio's municipalities went to;
- every signal moves to the area of its municipality (a signal without one, or rerouted to a
  veiligheidsregio its municipality is not in, to the area most of that veiligheidsregio went to),
  with a "rerouted" history entry; the coordinators of the new area get access and those of the
  old veiligheidsregio who do not serve the new area lose it, so each signal stays visible to
  exactly its submitter, its shares and the coordinators of its area;
- offers, notifications, routing rules and help contacts follow; a rule "if in region VRxx"
  becomes "if in veiligheidsregio VRxx", which means exactly what it meant;
- the old regions are deleted once nothing points at them.

A database without veiligheidsregio regions (a new one, which `manage.py load_regions` fills) is
left alone. This migration carries its own copy of the mapping (regions/data/ may change later)
and imports no app module.
"""

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

# The coordinator areas of regions/data/areas.csv when this migration was written.
AREAS = [
    ('AMS', 'Politieregio Amsterdam', 'Amsterdam police region'),
    ('DHHM', 'Politieregio Den Haag en Hollands Midden', 'Police regions The Hague and Hollands Midden'),
    ('DR', 'Provincie Drenthe', 'Province of Drenthe'),
    ('EHV', 'Gemeente Eindhoven en de regio', 'Municipality of Eindhoven and greater region'),
    ('FR', 'Provincie Friesland', 'Province of Friesland'),
    ('NOGA', "Regio's Noord-Oost Gelderland en de Achterhoek", 'Noord-Oost Gelderland and the Achterhoek'),
    ('IJS', 'Politieregio IJsselland', 'IJsselland police region'),
    ('APV', 'Gemeente Apeldoorn en de Veluwe', 'Municipality of Apeldoorn and region Veluwe'),
    ('GRO', 'Gemeente Groningen', 'Municipality of Groningen'),
    ('MNL', 'Midden-Nederland: provincie Utrecht en provincie Gelderland', 'Netherlands (central): provinces of Utrecht and Gelderland'),
    ('NH', 'Provincie Noord-Holland', 'Province of North Holland'),
    ('DBS', 'Gemeente Den Bosch en regio', "Municipality of 's-Hertogenbosch"),
    ('RTM', 'Gemeente Rotterdam', 'Municipality of Rotterdam'),
    ('TW', 'Regio Oost-Nederland Twente', 'Netherlands (east): Twente'),
    ('ZWB', 'Provincie Zeeland en West-Brabant', 'Province of Zeeland & West Brabant'),
    ('LZ', 'Limburg Zuid', ''),
    ('LNM', 'Limburg-Noord en Limburg-Midden', ''),
    ('FL', 'Flevoland', ''),
    ('ZHZ', 'Zuid-Holland Zuid', ''),
    ('MB', 'Midden-Brabant', ''),
]
# Where each veiligheidsregio's municipalities go; VR06 and VR20 are split (SPLIT, by municipality).
VR_TO_AREA = {
    "VR01": "GRO", "VR02": "FR", "VR03": "DR", "VR04": "IJS", "VR05": "TW", "VR06": "APV",
    "VR07": "MNL", "VR08": "MNL", "VR09": "MNL", "VR10": "NH", "VR11": "NH", "VR12": "NH",
    "VR13": "AMS", "VR14": "NH", "VR15": "DHHM", "VR16": "DHHM", "VR17": "RTM", "VR18": "ZHZ",
    "VR19": "ZWB", "VR20": "ZWB", "VR21": "DBS", "VR22": "EHV", "VR23": "LNM", "VR24": "LZ",
    "VR25": "FL",
}
SPLIT = {
    'GM0197': 'NOGA',
    'GM0200': 'APV',
    'GM0213': 'NOGA',
    'GM0222': 'NOGA',
    'GM0230': 'APV',
    'GM0232': 'APV',
    'GM0233': 'APV',
    'GM0243': 'APV',
    'GM0244': 'APV',
    'GM0246': 'APV',
    'GM0262': 'NOGA',
    'GM0269': 'APV',
    'GM0273': 'APV',
    'GM0285': 'APV',
    'GM0294': 'NOGA',
    'GM0301': 'NOGA',
    'GM0302': 'APV',
    'GM0744': 'MB',
    'GM0748': 'ZWB',
    'GM0758': 'ZWB',
    'GM0766': 'MB',
    'GM0777': 'ZWB',
    'GM0779': 'ZWB',
    'GM0784': 'MB',
    'GM0785': 'MB',
    'GM0798': 'MB',
    'GM0809': 'MB',
    'GM0824': 'MB',
    'GM0826': 'ZWB',
    'GM0840': 'ZWB',
    'GM0851': 'ZWB',
    'GM0855': 'MB',
    'GM0867': 'MB',
    'GM0873': 'ZWB',
    'GM0879': 'ZWB',
    'GM1509': 'NOGA',
    'GM1586': 'NOGA',
    'GM1655': 'ZWB',
    'GM1674': 'ZWB',
    'GM1709': 'ZWB',
    'GM1719': 'ZWB',
    'GM1723': 'MB',
    'GM1859': 'NOGA',
    'GM1876': 'NOGA',
    'GM1955': 'NOGA',
    'GM1959': 'MB',
}
COORDINATING_KINDS = ["coordinator", "national_desk"]
COORDINATOR_PERMISSIONS = ["view_signal", "change_signal", "triage_signal"]
REASON = "Moved from the veiligheidsregio to the coordinator area (zorgcoördinatoren areas)."


def area_of(municipality_code: str, vr_code: str) -> str:
    return SPLIT.get(municipality_code) or VR_TO_AREA[vr_code]


def forwards(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    Municipality = apps.get_model("regions", "Municipality")
    Division = apps.get_model("regions", "Division")
    AreaContact = apps.get_model("regions", "AreaContact")
    Organisation = apps.get_model("organisations", "Organisation")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Signal = apps.get_model("signals", "Signal")
    SignalEvent = apps.get_model("signals", "SignalEvent")
    Permissions = apps.get_model("access", "SignalGroupObjectPermission")
    Offer = apps.get_model("opvang", "Offer")
    Notification = apps.get_model("triage", "Notification")
    RoutingRule = apps.get_model("triage", "RoutingRule")
    HelpContact = apps.get_model("content", "HelpContact")

    old = {
        region.pk: region
        for region in Region.objects.filter(code__regex=r"^VR[0-9]{2}$", kind="regional")
        if region.code in VR_TO_AREA
    }
    if not old:
        return
    areas = {}
    for code, name, name_en in AREAS:
        areas[code], _created = Region.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_nl": name, "name_en": name_en, "kind": "regional"},
        )
    divisions = {
        region.pk: Division.objects.get_or_create(
            kind="safety_region", code=region.code, defaults={"name": region.name}
        )[0]
        for region in old.values()
    }

    def coordinator_groups(region_ids) -> set[int]:
        organisations = Organisation.objects.filter(
            regions__in=region_ids, kind__in=COORDINATING_KINDS
        ).distinct()
        names = [f"org:{organisation.public_id}:coordinator" for organisation in organisations]
        return set(Group.objects.filter(name__in=names).values_list("pk", flat=True))

    # Who coordinated each veiligheidsregio, before the organisations move.
    old_groups = {pk: coordinator_groups([pk]) for pk in old}

    # Municipalities, and which areas each veiligheidsregio went to.
    municipality_vr = {}
    went_to: dict[int, set[str]] = {pk: set() for pk in old}
    for municipality in Municipality.objects.filter(region__in=list(old)):
        vr = old[municipality.region_id]
        target = area_of(municipality.code, vr.code)
        municipality_vr[municipality.pk] = vr.pk
        went_to[vr.pk].add(target)
        municipality.region = areas[target]
        municipality.safety_region = divisions[vr.pk]
        municipality.save(update_fields=["region", "safety_region"])

    def main_area(vr_pk: int) -> object:
        return areas[VR_TO_AREA[old[vr_pk].code]]

    def target_for(vr_pk: int, municipality) -> object:
        if municipality is not None and municipality_vr.get(municipality.pk) == vr_pk:
            return municipality.region
        return main_area(vr_pk)

    # Coordinator (and other) organisations serve the areas their veiligheidsregio's went to.
    for organisation in Organisation.objects.filter(regions__in=list(old)).distinct():
        for vr_pk in organisation.regions.filter(pk__in=list(old)).values_list("pk", flat=True):
            codes = went_to[vr_pk] or {VR_TO_AREA[old[vr_pk].code]}
            organisation.regions.add(*[areas[code] for code in codes])
        organisation.regions.remove(*old.values())

    permissions = list(
        Permission.objects.filter(
            content_type__app_label="signals",
            content_type__model="signal",
            codename__in=COORDINATOR_PERMISSIONS,
        )
    )
    new_groups: dict[int, set[int]] = {}
    signals = Signal.objects.filter(region__in=list(old)).select_related("municipality__region")
    for signal in signals.iterator():
        vr_pk = signal.region_id
        target = target_for(vr_pk, signal.municipality)
        if target.pk not in new_groups:
            new_groups[target.pk] = coordinator_groups([target.pk])
        granted, leaving = new_groups[target.pk], old_groups[vr_pk] - new_groups[target.pk]
        Permissions.objects.filter(content_object=signal, group__in=leaving).delete()
        Permissions.objects.bulk_create(
            [
                Permissions(content_object=signal, group_id=group, permission=permission)
                for group in granted
                for permission in permissions
            ],
            ignore_conflicts=True,
        )
        Signal.objects.filter(pk=signal.pk).update(region=target)
        SignalEvent.objects.create(
            signal=signal,
            kind="rerouted",
            detail={"from": old[vr_pk].code, "to": target.code, "reason": REASON},
        )

    for offer in Offer.objects.filter(region__in=list(old)).select_related("municipality__region"):
        offer.region = target_for(offer.region_id, offer.municipality)
        offer.save(update_fields=["region"])

    for notification in Notification.objects.filter(region__in=list(old)).select_related("signal"):
        target_pk = notification.signal.region_id
        duplicate = Notification.objects.filter(
            signal_id=notification.signal_id, region_id=target_pk, kind=notification.kind
        ).exclude(pk=notification.pk)
        if duplicate.exists():
            # Two veiligheidsregio's merged into one area: one notification of each kind stays.
            notification.delete()
        else:
            notification.region_id = target_pk
            notification.save(update_fields=["region"])

    for rule in RoutingRule.objects.filter(region__in=list(old)):
        rule.division = divisions[rule.region_id]
        rule.region = None
        rule.save(update_fields=["division", "region"])
    for rule in RoutingRule.objects.filter(target_region__in=list(old)):
        rule.target_region = main_area(rule.target_region_id)
        rule.save(update_fields=["target_region"])
    for contact in HelpContact.objects.filter(region__in=list(old)):
        contact.region = main_area(contact.region_id)
        contact.save(update_fields=["region"])
    for contact in AreaContact.objects.filter(region__in=list(old)):
        contact.region = main_area(contact.region_id)
        contact.save(update_fields=["region"])

    Region.objects.filter(pk__in=list(old)).delete()


def backwards(apps, schema_editor):
    """Moving back would have to split merged areas again, and cannot know who coordinated which
    veiligheidsregio: it is refused once there is data (restore a backup instead). An empty
    database goes back freely."""
    if apps.get_model("signals", "Signal").objects.exists():
        raise IrreversibleError(
            "Signals were moved to the coordinator areas; restore a backup to go back."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_areas_places_divisions"),
        ("organisations", "0002_fallback_coordinator"),
        ("triage", "0002_routing_alerts_and_division_rules"),
        ("signals", "0001_initial"),
        ("access", "0003_access_log_append_only"),
        ("opvang", "0001_initial"),
        ("content", "0002_seed_content"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
