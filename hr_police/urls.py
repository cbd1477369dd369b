from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "hr_police administration"
admin.site.site_title = "hr_police"

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("agreements.urls")),
]
