"""Translatable model and field names, now passed as `verbose_name=` in the models.

They used to be assigned after the classes existed (`liaisons/model_names.py`), only to
keep them out of the migration state. Every operation here changes labels alone: Django
runs no SQL for them (`sqlmigrate liaisons 0004`, forwards and `--backwards`, prints only
BEGIN; COMMIT; on SQLite and on PostgreSQL).
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import agreements.dates
import privacy.pii


class Migration(migrations.Migration):
    dependencies = [
        ("liaisons", "0003_confirmations_feeds_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="acknowledgement",
            options={
                "ordering": ["-acknowledged_at"],
                "verbose_name": "acknowledgement",
                "verbose_name_plural": "acknowledgements",
            },
        ),
        migrations.AlterModelOptions(
            name="attendanceconfirmation",
            options={
                "ordering": ["-confirmed_at"],
                "verbose_name": "attendance confirmation",
                "verbose_name_plural": "attendance confirmations",
            },
        ),
        migrations.AlterModelOptions(
            name="calendarfeed",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "calendar feed",
                "verbose_name_plural": "calendar feeds",
            },
        ),
        migrations.AlterModelOptions(
            name="checkin",
            options={
                "ordering": ["-scheduled_start"],
                "verbose_name": "check-in",
                "verbose_name_plural": "check-ins",
            },
        ),
        migrations.AlterModelOptions(
            name="checkinschedule",
            options={
                "ordering": ["-start", "key"],
                "verbose_name": "check-in schedule",
                "verbose_name_plural": "check-in schedules",
            },
        ),
        migrations.AlterModelOptions(
            name="liaisonassignment",
            options={
                "ordering": ["-start", "role"],
                "verbose_name": "liaison assignment",
                "verbose_name_plural": "liaison assignments",
            },
        ),
        migrations.AlterModelOptions(
            name="liaisonofficer",
            options={
                "ordering": ["name"],
                "verbose_name": "liaison officer",
                "verbose_name_plural": "liaison officers",
            },
        ),
        migrations.AlterModelOptions(
            name="policeservice",
            options={
                "ordering": ["name"],
                "verbose_name": "police service",
                "verbose_name_plural": "police services",
            },
        ),
        migrations.AlterModelOptions(
            name="remindersent",
            options={
                "ordering": ["-sent_at"],
                "verbose_name": "reminder sent",
                "verbose_name_plural": "reminders sent",
            },
        ),
        migrations.AlterField(
            model_name="acknowledgement",
            name="acknowledged_at",
            field=models.DateTimeField(
                validators=[agreements.dates.plausible_moment], verbose_name="acknowledged at"
            ),
        ),
        migrations.AlterField(
            model_name="acknowledgement",
            name="officer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="acknowledgements",
                to="liaisons.liaisonofficer",
                verbose_name="officer",
            ),
        ),
        migrations.AlterField(
            model_name="acknowledgement",
            name="protocol",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="acknowledgements",
                to="agreements.protocol",
                verbose_name="protocol",
            ),
        ),
        migrations.AlterField(
            model_name="attendanceconfirmation",
            name="checkin",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="confirmations",
                to="liaisons.checkin",
                verbose_name="check-in",
            ),
        ),
        migrations.AlterField(
            model_name="attendanceconfirmation",
            name="confirmed_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="confirmed at"),
        ),
        migrations.AlterField(
            model_name="attendanceconfirmation",
            name="officer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="confirmations",
                to="liaisons.liaisonofficer",
                verbose_name="officer",
            ),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="label",
            field=models.CharField(
                max_length=80, validators=[privacy.pii.check_free_text], verbose_name="label"
            ),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="officer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_feeds",
                to="liaisons.liaisonofficer",
                verbose_name="officer",
            ),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="site",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_feeds",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="format",
            field=models.CharField(
                choices=[("meeting", "Meeting"), ("tour", "Tour"), ("visit", "Visit")],
                max_length=8,
                verbose_name="format",
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="notes",
            field=models.TextField(
                blank=True,
                help_text="About the relationship; never about clients.",
                validators=[privacy.pii.check_free_text],
                verbose_name="notes",
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="schedule",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for an ad hoc check-in.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="checkins",
                to="liaisons.checkinschedule",
                verbose_name="schedule",
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="scheduled_start",
            field=models.DateTimeField(
                validators=[agreements.dates.plausible_moment], verbose_name="scheduled start"
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="checkins",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="status",
            field=models.CharField(
                choices=[
                    ("scheduled", "Scheduled"),
                    ("held", "Held"),
                    ("missed", "Missed"),
                    ("cancelled", "Cancelled"),
                ],
                default="scheduled",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="checkinschedule",
            name="end",
            field=models.DateField(
                blank=True,
                help_text="Leave empty while ongoing.",
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="end",
            ),
        ),
        migrations.AlterField(
            model_name="checkinschedule",
            name="expected_officers",
            field=models.ManyToManyField(
                blank=True,
                related_name="schedules",
                to="liaisons.liaisonofficer",
                verbose_name="expected officers",
            ),
        ),
        migrations.AlterField(
            model_name="checkinschedule",
            name="format",
            field=models.CharField(
                choices=[("meeting", "Meeting"), ("tour", "Tour"), ("visit", "Visit")],
                max_length=8,
                verbose_name="format",
            ),
        ),
        migrations.AlterField(
            model_name="checkinschedule",
            name="location",
            field=models.CharField(
                blank=True,
                max_length=160,
                validators=[privacy.pii.check_free_text],
                verbose_name="location",
            ),
        ),
        migrations.AlterField(
            model_name="checkinschedule",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="schedules",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="checkinschedule",
            name="start",
            field=models.DateField(
                validators=[agreements.dates.plausible_date], verbose_name="start"
            ),
        ),
        migrations.AlterField(
            model_name="checkinschedule",
            name="start_time",
            field=models.TimeField(help_text="Local time at the site.", verbose_name="start time"),
        ),
        migrations.AlterField(
            model_name="liaisonassignment",
            name="end",
            field=models.DateField(
                blank=True,
                help_text="Leave empty while ongoing.",
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="end",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonassignment",
            name="officer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assignments",
                to="liaisons.liaisonofficer",
                verbose_name="officer",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonassignment",
            name="role",
            field=models.CharField(
                choices=[("primary", "Primary"), ("backup", "Backup")],
                max_length=8,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonassignment",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assignments",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonassignment",
            name="start",
            field=models.DateField(
                validators=[agreements.dates.plausible_date], verbose_name="start"
            ),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="badge_number",
            field=models.CharField(
                max_length=12,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Za-z0-9-]{1,12}$",
                        "A badge number has 1–12 letters, digits or hyphens.",
                    )
                ],
                verbose_name="badge number",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="contact_verified_on",
            field=models.DateField(
                blank=True,
                help_text="The last day someone confirmed these details work.",
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="contact verified on",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="email",
            field=models.EmailField(
                blank=True, help_text="Work e-mail.", max_length=254, verbose_name="email"
            ),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="name",
            field=models.CharField(max_length=120, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="phone",
            field=models.CharField(
                blank=True,
                help_text="Work phone.",
                max_length=30,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9+()\\-. x]{0,30}$",
                        "Enter a work phone number using digits, spaces, + ( ) - . or x.",
                    )
                ],
                verbose_name="phone",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="rank",
            field=models.CharField(blank=True, max_length=60, verbose_name="rank"),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="registered_for",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="agreements.site",
                verbose_name="registered for",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="service",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="officers",
                to="liaisons.policeservice",
                verbose_name="service",
            ),
        ),
        migrations.AlterField(
            model_name="liaisonofficer",
            name="user",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="liaison_officer",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="policeservice",
            name="jurisdiction",
            field=models.CharField(blank=True, max_length=160, verbose_name="jurisdiction"),
        ),
        migrations.AlterField(
            model_name="policeservice",
            name="name",
            field=models.CharField(max_length=160, unique=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="checkin",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="liaisons.checkin",
                verbose_name="check-in",
            ),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="kind",
            field=models.CharField(
                choices=[("upcoming", "Upcoming check-in"), ("outcome", "Outcome awaiting entry")],
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="recipient",
            field=models.EmailField(max_length=254, verbose_name="recipient"),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="sent_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="sent at"),
        ),
    ]
