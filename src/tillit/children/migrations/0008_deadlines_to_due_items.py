# Child and family's deadlines become generic deadline rows (deadlines.DueItem): every
# children_deadline row is copied there, about its subject (track, investigation or follow-up)
# by content type and id, and each reminder is pointed at the copy of its row. 0009 then drops
# the old table and makes children.Deadline a proxy of DueItem.

import django.db.models.deletion
from django.db import migrations, models

# (old column, subject model) in the order of the old check constraint.
SUBJECTS = (("track_id", "reportedchild"), ("investigation_id", "investigation"), ("follow_up_id", "followup"))


def copy_rows(apps, schema_editor):
    connection = schema_editor.connection
    # The demo builds its empty schema from today's models and replays this: nothing to copy.
    if "children_deadline" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM children_deadline LIMIT 1")
        if cursor.fetchone() is None:
            return
        content_type = apps.get_model("contenttypes", "ContentType")
        types = {
            column: content_type.objects.get_or_create(app_label="children", model=model)[0].pk
            for column, model in SUBJECTS
        }
        for column, type_id in types.items():
            cursor.execute(
                "INSERT INTO deadlines_dueitem (kind, content_type_id, object_id, title, unit_id,"
                " group_id, holder_id, individual_id, started_on, nominal_due, effective_due, due,"
                " extended, completed_on, late_reason)"
                f" SELECT kind, %s, {column}, '', unit_id, group_id, holder_id, individual_id,"
                " started_on, nominal_due, effective_due, due, extended, completed_on, late_reason"
                f" FROM children_deadline WHERE {column} IS NOT NULL ORDER BY id",
                [type_id],
            )
        subject_type = " ".join(
            f"WHEN d.{column} IS NOT NULL THEN {int(type_id)}" for column, type_id in types.items()
        )
        cursor.execute(
            "UPDATE children_notification SET due_item_id = ("
            " SELECT i.id FROM children_deadline d JOIN deadlines_dueitem i"
            f" ON i.content_type_id = CASE {subject_type} END"
            " AND i.object_id = COALESCE(d.track_id, d.investigation_id, d.follow_up_id)"
            " AND i.kind = d.kind"
            " WHERE d.id = children_notification.deadline_id)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('children', '0007_follow_up_done_by'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('deadlines', '0005_due_items_serve_child_rules'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='due_item',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='deadlines.dueitem'),
        ),
        migrations.RunPython(copy_rows, migrations.RunPython.noop, elidable=True),
    ]
