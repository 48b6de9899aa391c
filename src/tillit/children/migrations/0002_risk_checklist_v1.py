"""The first version of the risk-assessment checklist. New versions are added as data."""

import datetime as dt

from django.db import migrations

QUESTIONS = [
    ("vald_mot_barnet", "Finns uppgifter om att barnet utsätts för våld?", "vald", True),
    ("bevittnat_vald", "Finns uppgifter om att barnet bevittnar våld i nära relation?",
     "bevittnat_vald", True),
    ("hedersrelaterat", "Finns tecken på hedersrelaterat våld eller förtryck?", "heder", True),
    ("sexuella_overgrepp", "Finns uppgifter om sexuella övergrepp mot barnet?", "vald", True),
    ("utovare_tillgang", "Har den som utövar våld tillgång till barnet?", "vald", True),
    ("hot", "Finns uppgifter om hot mot barnet eller någon i familjen?", "hot", True),
    ("missbruk", "Finns uppgifter om missbruk hos en vuxen i barnets hem?", "missbruk", False),
    ("psykisk_ohalsa", "Finns uppgifter om allvarlig psykisk ohälsa hos en vårdnadshavare?",
     "ovrigt", False),
    ("omedelbart_skydd", "Behöver barnet omedelbart skydd?", "skydd", False),
    ("barnets_egen_berattelse", "Har barnet självt berättat om sin situation?", "ovrigt", False),
]


def forwards(apps, schema_editor):
    checklist_model = apps.get_model("children", "RiskChecklist")
    question_model = apps.get_model("children", "RiskQuestion")
    checklist, _ = checklist_model.objects.get_or_create(
        version=1,
        defaults={"name": "Riskbedömning vid orosanmälan", "in_use_from": dt.date(2000, 1, 1)},
    )
    for order, (code, text, topic, violence) in enumerate(QUESTIONS, start=1):
        question_model.objects.update_or_create(
            checklist=checklist,
            code=code,
            defaults={"text": text, "topic": topic, "about_violence": violence, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("children", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
