"""List, create, edit and delete pages for every record kind in `workspace.records`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from agreements import audit, services
from agreements.access import Permission, SiteAccess
from agreements.audit import Action
from agreements.conflicts import (
    EditGuard,
    Extra,
    Refused,
    Watch,
    carry_over,
    form_labels,
    form_watch,
)
from agreements.views.base import apply_errors, site_context, site_view
from workspace.records import KINDS, RecordKind


@dataclass(frozen=True)
class Cell:
    value: Any
    on_phones: bool


def _kind(name: str) -> RecordKind:
    return KINDS[name]


def _get_object(kind: RecordKind, access: SiteAccess, pk: int) -> Any:
    # Objects are looked up inside the site's own queryset: another site's record is a 404.
    obj = kind.queryset(access.site).filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {kind.noun}.")
    return obj


def _detail_url(kind: RecordKind, access: SiteAccess, obj: Any) -> str:
    if kind.slug == "protocols":
        return kind.url("detail", access.site, obj.pk)
    return kind.url("edit", access.site, obj.pk)


@site_view(Permission.MANAGE)
def record_list(request: HttpRequest, access: SiteAccess, *, kind: str) -> HttpResponse:
    spec = _kind(kind)
    filterset = spec.filterset(request.GET or None, queryset=spec.queryset(access.site))
    paginator = Paginator(filterset.qs, settings.HR_POLICE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        (_detail_url(spec, access, obj), [Cell(c.value(obj), c.on_phones) for c in spec.columns])
        for obj in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    # A sort alone shows every record: only a filter with a value makes the list "filtered".
    filtered = any(value for key, value in query.items() if key != "sort")
    return render(
        request,
        "agreements/records/list.html",
        site_context(
            access,
            kind=spec,
            filterset=filterset,
            page=page,
            rows=rows,
            query=query.urlencode(),
            filtered=filtered,
            create_url=spec.url("create", access.site),
        ),
    )


# Values an edit page shows that are not columns of the record itself.
_EXTRAS: dict[str, dict[str, Extra]] = {
    "officers": {
        "service": Extra(gettext_lazy("Police service"), lambda officer: officer.service.name)
    },
}


def record_watch(spec: RecordKind) -> Watch:
    """What a record's edit page shows, for the check against concurrent edits."""
    return form_watch(spec.form_class, extras=_EXTRAS.get(spec.slug))


def record_guard(
    spec: RecordKind,
    request: HttpRequest,
    access: SiteAccess,
    obj: Any,
    *,
    shown: tuple[str, ...] | None = None,
) -> EditGuard:
    """The check of a record's page; `shown`: the watched values it displays (all)."""
    labels = form_labels(spec.form_class)
    if "service_name" in labels:
        labels["service"] = labels["service_name"]
    return EditGuard.for_record(
        request, obj, record_watch(spec), labels=labels, shown=shown, site_id=access.site.pk
    )


def _audit_view(spec: RecordKind, request: HttpRequest, obj: Any, guard: EditGuard) -> None:
    """An audited record (an interaction's narrative) is audited each time a page shows
    it: opened, or shown again after a refused save (which shows its values now)."""
    if spec.audit_views and (request.method == "GET" or guard.refused):
        audit.record(Action.VIEW, actor=request.user, obj=obj)


def _form(spec: RecordKind, access: SiteAccess, request: HttpRequest, instance: Any = None) -> Any:
    data = request.POST if request.method == "POST" else None
    form_class: Any = spec.form_class  # every record form takes the site
    return form_class(data, instance=instance, site=access.site, **spec.form_kwargs(access.site))


def _save_or_render(
    request: HttpRequest,
    access: SiteAccess,
    spec: RecordKind,
    form: Any,
    verb: str,
    guard: EditGuard | None = None,
) -> HttpResponse:
    # An edit is saved only if the record is as it was when the page was opened.
    refused = guard is not None and guard.refused
    if request.method == "POST" and not refused and form.is_valid():

        def save() -> Any:
            return spec.save(form, access.site, request.user)

        try:
            obj = guard.run(save) if guard else save()
        except Refused:
            carry_over(form, guard)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            text = (
                gettext("The %(noun)s “%(name)s” was saved.")
                if verb == "saved"
                else gettext("The %(noun)s “%(name)s” was updated.")
            )
            messages.success(request, text % {"noun": spec.noun, "name": obj})
            if spec.warning and (warning := spec.warning(obj)):
                messages.warning(request, warning)
            return redirect(spec.url("list", access.site))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "agreements/records/form.html",
        site_context(
            access,
            kind=spec,
            form=form,
            verb=verb,
            guard=guard,
            deletable=form.instance.pk is not None and spec.deletable(form.instance),
        ),
        status=(guard.status if guard else None) or status,
    )


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest, access: SiteAccess, *, kind: str) -> HttpResponse:
    spec = _kind(kind)
    return _save_or_render(request, access, spec, _form(spec, access, request), "saved")


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, access: SiteAccess, pk: int, *, kind: str) -> HttpResponse:
    spec = _kind(kind)
    obj = _get_object(spec, access, pk)
    guard = record_guard(spec, request, access, obj)  # before the form validates, changing obj
    form = _form(spec, access, request, instance=obj)
    response = _save_or_render(request, access, spec, form, "updated", guard)
    if response.status_code != 302:
        _audit_view(spec, request, obj, guard)
    return response


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, access: SiteAccess, pk: int, *, kind: str) -> HttpResponse:
    spec = _kind(kind)
    obj = _get_object(spec, access, pk)
    # Deleting is refused, too, if the record changed since the page was opened. The page
    # displays none of the record's values: its token carries only their digests.
    guard = record_guard(spec, request, access, obj, shown=())
    refusal = services.delete_refusal(obj)
    allowed = refusal is None
    if request.method == "POST" and allowed and not guard.refused:
        try:
            guard.run(lambda: services.record_delete(instance=obj, actor=request.user))
        except Refused:
            pass
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("The %(noun)s was deleted.") % {"noun": spec.noun})
            return redirect(spec.url("list", access.site))
    _audit_view(spec, request, obj, guard)
    return render(
        request,
        "agreements/records/confirm_delete.html",
        site_context(access, kind=spec, object=obj, allowed=allowed, refusal=refusal, guard=guard),
        status=(allowed and guard.status) or (200 if allowed or request.method == "GET" else 409),
    )
