"""Changes to members are recorded (audit), and a role an admin asks for themself waits for a
second admin."""


import django.contrib.postgres.fields
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_fallback_coordinator'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MembershipChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('member_email', models.EmailField(max_length=254, verbose_name='member')),
                ('kind', models.CharField(choices=[('added', 'Added'), ('roles', 'Roles changed'), ('removed', 'Removed'), ('requested', 'Asked for a role that needs a second admin'), ('approved', 'Role approved by a second admin'), ('declined', 'Role declined by a second admin')], max_length=16, verbose_name='change')),
                ('roles_before', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=32), blank=True, default=list, size=None)),
                ('roles_after', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=32), blank=True, default=list, size=None)),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='membership_changes', to='organisations.organisation')),
            ],
            options={
                'verbose_name': 'change to members',
                'verbose_name_plural': 'changes to members',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='RoleRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('professional', 'Professional'), ('coordinator', 'Care coordinator'), ('organisation_admin', 'Organisation admin'), ('privacy_officer', 'Privacy officer (FG)'), ('analyst', 'Analyst')], max_length=32)),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('approved', models.BooleanField(null=True)),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='organisations.membership')),
            ],
            options={
                'verbose_name': 'role request',
                'verbose_name_plural': 'role requests',
                'constraints': [models.UniqueConstraint(condition=models.Q(('decided_at__isnull', True)), fields=('membership', 'role'), name='one_open_request_per_role')],
            },
        ),
    ]
