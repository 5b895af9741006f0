"""Modifications are decided before they move money (issue 17): a status, who authorized a
transfer and when, the increases and reductions each requests. Modifications recorded before
were applied as they were recorded."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

import budgeting.models.money
from pmot.actors.roles import sync_role_groups


def earlier_ones_were_applied(apps, schema_editor):
    Modification = apps.get_model("budgeting", "Modification")
    Modification.objects.update(status="applied", decided_at=F("at"))


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0004_roles_for_imports"),
        ("committees", "0004_minutes_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalRequestedChange",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("increase", "Increase"), ("reduction", "Reduction")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=16, verbose_name="amount"),
                ),
                ("date", models.DateField(verbose_name="date")),
                (
                    "document",
                    models.TextField(
                        blank=True, max_length=200, verbose_name="supporting document"
                    ),
                ),
                (
                    "document_name",
                    models.CharField(blank=True, max_length=255, verbose_name="document's name"),
                ),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        help_text="Contract, invoice, policy…",
                        max_length=120,
                        verbose_name="reference",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical requested change",
                "verbose_name_plural": "historical requested changes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RequestedChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("increase", "Increase"), ("reduction", "Reduction")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=16, verbose_name="amount"),
                ),
                ("date", models.DateField(verbose_name="date")),
                (
                    "document",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        upload_to=budgeting.models.money._document_name,
                        verbose_name="supporting document",
                    ),
                ),
                (
                    "document_name",
                    models.CharField(blank=True, max_length=255, verbose_name="document's name"),
                ),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        help_text="Contract, invoice, policy…",
                        max_length=120,
                        verbose_name="reference",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded"
                    ),
                ),
            ],
            options={
                "verbose_name": "requested change",
                "verbose_name_plural": "requested changes",
                "ordering": ["modification", "pk"],
            },
        ),
        migrations.AddField(
            model_name="historicalmodification",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided"),
        ),
        migrations.AddField(
            model_name="historicalmodification",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="authorized by",
            ),
        ),
        migrations.AddField(
            model_name="historicalmodification",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("applied", "Applied"),
                    ("rejected", "Rejected by the Cabildo"),
                ],
                default="open",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="modification",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided"),
        ),
        migrations.AddField(
            model_name="modification",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="authorized by",
            ),
        ),
        migrations.AddField(
            model_name="modification",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("applied", "Applied"),
                    ("rejected", "Rejected by the Cabildo"),
                ],
                default="open",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmodification",
            name="agreement",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="committees.agreement",
                verbose_name="agreement of the Cabildo that decided it",
            ),
        ),
        migrations.AlterField(
            model_name="modification",
            name="agreement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="committees.agreement",
                verbose_name="agreement of the Cabildo that decided it",
            ),
        ),
        migrations.AddConstraint(
            model_name="modification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "rejected"), _negated=True),
                    ("agreement__isnull", False),
                    _connector="OR",
                ),
                name="modification_rejected_by_an_agreement",
            ),
        ),
        migrations.AddField(
            model_name="historicalrequestedchange",
            name="by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="historicalrequestedchange",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalrequestedchange",
            name="line",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="budgeting.budgetline",
                verbose_name="budget line",
            ),
        ),
        migrations.AddField(
            model_name="historicalrequestedchange",
            name="modification",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="budgeting.modification",
                verbose_name="modification",
            ),
        ),
        migrations.AddField(
            model_name="historicalrequestedchange",
            name="movement",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The movement it became when its modification was applied.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="budgeting.movement",
                verbose_name="movement",
            ),
        ),
        migrations.AddField(
            model_name="requestedchange",
            name="by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="requestedchange",
            name="line",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requested_changes",
                to="budgeting.budgetline",
                verbose_name="budget line",
            ),
        ),
        migrations.AddField(
            model_name="requestedchange",
            name="modification",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="changes",
                to="budgeting.modification",
                verbose_name="modification",
            ),
        ),
        migrations.AddField(
            model_name="requestedchange",
            name="movement",
            field=models.OneToOneField(
                blank=True,
                help_text="The movement it became when its modification was applied.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="request",
                to="budgeting.movement",
                verbose_name="movement",
            ),
        ),
        migrations.AddConstraint(
            model_name="requestedchange",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="requested_change_amount_positive"
            ),
        ),
        migrations.RunPython(earlier_ones_were_applied, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
