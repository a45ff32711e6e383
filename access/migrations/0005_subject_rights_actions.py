from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0004_merge_split'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslogentry',
            name='action',
            field=models.CharField(choices=[('view', 'Viewed details'), ('download', 'Downloaded an attachment'), ('export', 'Exported'), ('share', 'Shared'), ('transfer', 'Transferred'), ('status', 'Changed status'), ('anonymise', 'Personal data removed (retention)'), ('subject_search', 'Searched for a data subject'), ('erase', 'Personal data erased (data-subject request)'), ('merge', 'Merged a duplicate'), ('split', 'Split a duplicate off')], max_length=16),
        ),
    ]
