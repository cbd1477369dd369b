from django.urls import path

from perception import views

app_name = "perception"

urlpatterns = [
    path("sites/<slug:slug>/self-assessment/", views.rounds, name="rounds"),
    path("sites/<slug:slug>/self-assessment/open/", views.round_open, name="round_open"),
    path("sites/<slug:slug>/self-assessment/<int:pk>/", views.round_detail, name="round_detail"),
    path(
        "sites/<slug:slug>/self-assessment/<int:pk>/close/",
        views.round_close,
        name="round_close",
    ),
]
