import uuid

from django.db import migrations, models


def give_each_share_an_id(apps, schema_editor):
    Share = apps.get_model("access", "Share")
    for share in Share.objects.filter(public_id__isnull=True).only("pk"):
        share.public_id = uuid.uuid4()
        share.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_delete_signal_user_object_permission"),
    ]

    operations = [
        # Nullable first, filled per row, then unique: one default for all rows would collide.
        migrations.AddField(
            model_name="share",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_share_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="share",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed details"),
                    ("download", "Downloaded an attachment"),
                    ("export", "Exported"),
                    ("share", "Shared"),
                    ("revoke_share", "Revoked a share"),
                    ("transfer", "Transferred"),
                    ("status", "Changed status"),
                    ("anonymise", "Personal data removed (retention)"),
                    ("subject_search", "Searched for a data subject"),
                    ("erase", "Personal data erased (data-subject request)"),
                    ("merge", "Merged a duplicate"),
                    ("split", "Split a duplicate off"),
                ],
                max_length=16,
            ),
        ),
    ]
