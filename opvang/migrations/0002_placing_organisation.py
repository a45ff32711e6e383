"""Who decides on a placement request: until now always the offer's provider, which the
existing requests keep; from now on CoMensha for a COSM place. Frozen helper: historical models."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def provider_decides(apps, schema_editor):
    PlacementRequest = apps.get_model("opvang", "PlacementRequest")
    Offer = apps.get_model("opvang", "Offer")
    PlacementRequest.objects.filter(placing_organisation__isnull=True).update(
        placing_organisation=Subquery(
            Offer.objects.filter(pk=OuterRef("offer_id")).values("provider_id")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('opvang', '0001_initial'),
        ('organisations', '0004_chain_kinds'),
    ]

    operations = [
        migrations.AddField(
            model_name='placementrequest',
            name='placing_organisation',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='placement_requests_to_decide', to='organisations.organisation', verbose_name='decided by'),
        ),
        migrations.RunPython(provider_decides, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='placementrequest',
            name='placing_organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='placement_requests_to_decide', to='organisations.organisation', verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='offer',
            name='provider',
            field=models.ForeignKey(limit_choices_to={'kind__in': ['shelter', 'health_care', 'youth_care', 'ckm']}, on_delete=django.db.models.deletion.PROTECT, related_name='offers', to='organisations.organisation', verbose_name='provider'),
        ),
    ]
