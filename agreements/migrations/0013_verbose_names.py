"""Translatable model and field names, now passed as `verbose_name=` in the models.

They used to be assigned after the classes existed (`name_models(MODEL_NAMES)`), only to
keep them out of the migration state. Every operation here changes labels alone: Django
runs no SQL for them (`sqlmigrate agreements 0013`, forwards and `--backwards`, prints
only BEGIN; COMMIT; on SQLite and on PostgreSQL).
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import agreements.dates
import agreements.models
import privacy.pii


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0012_site_scores_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
            },
        ),
        migrations.AlterModelOptions(
            name="dailyattendance",
            options={
                "ordering": ["-date"],
                "verbose_name": "daily attendance",
                "verbose_name_plural": "daily attendance",
            },
        ),
        migrations.AlterModelOptions(
            name="engagementevent",
            options={
                "ordering": ["-date", "-id"],
                "verbose_name": "engagement event",
                "verbose_name_plural": "engagement events",
            },
        ),
        migrations.AlterModelOptions(
            name="interaction",
            options={
                "ordering": ["-occurred_at", "-id"],
                "verbose_name": "interaction",
                "verbose_name_plural": "interactions",
            },
        ),
        migrations.AlterModelOptions(
            name="interactionshare",
            options={
                "ordering": ["-shared_at"],
                "verbose_name": "interaction share",
                "verbose_name_plural": "interaction shares",
            },
        ),
        migrations.AlterModelOptions(
            name="membership",
            options={"verbose_name": "membership", "verbose_name_plural": "memberships"},
        ),
        migrations.AlterModelOptions(
            name="operatinghours",
            options={
                "ordering": ["weekday"],
                "verbose_name": "operating hours",
                "verbose_name_plural": "operating hours",
            },
        ),
        migrations.AlterModelOptions(
            name="protocol",
            options={
                "ordering": ["site", "-version"],
                "verbose_name": "protocol",
                "verbose_name_plural": "protocols",
            },
        ),
        migrations.AlterModelOptions(
            name="protocolclause",
            options={
                "ordering": ["position", "id"],
                "verbose_name": "protocol clause",
                "verbose_name_plural": "protocol clauses",
            },
        ),
        migrations.AlterModelOptions(
            name="protocollink",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "protocol link",
                "verbose_name_plural": "protocol links",
            },
        ),
        migrations.AlterModelOptions(
            name="reportjob",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "report job",
                "verbose_name_plural": "report jobs",
            },
        ),
        migrations.AlterModelOptions(
            name="rubricweights",
            options={
                "ordering": ["-changed_at", "-id"],
                "verbose_name": "rubric weights",
                "verbose_name_plural": "rubric weights",
            },
        ),
        migrations.AlterModelOptions(
            name="site",
            options={"ordering": ["name"], "verbose_name": "site", "verbose_name_plural": "sites"},
        ),
        migrations.AlterModelOptions(
            name="supportstatement",
            options={
                "ordering": ["-date", "-id"],
                "verbose_name": "support statement",
                "verbose_name_plural": "support statements",
            },
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last used at"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="name",
            field=models.CharField(
                help_text="What the token is for, e.g. 'R pipeline'.",
                max_length=80,
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(
                editable=False, help_text="To recognise it.", max_length=8, verbose_name="prefix"
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="api_tokens",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="dailyattendance",
            name="date",
            field=models.DateField(
                validators=[agreements.dates.plausible_date], verbose_name="date"
            ),
        ),
        migrations.AlterField(
            model_name="dailyattendance",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attendance",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="dailyattendance",
            name="visits",
            field=models.PositiveIntegerField(
                validators=[django.core.validators.MaxValueValidator(100000)], verbose_name="visits"
            ),
        ),
        migrations.AlterField(
            model_name="engagementevent",
            name="date",
            field=models.DateField(
                validators=[agreements.dates.plausible_date], verbose_name="date"
            ),
        ),
        migrations.AlterField(
            model_name="engagementevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("community_planning", "Community planning"),
                    ("dialogue", "Dialogue"),
                    ("exemption_briefing", "Exemption briefing"),
                    ("training", "Training"),
                ],
                max_length=24,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="engagementevent",
            name="police_ranks_present",
            field=models.CharField(
                blank=True,
                help_text="Ranks only, for example: Inspector, Sergeant.",
                max_length=200,
                validators=[privacy.pii.check_free_text],
                verbose_name="police ranks present",
            ),
        ),
        migrations.AlterField(
            model_name="engagementevent",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="engagements",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="engagementevent",
            name="summary",
            field=models.TextField(
                blank=True, validators=[privacy.pii.check_free_text], verbose_name="summary"
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="badge_numbers",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\s*[A-Za-z0-9-]{1,12}(\\s*,\\s*[A-Za-z0-9-]{1,12})*\\s*$",
                        "List police badge numbers separated by commas (letters, digits and hyphens).",
                    )
                ],
                verbose_name="badge numbers",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="category",
            field=models.CharField(
                choices=[
                    ("uninvited_entry", "Uninvited entry"),
                    ("exception_entry", "Entry under an agreed exception"),
                    ("vehicle_in_buffer", "Police vehicle in the buffer"),
                    ("stationed_in_buffer", "Officers stationed in the buffer"),
                    ("stop_or_search", "Stop, ID check or search"),
                    ("arrest_near_site", "Arrest for possession near the site"),
                    ("supplies_confiscated", "Harm-reduction supplies confiscated"),
                    ("plainclothes_presence", "Plain-clothes presence"),
                    ("dog_deployment", "Drug-detection dog"),
                    ("dispersal_order", "Move-along or dispersal order"),
                    ("unrequested_overdose_attendance", "Unrequested attendance at an overdose"),
                    ("information_request", "Request for client information"),
                    ("surveillance", "Surveillance"),
                    ("called_by_staff", "Called by staff"),
                    ("supply_enforcement", "Enforcement against trafficking"),
                    ("liaison_mediation", "Liaison mediation"),
                    ("referral_to_site", "Referral to the site"),
                    ("alert_shared", "Toxic-drug alert shared"),
                    ("other", "Other"),
                ],
                max_length=40,
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="clause_topic",
            field=models.CharField(
                blank=True,
                choices=[
                    ("entry_during_hours", "No entry during operating hours"),
                    ("proximity_buffer", "No stationing or parking inside the buffer"),
                    ("entry_exceptions", "When entry is allowed"),
                    ("notification", "Site told after any entry or enforcement near it"),
                    ("conflict_resolution", "How disputes are raised and mediated"),
                    ("plainclothes", "No plain-clothes or undercover presence"),
                    ("information_sharing", "No collection of client information"),
                    ("other", "Other"),
                ],
                help_text="The protocol clause this breached, if any.",
                max_length=24,
                verbose_name="clause topic",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="disclosed",
            field=models.BooleanField(
                blank=True,
                help_text="For requests for information: was anything disclosed?",
                null=True,
                verbose_name="disclosed",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="distance_band",
            field=models.CharField(
                choices=[
                    ("inside", "Inside the site"),
                    ("entrance", "At the entrance (within 10 m)"),
                    ("buffer", "Inside the agreed buffer"),
                    ("beyond", "Beyond the buffer"),
                ],
                max_length=12,
                verbose_name="distance band",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="impact",
            field=models.CharField(
                choices=[
                    ("none", "None"),
                    ("clients_left", "Clients left"),
                    ("service_paused", "Service paused"),
                    ("site_closed", "Site closed"),
                ],
                default="none",
                max_length=16,
                verbose_name="impact",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="legal_basis",
            field=models.CharField(
                blank=True,
                choices=[
                    ("none", "None"),
                    ("warrant", "Warrant"),
                    ("production_order", "Production order"),
                    ("other", "Other"),
                ],
                help_text="For requests for information only.",
                max_length=20,
                verbose_name="legal basis",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="liaison_contacted",
            field=models.BooleanField(default=False, verbose_name="liaison contacted"),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="logged_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="logged at"),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="logged_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="logged by",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="narrative",
            field=models.TextField(
                blank=True,
                help_text="What police did. Never describe or name clients.",
                validators=[privacy.pii.check_free_text],
                verbose_name="narrative",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="occurred_at",
            field=models.DateTimeField(
                help_text="Kept to the hour: minutes are dropped so that no visit can be matched.",
                validators=[agreements.dates.plausible_moment],
                verbose_name="occurred at",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="officers_present",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MaxValueValidator(200)],
                verbose_name="officers present",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="plain_clothes",
            field=models.BooleanField(default=False, verbose_name="plain clothes"),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="resolution",
            field=models.TextField(
                blank=True, validators=[privacy.pii.check_free_text], verbose_name="resolution"
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="interactions",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="site_notified",
            field=models.BooleanField(
                default=False,
                help_text="Police told the site afterwards.",
                verbose_name="site notified",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="staff_requested",
            field=models.BooleanField(
                default=False,
                help_text="Staff asked police to attend.",
                verbose_name="staff requested",
            ),
        ),
        migrations.AlterField(
            model_name="interaction",
            name="vehicle_present",
            field=models.BooleanField(default=False, verbose_name="vehicle present"),
        ),
        migrations.AlterField(
            model_name="interactionshare",
            name="interaction",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="share",
                to="agreements.interaction",
                verbose_name="interaction",
            ),
        ),
        migrations.AlterField(
            model_name="interactionshare",
            name="shared_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="shared at"),
        ),
        migrations.AlterField(
            model_name="interactionshare",
            name="shared_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="shared by",
            ),
        ),
        migrations.AlterField(
            model_name="interactionshare",
            name="summary",
            field=models.TextField(
                help_text="Written for police: what happened and what you ask of them. Never describe or name clients.",
                validators=[privacy.pii.check_free_text],
                verbose_name="summary",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "Administrator"),
                    ("manager", "Site manager"),
                    ("liaison", "Police liaison officer"),
                    ("researcher", "Researcher"),
                ],
                max_length=12,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="site",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="operatinghours",
            name="closes",
            field=models.TimeField(
                help_text="At or before the opening time means past midnight.",
                verbose_name="closes",
            ),
        ),
        migrations.AlterField(
            model_name="operatinghours",
            name="opens",
            field=models.TimeField(verbose_name="opens"),
        ),
        migrations.AlterField(
            model_name="operatinghours",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="hours",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="operatinghours",
            name="weekday",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "Monday"),
                    (1, "Tuesday"),
                    (2, "Wednesday"),
                    (3, "Thursday"),
                    (4, "Friday"),
                    (5, "Saturday"),
                    (6, "Sunday"),
                ],
                verbose_name="weekday",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="created_on",
            field=models.DateField(
                validators=[agreements.dates.plausible_date], verbose_name="created on"
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="effective_from",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="effective from",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="ended_on",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="ended on",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="review_by",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="review by",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="signatories",
            field=models.TextField(
                blank=True,
                help_text="Roles of those who signed, one per line (no personal details).",
                validators=[privacy.pii.check_free_text],
                verbose_name="signatories",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="signed_on",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="signed on",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="protocols",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("negotiating", "Negotiating"),
                    ("signed", "Signed"),
                    ("ended", "Ended"),
                ],
                default="draft",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="protocol",
            name="version",
            field=models.PositiveIntegerField(
                validators=[django.core.validators.MinValueValidator(1)], verbose_name="version"
            ),
        ),
        migrations.AlterField(
            model_name="protocolclause",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AlterField(
            model_name="protocolclause",
            name="protocol",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="clauses",
                to="agreements.protocol",
                verbose_name="protocol",
            ),
        ),
        migrations.AlterField(
            model_name="protocolclause",
            name="text",
            field=models.TextField(
                validators=[privacy.pii.check_free_text], verbose_name="text"
            ),
        ),
        migrations.AlterField(
            model_name="protocolclause",
            name="topic",
            field=models.CharField(
                choices=[
                    ("entry_during_hours", "No entry during operating hours"),
                    ("proximity_buffer", "No stationing or parking inside the buffer"),
                    ("entry_exceptions", "When entry is allowed"),
                    ("notification", "Site told after any entry or enforcement near it"),
                    ("conflict_resolution", "How disputes are raised and mediated"),
                    ("plainclothes", "No plain-clothes or undercover presence"),
                    ("information_sharing", "No collection of client information"),
                    ("other", "Other"),
                ],
                max_length=24,
                verbose_name="topic",
            ),
        ),
        migrations.AlterField(
            model_name="protocollink",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="protocollink",
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
            model_name="protocollink",
            name="label",
            field=models.CharField(
                help_text="Who the link is for, e.g. 'Division 52 front desk'.",
                max_length=80,
                validators=[privacy.pii.check_free_text],
                verbose_name="label",
            ),
        ),
        migrations.AlterField(
            model_name="protocollink",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AlterField(
            model_name="protocollink",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="protocol_links",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="as_of",
            field=models.DateField(
                validators=[agreements.dates.plausible_date], verbose_name="as of"
            ),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="file",
            field=models.FileField(
                blank=True,
                storage=agreements.models.private_storage,
                upload_to="reports/",
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="kind",
            field=models.CharField(default="network", max_length=20, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="message",
            field=models.CharField(blank=True, max_length=200, verbose_name="message"),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="progress",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="progress",
            ),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="report_jobs",
                to=settings.AUTH_USER_MODEL,
                verbose_name="requested by",
            ),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="site_ids",
            field=models.JSONField(
                default=list,
                help_text="The sites in scope when requested.",
                verbose_name="site ids",
            ),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to start"),
                    ("running", "Being made"),
                    ("done", "Ready"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="rubricweights",
            name="changed_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="changed at"),
        ),
        migrations.AlterField(
            model_name="rubricweights",
            name="changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="changed by",
            ),
        ),
        migrations.AlterField(
            model_name="rubricweights",
            name="dedicated_liaison",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MaxValueValidator(10)],
                verbose_name="dedicated liaison",
            ),
        ),
        migrations.AlterField(
            model_name="rubricweights",
            name="early_engagement",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MaxValueValidator(10)],
                verbose_name="early engagement",
            ),
        ),
        migrations.AlterField(
            model_name="rubricweights",
            name="entry_presence_agreement",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MaxValueValidator(10)],
                verbose_name="entry presence agreement",
            ),
        ),
        migrations.AlterField(
            model_name="rubricweights",
            name="regular_contact",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MaxValueValidator(10)],
                verbose_name="regular contact",
            ),
        ),
        migrations.AlterField(
            model_name="rubricweights",
            name="senior_support",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MaxValueValidator(10)],
                verbose_name="senior support",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="address",
            field=models.CharField(
                blank=True,
                help_text="The site's own public address.",
                max_length=200,
                verbose_name="address",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="buffer_metres",
            field=models.PositiveSmallIntegerField(
                default=100,
                help_text="The proximity buffer agreed with police, in metres.",
                validators=[
                    django.core.validators.MinValueValidator(10),
                    django.core.validators.MaxValueValidator(2000),
                ],
                verbose_name="buffer metres",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="city",
            field=models.CharField(max_length=80, verbose_name="city"),
        ),
        migrations.AlterField(
            model_name="site",
            name="country",
            field=models.CharField(
                default="CA",
                max_length=2,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z]{2}$", "Use a two-letter ISO country code, such as CA."
                    )
                ],
                verbose_name="country",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="name",
            field=models.CharField(max_length=120, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="site",
            name="opened_on",
            field=models.DateField(
                blank=True,
                help_text="Leave empty while the site is planned.",
                null=True,
                validators=[agreements.dates.plausible_date],
                verbose_name="opened on",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="organisation",
            field=models.CharField(blank=True, max_length=160, verbose_name="organisation"),
        ),
        migrations.AlterField(
            model_name="site",
            name="police_accounts",
            field=models.BooleanField(
                default=True,
                help_text="Police liaison officers may have accounts for this site.",
                verbose_name="police accounts",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="region",
            field=models.CharField(
                help_text="Province, state or region.", max_length=80, verbose_name="region"
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="research_consent",
            field=models.BooleanField(
                default=False,
                help_text="Researchers may see this site's scores and aggregates.",
                verbose_name="research consent",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="slug",
            field=models.SlugField(
                help_text="Short name used in links, bundles and the API.",
                max_length=60,
                unique=True,
                validators=[agreements.models.validate_slug_not_reserved],
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="status",
            field=models.CharField(
                choices=[("planned", "Planned"), ("open", "Open"), ("closed", "Closed")],
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="site",
            name="timezone",
            field=models.CharField(
                default="America/Toronto",
                max_length=64,
                validators=[agreements.models.validate_timezone],
                verbose_name="timezone",
            ),
        ),
        migrations.AlterField(
            model_name="supportstatement",
            name="date",
            field=models.DateField(
                validators=[agreements.dates.plausible_date], verbose_name="date"
            ),
        ),
        migrations.AlterField(
            model_name="supportstatement",
            name="kind",
            field=models.CharField(
                choices=[
                    ("public_statement", "Public statement"),
                    ("letter", "Letter"),
                    ("directive", "Directive"),
                    ("meeting", "Meeting"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="supportstatement",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="support_statements",
                to="agreements.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="supportstatement",
            name="source",
            field=models.URLField(
                blank=True, help_text="Link to the public record, if any.", verbose_name="source"
            ),
        ),
        migrations.AlterField(
            model_name="supportstatement",
            name="stance",
            field=models.CharField(
                choices=[
                    ("support", "Support"),
                    ("neutral", "Neutral"),
                    ("opposition", "Opposition"),
                ],
                max_length=12,
                verbose_name="stance",
            ),
        ),
        migrations.AlterField(
            model_name="supportstatement",
            name="summary",
            field=models.TextField(
                blank=True, validators=[privacy.pii.check_free_text], verbose_name="summary"
            ),
        ),
    ]
