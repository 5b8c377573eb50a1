# SPDX-License-Identifier: EUPL-1.2
"""The feed registry, its versions and the timetable of each version (hub.mobility.models)."""

import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Feed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=60, unique=True, verbose_name='Kennung')),
                ('name', models.CharField(max_length=200, verbose_name='Name')),
                ('source', models.CharField(max_length=500, verbose_name='Quelle')),
                ('licence', models.CharField(max_length=100, verbose_name='Lizenz')),
                ('attribution', models.TextField(verbose_name='Namensnennung')),
                ('refresh_hours', models.PositiveIntegerField(default=24, verbose_name='Aktualisierung (Stunden)')),
                ('etag', models.CharField(blank=True, editable=False, max_length=200)),
                ('last_modified', models.CharField(blank=True, editable=False, max_length=100)),
                ('checked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='Zuletzt geprüft')),
            ],
            options={
                'verbose_name': 'Fahrplan-Feed (GTFS)',
                'verbose_name_plural': 'Fahrplan-Feeds (GTFS)',
            },
        ),
        migrations.CreateModel(
            name='FeedVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64)),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='Importiert')),
                ('state', models.CharField(choices=[('live', 'aktiv'), ('replaced', 'ersetzt'), ('refused', 'abgelehnt')], max_length=10, verbose_name='Status')),
                ('notices', models.JSONField(blank=True, default=list, verbose_name='Hinweise des Validators')),
                ('first_day', models.DateField(blank=True, null=True, verbose_name='Erster Fahrtag')),
                ('last_day', models.DateField(blank=True, null=True, verbose_name='Letzter Fahrtag')),
                ('declared_end', models.DateField(blank=True, null=True, verbose_name='Gültig bis (feed_info)')),
                ('timezone', models.CharField(default='Europe/Berlin', max_length=60)),
                ('counts', models.JSONField(blank=True, default=dict)),
                ('end_warned_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('feed', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='mobility.feed')),
            ],
            options={
                'verbose_name': 'Fahrplanversion',
                'verbose_name_plural': 'Fahrplanversionen',
                'ordering': ['-imported_at'],
            },
        ),
        migrations.AddField(
            model_name='feed',
            name='live',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='mobility.feedversion', verbose_name='Aktive Version'),
        ),
        migrations.CreateModel(
            name='Route',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('route_id', models.CharField(max_length=100)),
                ('agency', models.CharField(blank=True, max_length=200)),
                ('short_name', models.CharField(blank=True, max_length=50)),
                ('long_name', models.CharField(blank=True, max_length=200)),
                ('route_type', models.PositiveIntegerField()),
                ('color', models.CharField(blank=True, max_length=6)),
                ('text_color', models.CharField(blank=True, max_length=6)),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='routes', to='mobility.feedversion')),
            ],
        ),
        migrations.CreateModel(
            name='Service',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service_id', models.CharField(max_length=100)),
                ('weekdays', models.PositiveSmallIntegerField()),
                ('start', models.DateField()),
                ('end', models.DateField()),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='services', to='mobility.feedversion')),
            ],
        ),
        migrations.CreateModel(
            name='ServiceDate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service_id', models.CharField(max_length=100)),
                ('date', models.DateField()),
                ('added', models.BooleanField()),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mobility.feedversion')),
            ],
        ),
        migrations.CreateModel(
            name='Stop',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stop_id', models.CharField(max_length=100)),
                ('name', models.CharField(max_length=200, verbose_name='Name')),
                ('point', django.contrib.gis.db.models.fields.PointField(srid=4326)),
                ('station', models.CharField(db_index=True, max_length=100)),
                ('platform', models.CharField(blank=True, max_length=50)),
                ('wheelchair', models.PositiveSmallIntegerField(default=0)),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stops', to='mobility.feedversion')),
            ],
        ),
        migrations.CreateModel(
            name='Transfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transfer_type', models.PositiveSmallIntegerField(default=0)),
                ('min_seconds', models.PositiveIntegerField(null=True)),
                ('from_stop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mobility.stop')),
                ('to_stop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mobility.stop')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mobility.feedversion')),
            ],
        ),
        migrations.CreateModel(
            name='Trip',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('trip_id', models.CharField(max_length=100)),
                ('service_id', models.CharField(max_length=100)),
                ('headsign', models.CharField(blank=True, max_length=200)),
                ('direction', models.SmallIntegerField(null=True)),
                ('shape_id', models.CharField(blank=True, max_length=100)),
                ('route', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='trips', to='mobility.route')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='trips', to='mobility.feedversion')),
            ],
        ),
        migrations.CreateModel(
            name='StopTime',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('sequence', models.PositiveIntegerField()),
                ('arrival', models.PositiveIntegerField()),
                ('departure', models.PositiveIntegerField()),
                ('pickup', models.PositiveSmallIntegerField(default=0)),
                ('drop_off', models.PositiveSmallIntegerField(default=0)),
                ('last', models.BooleanField(default=False)),
                ('stop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stop_times', to='mobility.stop')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mobility.feedversion')),
                ('trip', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stop_times', to='mobility.trip')),
            ],
        ),
        migrations.AddConstraint(
            model_name='route',
            constraint=models.UniqueConstraint(fields=('version', 'route_id'), name='mobility_route_once'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['version', 'service_id'], name='mobility_se_version_b3403c_idx'),
        ),
        migrations.AddIndex(
            model_name='servicedate',
            index=models.Index(fields=['version', 'service_id', 'date'], name='mobility_se_version_ff5b88_idx'),
        ),
        migrations.AddConstraint(
            model_name='stop',
            constraint=models.UniqueConstraint(fields=('version', 'stop_id'), name='mobility_stop_once'),
        ),
        migrations.AddIndex(
            model_name='trip',
            index=models.Index(fields=['version', 'service_id'], name='mobility_tr_version_5aa696_idx'),
        ),
        migrations.AddConstraint(
            model_name='trip',
            constraint=models.UniqueConstraint(fields=('version', 'trip_id'), name='mobility_trip_once'),
        ),
        migrations.AddIndex(
            model_name='stoptime',
            index=models.Index(fields=['stop', 'departure'], name='mobility_board'),
        ),
    ]
