# Child and family's reminders move to the one reminder table (deadlines 0006), read state and
# e-mail state kept; a reminder's deadline row is already a DueItem (0008-0010), so its id is the
# item's id.

from django.db import migrations

BATCH = 2000


def move(apps, schema_editor):
    Notification = apps.get_model('children', 'Notification')
    Reminder = apps.get_model('deadlines', 'Reminder')
    batch = []
    for row in Notification.objects.order_by('pk').iterator(chunk_size=BATCH):
        batch.append(
            Reminder(
                item_id=row.deadline_id,
                recipient_id=row.recipient_id,
                kind=row.kind,
                due=row.due,
                created_at=row.created_at,
                read_at=row.read_at,
                email_pending=row.email_pending,
                emailed_at=row.emailed_at,
            )
        )
        if len(batch) >= BATCH:
            Reminder.objects.bulk_create(batch)
            batch = []
    Reminder.objects.bulk_create(batch)


def back(apps, schema_editor):
    Notification = apps.get_model('children', 'Notification')
    Reminder = apps.get_model('deadlines', 'Reminder')
    # The old model stamped created_at on insert; the moved rows keep their own.
    Notification._meta.get_field('created_at').auto_now_add = False
    kinds = ['skyddsbedomning', 'forhandsbedomning', 'utredning', 'uppfoljning']
    rows = Reminder.objects.filter(item__kind__in=kinds).order_by('pk')
    Notification.objects.bulk_create(
        [
            Notification(
                deadline_id=row.item_id,
                recipient_id=row.recipient_id,
                kind=row.kind,
                due=row.due,
                created_at=row.created_at,
                read_at=row.read_at,
                email_pending=row.email_pending,
                emailed_at=row.emailed_at,
            )
            for row in rows.iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
    )
    rows.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('children', '0010_notification_deadline_required'),
        ('deadlines', '0006_one_reminder_table'),
    ]

    operations = [
        migrations.RunPython(move, back),
        migrations.DeleteModel(name='Notification'),
    ]
