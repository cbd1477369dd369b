"""List, create, edit and delete pages for every record kind in `workspace.records`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from agreements import audit, services
from agreements.access import Permission, SiteAccess
from agreements.audit import Action
from agreements.conflicts import (
    Conflict,
    StalePage,
    expect,
    explain,
    gone,
    posted_version,
    watch,
)
from agreements.versioning import EditConflict
from agreements.views.base import apply_errors, site_context, site_view
from peer_reports.selectors import awaiting_panel
from workspace.records import KINDS, RecordKind, Saved


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
    if getattr(obj, "site_id", None) == access.site.pk:
        obj.site = access.site  # its times print on the site's clock without a query
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
            awaiting_peer_reports=awaiting_panel(access.site) if kind == "interactions" else None,
        ),
    )


# An officer's police service is edited as its name, and audited as "service".
AUDIT_NAMES = {"service_name": "service"}


def refused(
    spec: RecordKind, access: SiteAccess, pk: int, loaded: int | None, form: Any = None
) -> Conflict:
    """What a refused save or delete of a record says, `form` (if any) brought up to date."""
    now = spec.queryset(access.site).filter(pk=pk).first()
    if now is None:
        return gone(str(spec.noun))
    pairs = [(form, _form(spec, access, None, instance=now), "")] if form is not None else []
    return explain(
        noun=str(spec.noun), now=now, loaded=loaded, pairs=pairs, audit_names=AUDIT_NAMES
    )


def _audit_view(spec: RecordKind, request: HttpRequest, obj: Any, refused: bool) -> None:
    """An audited record (an interaction's narrative) is audited each time a page shows
    it: opened, or shown again after a refused save (which shows its values now)."""
    if spec.audit_views and (request.method == "GET" or refused):
        audit.record(Action.VIEW, actor=request.user, obj=obj)


def _form(
    spec: RecordKind, access: SiteAccess, request: HttpRequest | None, instance: Any = None
) -> Any:
    data = request.POST if request is not None and request.method == "POST" else None
    form_class: Any = spec.form_class  # every record form takes the site
    return form_class(data, instance=instance, site=access.site, **spec.form_kwargs(access.site))


def _save_or_render(
    request: HttpRequest, access: SiteAccess, spec: RecordKind, form: Any, verb: str
) -> HttpResponse:
    # An edit is saved only if the record is at the version the page loaded.
    existing = form.instance if form.instance.pk else None
    conflict = loaded = None
    preview: dict[str, Any] = {}
    previewing = spec.preview is not None and "preview" in request.POST
    locked = _change_refusal(spec, existing, request)
    if request.method == "POST" and locked is None:
        try:
            if existing is not None:
                watch(form)
                loaded = posted_version(request, existing.edit_version)
                expect(loaded, existing.edit_version)
            if form.is_valid() and previewing:
                assert spec.preview is not None
                # What saving would do, shown on the form: nothing is written.
                preview = spec.preview(form, access.site)
            elif form.is_valid():
                result = spec.save(form, access.site, request.user)
                obj, note = (result.obj, result.note) if isinstance(result, Saved) else (result, "")
                text = (
                    gettext("The %(noun)s “%(name)s” was saved.")
                    if verb == "saved"
                    else gettext("The %(noun)s “%(name)s” was updated.")
                )
                text = text % {"noun": spec.noun, "name": obj}
                messages.success(request, f"{text} {note}" if note else text)
                if spec.warning and (warning := spec.warning(obj)):
                    messages.warning(request, warning)
                return redirect(spec.url("list", access.site))
        except (StalePage, EditConflict):
            assert existing is not None  # a record being created has no version to check
            conflict = refused(spec, access, existing.pk, loaded, form)
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:  # the service's own check, on every path
            locked = str(error)
    elif existing is not None:
        watch(form)
    status = 422 if request.method == "POST" and not preview else 200
    if locked is not None and request.method == "POST":
        status = 403
    return render(
        request,
        "agreements/records/form.html",
        site_context(
            access,
            kind=spec,
            form=form,
            verb=verb,
            conflict=conflict,
            locked=locked,
            version=conflict.version if conflict else form.instance.edit_version,
            deletable=form.instance.pk is not None and spec.deletable(form.instance),
            can_preview=spec.preview is not None,
            **preview,
        ),
        status=(conflict.status if conflict else None) or status,
    )


def _change_refusal(spec: RecordKind, existing: Any, request: HttpRequest) -> str | None:
    """Why this user may not change this record (a shared officer), shown on its page."""
    if existing is None or spec.change_refusal is None:
        return None
    return spec.change_refusal(existing, request.user)  # type: ignore[arg-type]


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
    form = _form(spec, access, request, instance=obj)
    response = _save_or_render(request, access, spec, form, "updated")
    if response.status_code != 302:
        _audit_view(spec, request, obj, response.status_code in (400, 409))
    return response


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, access: SiteAccess, pk: int, *, kind: str) -> HttpResponse:
    spec = _kind(kind)
    obj = _get_object(spec, access, pk)
    # Deleting is refused, too, if the record changed since the page was opened. The page
    # displays none of the record's values, and carries none: only its version.
    refusal = services.delete_refusal(obj)
    allowed = refusal is None
    conflict = loaded = None
    if request.method == "POST" and allowed:
        try:
            loaded = posted_version(request, obj.edit_version)
            expect(loaded, obj.edit_version)
            services.record_delete(instance=obj, actor=request.user)
        except (StalePage, EditConflict):
            conflict = refused(spec, access, pk, loaded)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("The %(noun)s was deleted.") % {"noun": spec.noun})
            return redirect(spec.url("list", access.site))
    _audit_view(spec, request, obj, conflict is not None)
    version = conflict.version if conflict else obj.edit_version
    return render(
        request,
        "agreements/records/confirm_delete.html",
        site_context(
            access,
            kind=spec,
            object=obj,
            allowed=allowed,
            refusal=refusal,
            conflict=conflict,
            version=version,
        ),
        status=(conflict.status if conflict else None)
        or (200 if allowed or request.method == "GET" else 409),
    )
