"""The consultation pages (issue 19, part 2)."""

from django.urls import URLPattern, path

from consultations import views

app_name = "consultations"

urlpatterns: list[URLPattern] = [
    path("sites/<slug:slug>/consultations/", views.consultation_list, name="list"),
    path("sites/<slug:slug>/consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path(
        "sites/<slug:slug>/consultations/<int:pk>/comments/<int:comment>/answer/",
        views.comment_answer_view,
        name="answer",
    ),
    path(
        "sites/<slug:slug>/consultations/<int:pk>/extend/",
        views.consultation_extend_view,
        name="extend",
    ),
    path(
        "sites/<slug:slug>/consultations/<int:pk>/close/",
        views.consultation_close_view,
        name="close",
    ),
    path(
        "sites/<slug:slug>/protocols/<int:pk>/consultation/",
        views.consultation_open_view,
        name="open",
    ),
]
