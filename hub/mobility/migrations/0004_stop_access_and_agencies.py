# SPDX-License-Identifier: EUPL-1.2
"""agency.txt kept per version (the merged feed needs its URLs), and the accessibility of
stops as staff curate it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mobility', '0003_shapes_and_line_network'),
        ('tenancy', '0002_row_level_security'),
    ]

    operations = [
        migrations.AddField(
            model_name='feedversion',
            name='agencies',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.CreateModel(
            name='StopAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stop_id', models.CharField(max_length=100, unique=True, verbose_name='Haltestelle (DHID)')),
                ('wheelchair', models.PositiveSmallIntegerField(choices=[(0, 'unbekannt'), (1, 'stufenlos erreichbar'), (2, 'nicht stufenlos erreichbar')], default=0, verbose_name='Rollstuhl')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='Hinweis')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='Geändert')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.tenant', verbose_name='Erfasst von')),
            ],
            options={
                'verbose_name': 'Barrierefreiheit einer Haltestelle',
                'verbose_name_plural': 'Barrierefreiheit der Haltestellen',
            },
        ),
    ]
