"""A share reaches the receiving organisation's case-handling roles, not every member. Shares
made before get the default too: from now on their admins, privacy officers and API keys no
longer read the shared signal."""

import access.models
import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0007_encrypt_share_purpose'),
    ]

    operations = [
        migrations.AddField(
            model_name='share',
            name='api_keys',
            field=models.BooleanField(default=False, verbose_name="also the organisation's API keys"),
        ),
        migrations.AddField(
            model_name='share',
            name='roles',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('professional', 'Professional'), ('coordinator', 'Care coordinator'), ('organisation_admin', 'Organisation admin'), ('privacy_officer', 'Privacy officer (FG)'), ('analyst', 'Analyst')], max_length=32), default=access.models.case_handling_roles, size=5, verbose_name='roles it reaches'),
        ),
    ]
