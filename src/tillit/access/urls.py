from django.urls import path

from tillit.access import views

app_name = "access"
urlpatterns = [
    path("granskning/", views.audit_purpose, name="audit_purpose"),
    path("skyddad-identitet/<int:individual_id>/", views.grant_protected_identity, name="grant"),
]
