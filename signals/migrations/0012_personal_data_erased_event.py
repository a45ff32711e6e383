from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0011_merge_split'),
    ]

    operations = [
        migrations.AlterField(
            model_name='signalevent',
            name='kind',
            field=models.CharField(choices=[('received', 'Received'), ('triaged', 'Triaged'), ('rerouted', 'Re-routed to another region'), ('overdue', 'Deadline passed'), ('triage_failed', 'Triage failed'), ('placement', 'Shelter placement'), ('status_changed', 'Status changed'), ('assigned', 'Assigned'), ('shared', 'Shared with an organisation'), ('reflection_period', 'Reflection period offered'), ('personal_data_erased', 'Personal data erased on request'), ('merged', 'Merged (duplicate)'), ('split', 'Split (no longer a duplicate)')], max_length=32),
        ),
    ]
