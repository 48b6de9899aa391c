"""The Lex Sarah rules as legal-rule rows, with their sources (docs: ../shared/DOMAIN.md §3, §5).

The old act's chapter 14 holds Lex Sarah (14 kap. 3 §: staff report; 6 §: the provider
investigates and remedies; 7 §: a serious wrong is reported to IVO). The new act's paragraphs
are left empty and unverified, as for every rule whose new paragraph has not been checked
against SFS 2025:400 and prop. 2024/25:89. Idempotent.
"""

from django.db import migrations

RULES = [
    {
        "code": "lex-sarah-rapport",
        "title": "Lex Sarah: rapportera missförhållande",
        "period": "Genast",
        "old_reference": "SoL (2001:453) 14 kap. 3 §",
        "new_reference": "",
        "new_reference_checked": False,
        "source": "SOSFS 2011:5 (lex Sarah); prop. 2009/10:131",
    },
    {
        "code": "lex-sarah-utreda",
        "title": "Lex Sarah: utreda, dokumentera och avhjälpa",
        "period": "Utan dröjsmål; kommunens rutin anger dagar",
        "old_reference": "SoL (2001:453) 14 kap. 6 §",
        "new_reference": "",
        "new_reference_checked": False,
        "source": "SOSFS 2011:5 7 kap. (utredning: vad som hänt, konsekvenser, orsaker, åtgärder, den enskildes synpunkter)",
    },
    {
        "code": "lex-sarah-ivo",
        "title": "Lex Sarah: anmäla allvarligt missförhållande till IVO",
        "period": "Utan dröjsmål",
        "old_reference": "SoL (2001:453) 14 kap. 7 §",
        "new_reference": "",
        "new_reference_checked": False,
        "source": "SOSFS 2011:5 8 kap. (anmälan med utredningen)",
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
    dependencies = [("incidents", "0001_initial"), ("deadlines", "0003_on_call_office_days_reference_sources")]

    operations = [migrations.RunPython(seed, unseed)]
