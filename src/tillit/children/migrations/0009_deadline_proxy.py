# children.Deadline becomes a proxy of deadlines.DueItem (its rows were copied by 0008), and a
# reminder's deadline is the copied row (0010 drops the interim column).

import django.db.models.deletion
from django.db import migrations, models


def point_at_copies(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "children_notification")
        # The demo builds its empty schema from today's models and replays this: nothing to do.
        if "due_item_id" in {column.name for column in columns}:
            cursor.execute("UPDATE children_notification SET deadline_id = due_item_id")


class Migration(migrations.Migration):

    dependencies = [
        ('children', '0008_deadlines_to_due_items'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='notification', name='notification_once'),
        migrations.RemoveField(model_name='notification', name='deadline'),
        migrations.DeleteModel(name='Deadline'),
        migrations.CreateModel(
            name='Deadline',
            fields=[],
            options={
                'verbose_name': 'tidsgräns',
                'verbose_name_plural': 'tidsgränser',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('deadlines.dueitem',),
        ),
        migrations.AddField(
            model_name='notification',
            name='deadline',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='children.deadline', verbose_name='tidsgräns'),
        ),
        migrations.RunPython(point_at_copies, migrations.RunPython.noop, elidable=True),
    ]
