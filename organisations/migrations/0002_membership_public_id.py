import uuid

from django.db import migrations, models


def give_each_membership_its_own_id(apps, schema_editor):
    Membership = apps.get_model("organisations", "Membership")
    for membership in Membership.objects.filter(public_id__isnull=True):
        membership.public_id = uuid.uuid4()
        membership.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_membership_its_own_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
