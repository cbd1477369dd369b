from django.urls import URLPattern

app_name = "perception"

urlpatterns: list[URLPattern] = []
