from django.urls import URLPattern, path

from liaisons import views as liaison
from reports import export_views, transparency_page
from reports import views as reports
from scoring import perception_views
from scoring import views as scores
from workspace.records import KINDS
from workspace.views import privacy, protocols, records, sites

app_name = "agreements"


def _record_patterns() -> list[URLPattern]:
    patterns = []
    for slug in KINDS:
        base = f"sites/<slug:slug>/{slug}/"
        kind = {"kind": slug}
        patterns += [
            path(base, records.record_list, kind, name=f"{slug}_list"),
            path(f"{base}<int:pk>/delete/", records.record_delete, kind, name=f"{slug}_delete"),
        ]
        if slug != "protocols":  # protocols are edited with their clauses, below
            patterns += [
                path(f"{base}new/", records.record_create, kind, name=f"{slug}_create"),
                path(f"{base}<int:pk>/edit/", records.record_edit, kind, name=f"{slug}_edit"),
            ]
    return patterns


urlpatterns = [
    path("", sites.home, name="home"),
    path("sites/new/", sites.site_create, name="site_create"),
    path("dashboard/", scores.network_dashboard, name="dashboard"),
    path("weights/", scores.rubric_weights, name="weights"),
    path("audit/", privacy.network_audit, name="network_audit"),
    path("reports/network/", reports.network_report, name="network_report"),
    path("reports/<int:pk>/", reports.report_job, name="report_job"),
    path("reports/<int:pk>/download/", reports.report_job_download, name="report_job_download"),
    path("protocol/<str:token>/", privacy.protocol_by_link, name="protocol_by_link"),
    path("sites/<slug:slug>/audit/", privacy.site_audit, name="site_audit"),
    path(
        "sites/<slug:slug>/report/<str:edition>.pdf",
        reports.site_report,
        name="site_report",
    ),
    path("sites/<slug:slug>/protocol/", liaison.protocol_current, name="liaison_protocol"),
    path("sites/<slug:slug>/protocol/diff/", liaison.protocol_diff, name="liaison_protocol_diff"),
    path(
        "sites/<slug:slug>/protocol/v<int:version>/",
        liaison.protocol_version,
        name="liaison_protocol_version",
    ),
    path(
        "sites/<slug:slug>/protocol/v<int:version>/acknowledge/",
        liaison.protocol_acknowledge_view,
        name="liaison_protocol_acknowledge",
    ),
    path("sites/<slug:slug>/upcoming/", liaison.upcoming_checkins, name="liaison_checkins"),
    path(
        "sites/<slug:slug>/upcoming/<int:pk>/confirm/",
        liaison.attendance_confirm_view,
        name="liaison_attendance_confirm",
    ),
    path(
        "sites/<slug:slug>/checkins/awaiting/",
        liaison.awaiting_outcome,
        name="checkins_awaiting",
    ),
    path(
        "sites/<slug:slug>/checkins/<int:pk>/outcome/",
        liaison.record_outcome,
        name="checkins_outcome",
    ),
    path(
        "sites/<slug:slug>/assignments/timeline/",
        liaison.liaison_continuity,
        name="assignments_timeline",
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/document/",
        liaison.protocol_document,
        name="protocols_document",
    ),
    path("sites/<slug:slug>/shared/", privacy.shared_interactions, name="shared_interactions"),
    path("sites/<slug:slug>/protocol-links/", privacy.protocol_links, name="protocol_links"),
    path(
        "sites/<slug:slug>/protocol-links/<int:pk>/revoke/",
        privacy.protocol_link_revoke_view,
        name="protocol_link_revoke",
    ),
    path(
        "sites/<slug:slug>/interactions/<int:pk>/share/",
        privacy.interaction_share_view,
        name="interactions_share",
    ),
    path(
        "sites/<slug:slug>/interactions/<int:pk>/unshare/",
        privacy.interaction_unshare_view,
        name="interactions_unshare",
    ),
    path("sites/<slug:slug>/score/", scores.site_score, name="site_score"),
    path(
        "sites/<slug:slug>/transparency/",
        transparency_page.site_transparency,
        name="site_transparency",
    ),
    # The perception gap (issue 18): for the site's managers and its liaisons.
    path(
        "sites/<slug:slug>/perception/",
        perception_views.site_perception,
        name="site_perception",
    ),
    path("sites/<slug:slug>/", sites.site_overview_view, name="site_overview"),
    path("sites/<slug:slug>/profile/", sites.site_profile, name="site_profile"),
    path("sites/<slug:slug>/edit/", sites.site_edit, name="site_edit"),
    path("sites/<slug:slug>/protocols/new/", protocols.protocol_create, name="protocols_create"),
    path(
        "sites/<slug:slug>/protocols/compare/",
        protocols.protocol_compare,
        name="protocols_compare",
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/sign/",
        protocols.protocol_sign_view,
        name="protocols_sign",
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/withdraw/",
        protocols.protocol_withdraw_view,
        name="protocols_withdraw",
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/", protocols.protocol_detail, name="protocols_detail"
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/edit/",
        protocols.protocol_edit,
        name="protocols_edit",
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/copy/",
        protocols.protocol_copy,
        name="protocols_copy",
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/end/",
        protocols.protocol_end_view,
        name="protocols_end",
    ),
    *_record_patterns(),
    path("sites/<slug:slug>/exports/", export_views.site_exports, name="site_exports"),
    path(
        "sites/<slug:slug>/exports/interactions.csv",
        export_views.site_interactions_csv,
        name="site_export_interactions",
    ),
    path(
        "sites/<slug:slug>/exports/transparency.csv",
        export_views.site_transparency_csv,
        name="site_export_transparency",
    ),
]
