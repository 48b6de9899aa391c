# The columns child and family's rules need, so that its deadlines are DueItem rows too
# (children 0008 moves them here).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deadlines', '0004_due_items'),
        ('individuals', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='dueitem',
            name='individual',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='individuals.individual'),
        ),
        migrations.AddField(
            model_name='dueitem',
            name='nominal_due',
            field=models.DateField(null=True, verbose_name='tidsgräns enligt regeln'),
        ),
        migrations.AddField(
            model_name='dueitem',
            name='effective_due',
            field=models.DateField(null=True, verbose_name='lagstadgad tidsgräns'),
        ),
        migrations.AddField(
            model_name='dueitem',
            name='extended',
            field=models.BooleanField(default=False, verbose_name='förlängd'),
        ),
        # A step without a rule of its own: the rule's date, the legal date and the date in
        # force are one.
        migrations.RunSQL(
            "UPDATE deadlines_dueitem SET nominal_due = due, effective_due = due",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='dueitem',
            name='nominal_due',
            field=models.DateField(verbose_name='tidsgräns enligt regeln'),
        ),
        migrations.AlterField(
            model_name='dueitem',
            name='effective_due',
            field=models.DateField(verbose_name='lagstadgad tidsgräns'),
        ),
        migrations.AddIndex(
            model_name='dueitem',
            index=models.Index(condition=models.Q(('completed_on__isnull', True)), fields=['group', 'due'], name='dueitem_open_by_group'),
        ),
        migrations.AddIndex(
            model_name='dueitem',
            index=models.Index(condition=models.Q(('completed_on__isnull', True), ('completed_on__gt', models.F('due')), _connector='OR'), fields=['group', 'due'], name='dueitem_late_by_group'),
        ),
        migrations.AddIndex(
            model_name='dueitem',
            index=models.Index(fields=['kind', 'started_on'], name='dueitem_kind_started'),
        ),
        migrations.AddIndex(
            model_name='dueitem',
            index=models.Index(fields=['kind', 'completed_on'], name='dueitem_kind_completed'),
        ),
        migrations.AddConstraint(
            model_name='dueitem',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ('skyddsbedomning', 'forhandsbedomning', 'utredning', 'uppfoljning'))), fields=('content_type', 'object_id', 'kind'), name='dueitem_one_rule_step_per_subject'),
        ),
        migrations.AddConstraint(
            model_name='dueitem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ('skyddsbedomning', 'forhandsbedomning', 'utredning', 'uppfoljning')), _negated=True), models.Q(('individual__isnull', False), ('unit__isnull', False)), _connector='OR'), name='dueitem_rule_step_unit_and_person'),
        ),
    ]
