"""Physical progress is validated before it counts (issue 19, "four eyes"): each report
names the organization that reports it for its share, and carries a status, its reviewer and
the observations it was returned with. Reports made before were never validated: they are
their responsible organization's, awaiting IMPLAN's validation. IMPLAN's planners may validate
them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pmot.actors.roles import sync_role_groups


def responsible_reported(apps, schema_editor):
    ProgressReport = apps.get_model("budgeting", "ProgressReport")
    for report in ProgressReport.objects.select_related("action").iterator():
        report.organization_id = report.action.responsible_id
        report.save(update_fields=["organization"])


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0007_two_factor_permissions"),
        ("budgeting", "0007_four_eyes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="progressreport",
            options={
                "ordering": ["action", "period", "organization", "at", "pk"],
                "permissions": [
                    ("validate_progressreport", "Can validate or return progress reports")
                ],
                "verbose_name": "progress report",
                "verbose_name_plural": "progress reports",
            },
        ),
        migrations.RemoveConstraint(
            model_name="progressreport",
            name="progress_once_per_period",
        ),
        migrations.AddField(
            model_name="historicalprogressreport",
            name="observations",
            field=models.TextField(blank=True, verbose_name="observations"),
        ),
        migrations.AddField(
            model_name="historicalprogressreport",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="actors.organization",
                verbose_name="reporting organization",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogressreport",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
        ),
        migrations.AddField(
            model_name="historicalprogressreport",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogressreport",
            name="status",
            field=models.CharField(
                choices=[
                    ("reported", "Awaiting validation"),
                    ("validated", "Validated"),
                    ("returned", "Returned with observations"),
                    ("replaced", "Replaced by a validated correction"),
                ],
                default="reported",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="observations",
            field=models.TextField(blank=True, verbose_name="observations"),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="actors.organization",
                verbose_name="reporting organization",
            ),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="status",
            field=models.CharField(
                choices=[
                    ("reported", "Awaiting validation"),
                    ("validated", "Validated"),
                    ("returned", "Returned with observations"),
                    ("replaced", "Replaced by a validated correction"),
                ],
                default="reported",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(responsible_reported, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="progressreport",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="actors.organization",
                verbose_name="reporting organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "validated")),
                fields=("action", "period", "organization"),
                name="progress_validated_once_per_period_and_organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["reported", "returned"])),
                fields=("action", "period", "organization"),
                name="progress_pending_once_per_period_and_organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "reported"),
                    models.Q(("reviewed_at__isnull", False), ("reviewed_by__isnull", False)),
                    _connector="OR",
                ),
                name="progress_review_has_reviewer",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reviewed_by__isnull", True),
                    models.Q(("reviewed_by", models.F("by")), _negated=True),
                    _connector="OR",
                ),
                name="progress_reviewer_is_not_the_reporter",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "returned"), _negated=True),
                    models.Q(("observations", ""), _negated=True),
                    _connector="OR",
                ),
                name="progress_returned_with_observations",
            ),
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
