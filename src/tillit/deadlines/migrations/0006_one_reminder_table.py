# One table of reminders for every kind of step (children 0011 moves child and family's in): the
# generic reminders' table renamed, with the read state and the indexes the reminders page needs.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def old_reminders_read(apps, schema_editor):
    # The generic reminders were e-mailed but never shown in the app: those about steps since
    # completed would all turn up as new on the page; they count as read when they were made.
    Reminder = apps.get_model('deadlines', 'Reminder')
    Reminder.objects.filter(item__completed_on__isnull=False).update(read_at=F('created_at'))


class Migration(migrations.Migration):

    dependencies = [
        ('deadlines', '0005_due_items_serve_child_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='duereminder', name='duereminder_once'),
        migrations.RenameModel(old_name='DueReminder', new_name='Reminder'),
        migrations.AlterModelOptions(
            name='reminder',
            options={'ordering': ['-created_at', '-pk'], 'verbose_name': 'påminnelse', 'verbose_name_plural': 'påminnelser'},
        ),
        migrations.AddField(
            model_name='reminder',
            name='read_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='läst'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='deadlines.dueitem', verbose_name='tidsgräns'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='mottagare'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='kind',
            field=models.CharField(choices=[('fore', 'Tidsgränsen närmar sig'), ('idag', 'Tidsgränsen är i dag'), ('missad', 'Tidsgränsen har passerats')], max_length=10, verbose_name='slag'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='skapad'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='email_pending',
            field=models.BooleanField(default=False, verbose_name='e-post ej skickad'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='emailed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='e-post skickad'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(fields=('item', 'recipient', 'kind', 'due'), name='reminder_once'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient', 'created_at'], name='reminder_unread'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('email_pending', True)), fields=['id'], name='reminder_email_pending'),
        ),
        migrations.RunPython(old_reminders_read, migrations.RunPython.noop),
    ]
