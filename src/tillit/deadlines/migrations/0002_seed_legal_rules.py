"""Seed the four child-and-family time limits (docs: ../shared/DOMAIN.md §2).

new_reference_checked is False for every rule: none of the new act's paragraphs has been
verified against the text of SFS 2025:400 and prop. 2024/25:89 with a recorded source (see
0003, which also corrects databases seeded when förhandsbedömning was marked checked without a
source). Idempotent: running it again updates the same four rows.
"""

from django.db import migrations

RULES = [
    {
        "code": "skyddsbedomning",
        "title": "Skyddsbedömning",
        "period": "Genast: samma dag, eller nästa dag när anmälan kommer sent på dagen",
        "old_reference": "SoL (2001:453) 11 kap. 1 a §",
        "new_reference": "SoL (2025:400) 20 kap.",
        "new_reference_checked": False,
        "source": "prop. 2012/13:10 s. 60",
    },
    {
        "code": "forhandsbedomning",
        "title": "Förhandsbedömning",
        "period": "14 dagar från mottagandet",
        "old_reference": "SoL (2001:453) 11 kap. 1 a §",
        "new_reference": "SoL (2025:400) 20 kap. 2 §",
        "new_reference_checked": False,
        "source": "prop. 2012/13:10",
    },
    {
        "code": "utredning",
        "title": "Utredning",
        "period": "Fyra månader från beslutet att inleda utredning; kan förlängas vid särskilda skäl",
        "old_reference": "SoL (2001:453) 11 kap. 2 §",
        "new_reference": "",
        "new_reference_checked": False,
        "source": "SoL (2001:453) 11 kap. 2 §; JO 2565-2016 och JO 2411-2017 om kringgående",
    },
    {
        "code": "uppfoljning",
        "title": "Uppföljning",
        "period": "Det planerade uppföljningsdatumet",
        "old_reference": "SoL (2001:453) 11 kap. 3 §",
        "new_reference": "",
        "new_reference_checked": False,
        "source": "Planerat datum i vård- eller genomförandeplanen",
    },
]


def seed(apps, schema_editor):
    LegalRule = apps.get_model("deadlines", "LegalRule")
    for rule in RULES:
        values = dict(rule)
        LegalRule.objects.update_or_create(code=values.pop("code"), defaults=values)


def unseed(apps, schema_editor):
    LegalRule = apps.get_model("deadlines", "LegalRule")
    LegalRule.objects.filter(code__in=[rule["code"] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
