# The network report moved to django-tasks (docs/decisions.md): the runner's heartbeat
# and attempt count go, and jobs left unfinished by the old runner are closed.

from django.db import migrations
from django.utils import timezone, translation
from django.utils.translation import gettext


def close_unfinished_jobs(apps, schema_editor):
    """A job queued or running under the old runner has no task to make it now: it is
    failed with the message the requester would have seen, in their language, rather
    than left "being made" for ever. They ask again from the same page."""
    ReportJob = apps.get_model("agreements", "ReportJob")
    for job in ReportJob.objects.filter(status__in=["queued", "running"]):
        with translation.override(job.language or "en-ca"):
            job.message = gettext("The report could not be made; try again.")
        job.status = "failed"
        job.progress = 100
        job.finished_at = timezone.now()
        job.save(update_fields=["message", "status", "progress", "finished_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0013_verbose_names'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='reportjob',
            name='attempts',
        ),
        migrations.RemoveField(
            model_name='reportjob',
            name='heartbeat_at',
        ),
        # After the schema change: on PostgreSQL an ALTER TABLE after row updates in the
        # same transaction can fail on the foreign key's pending trigger events.
        migrations.RunPython(close_unfinished_jobs, migrations.RunPython.noop),
    ]
