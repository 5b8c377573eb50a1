# SPDX-License-Identifier: EUPL-1.2
"""German names of the sensor models and the dead letters' fields in the admin (no SQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0006_partition_row_level_security"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="datastream",
            options={"verbose_name": "Datenstrom", "verbose_name_plural": "Datenströme"},
        ),
        migrations.AlterModelOptions(
            name="deadletter",
            options={
                "verbose_name": "Nicht zugeordnete Nachricht",
                "verbose_name_plural": "Nicht zugeordnete Nachrichten",
            },
        ),
        migrations.AlterModelOptions(
            name="featureofinterest",
            options={
                "verbose_name": "Beobachtungsgegenstand",
                "verbose_name_plural": "Beobachtungsgegenstände",
            },
        ),
        migrations.AlterModelOptions(
            name="historicallocation",
            options={"verbose_name": "Standortverlauf", "verbose_name_plural": "Standortverläufe"},
        ),
        migrations.AlterModelOptions(
            name="latest",
            options={"verbose_name": "Letzter Wert", "verbose_name_plural": "Letzte Werte"},
        ),
        migrations.AlterModelOptions(
            name="location",
            options={"verbose_name": "Standort", "verbose_name_plural": "Standorte"},
        ),
        migrations.AlterModelOptions(
            name="observation",
            options={"verbose_name": "Beobachtung", "verbose_name_plural": "Beobachtungen"},
        ),
        migrations.AlterModelOptions(
            name="observedproperty",
            options={"verbose_name": "Messgröße", "verbose_name_plural": "Messgrößen"},
        ),
        migrations.AlterModelOptions(
            name="sensor",
            options={"verbose_name": "Sensor", "verbose_name_plural": "Sensoren"},
        ),
        migrations.AlterModelOptions(
            name="sensornetwork",
            options={"verbose_name": "Sensornetz", "verbose_name_plural": "Sensornetze"},
        ),
        migrations.AlterField(
            model_name="deadletter",
            name="channel",
            field=models.TextField(verbose_name="Kanal"),
        ),
        migrations.AlterField(
            model_name="deadletter",
            name="payload",
            field=models.BinaryField(verbose_name="Inhalt"),
        ),
        migrations.AlterField(
            model_name="deadletter",
            name="reason",
            field=models.TextField(verbose_name="Grund"),
        ),
        migrations.AlterField(
            model_name="deadletter",
            name="received_at",
            field=models.DateTimeField(verbose_name="Empfangen"),
        ),
        migrations.AlterField(
            model_name="deadletter",
            name="size",
            field=models.IntegerField(verbose_name="Größe (Bytes)"),
        ),
        migrations.AlterField(
            model_name="deadletter",
            name="topic",
            field=models.TextField(default="", verbose_name="Topic oder Adresse"),
        ),
        migrations.AlterField(
            model_name="sensornetwork",
            name="webhook_secret_sha256",
            field=models.CharField(max_length=64, verbose_name="Webhook-Geheimnis (SHA-256)"),
        ),
    ]
