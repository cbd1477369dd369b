"""A thread for every interaction shared before threads existed: the thread page and
the API reach a thread by its own id, which must exist once an interaction is shared."""

from typing import Any

from django.db import migrations


def open_threads(apps: Any, schema_editor: Any) -> None:
    share_model = apps.get_model("agreements", "InteractionShare")
    thread_model = apps.get_model("mediation", "SharedThread")
    have = set(thread_model.objects.values_list("interaction_id", flat=True))
    shares = share_model.objects.select_related("interaction__site").order_by("id")
    thread_model.objects.bulk_create(
        thread_model(interaction=share.interaction, opened_at=share.shared_at)
        for share in shares
        if share.interaction_id not in have
    )


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial")]

    operations = [migrations.RunPython(open_threads, migrations.RunPython.noop)]
