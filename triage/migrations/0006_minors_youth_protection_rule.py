"""The default rule for signals about minors, as data the functional admin edits: the area's youth
protection (Veilig Thuis, a certified youth-protection institution such as Nidos, the CKM) may
read them, on a recorded legal basis, for 90 days.

Frozen helpers: the migration uses the historical model and literal values, never the app's code,
so that it keeps working whatever the models become.
"""

from django.db import migrations

RULE_NAME = "Minderjarigen: jeugdbescherming van het gebied"
RULE = {
    "order": 10,
    "is_active": True,
    "minor": True,
    "target_area_kinds": ["ckm", "veilig_thuis", "youth_protection"],
    # AVG art. 6(1)(e): protecting a minor is the public task of youth protection and the
    # coordinator; the functional admin records another basis where the law gives one.
    "legal_basis": "public_task",
    "access_days": 90,
}


def add_rule(apps, schema_editor):
    RoutingRule = apps.get_model("triage", "RoutingRule")
    if not RoutingRule.objects.filter(name=RULE_NAME).exists():
        RoutingRule.objects.create(name=RULE_NAME, **RULE)


def remove_rule(apps, schema_editor):
    apps.get_model("triage", "RoutingRule").objects.filter(name=RULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("triage", "0005_area_access")]

    operations = [migrations.RunPython(add_rule, remove_rule)]
