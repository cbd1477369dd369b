from django.db import migrations, models

import agreements.models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0011_report_job_runner"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="scores_revision",
            field=models.PositiveBigIntegerField(
                db_default=0, default=agreements.models.first_scores_revision, editable=False
            ),
        ),
    ]
