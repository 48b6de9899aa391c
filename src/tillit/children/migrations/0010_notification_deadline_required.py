# After 0009 filled it: every reminder has its deadline row; the interim column goes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('children', '0009_deadline_proxy'),
    ]

    operations = [
        migrations.RemoveField(model_name='notification', name='due_item'),
        migrations.AlterField(
            model_name='notification',
            name='deadline',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='children.deadline', verbose_name='tidsgräns'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(fields=('deadline', 'recipient', 'kind', 'due'), name='notification_once'),
        ),
    ]
