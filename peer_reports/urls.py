"""The community's filing form, the public follow-up look-up, and the managers' review."""

from django.urls import URLPattern, path

from peer_reports import views

app_name = "peer_reports"

urlpatterns: list[URLPattern] = [
    path("follow-up/", views.follow_up, name="follow_up"),
    path("sites/<slug:slug>/peer-reports/new/", views.file_report, name="file"),
    path("sites/<slug:slug>/peer-reports/filed/", views.filed, name="filed"),
    path("sites/<slug:slug>/peer-reports/<int:pk>/", views.review, name="review"),
    path("sites/<slug:slug>/peer-reports/<int:pk>/status/", views.set_status, name="status"),
]
