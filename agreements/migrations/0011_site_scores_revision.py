from django.db import migrations, models

import agreements.models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0010_hot_query_indexes"),
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
