from django.urls import path

from tillit.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("", views.reminders, name="reminders"),
]
