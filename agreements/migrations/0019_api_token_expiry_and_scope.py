"""API tokens expire and have a scope (issue 16 item 6).

Tokens made before this had neither. So that no program stops without warning, each
keeps working for the default period from today (90 days, HR_POLICE_API_TOKEN_DAYS)
and keeps the read-write scope it had in effect; tokens made from now on are read-only
unless their maker asks for read-write.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def grandfather(apps, schema_editor):
    ApiToken = apps.get_model("agreements", "ApiToken")
    days = getattr(settings, "HR_POLICE_API_TOKEN_DAYS", 90)
    ApiToken.objects.update(
        expires_at=timezone.now() + timedelta(days=days), scope="read-write"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0018_hour_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "read-only"), ("read-write", "read and write")],
                default="read",
                help_text="Read-only unless the program must write through the API.",
                max_length=10,
                verbose_name="scope",
            ),
        ),
        migrations.RunPython(grandfather, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(editable=False, verbose_name="expires at"),
        ),
    ]
