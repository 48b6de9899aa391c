from django.urls import path

from tillit.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("paminnelser/", views.reminders, name="reminders"),
    path("tidsgranser/", views.due_items, name="due_items"),
]
