# SPDX-License-Identifier: EUPL-1.2
"""Row-level security on the tenant-owned tables, and the regional category catalogue."""

from django.db import migrations

from hub.tenancy import rls

REGIONAL = [
    ("strassenbeleuchtung", "Straßenbeleuchtung", "Street lighting"),
    ("schaeden-oeffentlicher-raum", "Schäden im öffentlichen Raum", "Damage in public space"),
    ("illegale-muellablagerung", "Illegale Müllablagerung", "Illegal dumping"),
    ("gruenflaechen-baeume", "Grünflächen und Bäume", "Green spaces and trees"),
    ("fundsache", "Fundsache", "Lost property"),
    ("sonstiges", "Sonstiges", "Other"),
]


def catalogue(apps, schema_editor):
    regional = apps.get_model("participation", "RegionalCategory")
    for code, name, name_en in REGIONAL:
        regional.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial"), ("tenancy", "0002_row_level_security")]

    operations = [
        rls.enable("participation_category"),
        rls.enable("participation_report"),
        rls.enable("participation_reportevent"),
        migrations.RunPython(catalogue, migrations.RunPython.noop),
    ]
