from django.urls import path

from tillit.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("namnder/<int:board_id>/", views.board, name="board"),
    path("namnder/<int:board_id>/mal.pdf", views.board_pdf, name="board_pdf"),
    path("namnder/<int:board_id>/mal.xlsx", views.board_xlsx, name="board_xlsx"),
    path("indikatorer/<int:indicator_id>/", views.indicator, name="indicator"),
    path("nytt/", views.goal_new, name="goal_new"),
    path("<int:goal_id>/malvarde/", views.target_new, name="target_new"),
    path("<int:goal_id>/uppfoljning/", views.follow_up, name="follow_up"),
    path("jamforelsegrupper/", views.groups, name="groups"),
    path("kolada/", views.national_load, name="national_load"),
    path("egna-varden/", views.own_values, name="own_values"),
]
