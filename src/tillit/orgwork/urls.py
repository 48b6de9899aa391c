from django.urls import path

from tillit.orgwork import views

app_name = "orgwork"
urlpatterns = [
    path("", views.home, name="home"),
    path("uppdrag/", views.assignments, name="assignments"),
    path("uppdrag/nytt/", views.assignment_new, name="assignment_new"),
    path("uppdrag/<int:assignment_id>/", views.assignment, name="assignment"),
    path("uppdrag/<int:assignment_id>/steg/", views.assignment_step, name="assignment_step"),
    path("uppdrag/<int:assignment_id>/planera/", views.assignment_plan, name="assignment_plan"),
    path("uppdrag/<int:assignment_id>/avboj/", views.assignment_decline, name="assignment_decline"),
    path(
        "uppdrag/<int:assignment_id>/meddelande/",
        views.assignment_comment,
        name="assignment_comment",
    ),
    path("tid/", views.time, name="time"),
    path("tid/<int:entry_id>/ta-bort/", views.time_remove, name="time_remove"),
    path("tid/rapport/", views.time_report, name="time_report"),
    path("tid/rapport.xlsx", views.time_report_xlsx, name="time_report_xlsx"),
    path("arsplaner/", views.plans, name="plans"),
    path("uppgifter/", views.catalogue, name="catalogue"),
    path("uppgifter/ny/", views.task_new, name="task_new"),
    path("uppgifter/<int:task_id>/", views.task_edit, name="task_edit"),
    path("alternativ/", views.alternatives, name="alternatives"),
    path("alternativ.pdf", views.alternatives_pdf, name="alternatives_pdf"),
    path("alternativ.xlsx", views.alternatives_xlsx, name="alternatives_xlsx"),
    path(
        "alternativ/<int:alternative_id>/placering/",
        views.alternative_places,
        name="alternative_places",
    ),
    path(
        "alternativ/<int:alternative_id>/besluta/",
        views.alternative_adopt,
        name="alternative_adopt",
    ),
    path("uppfoljning/<int:follow_up_id>/", views.follow_up, name="follow_up"),
    path("namnder/", views.boards, name="boards"),
    path("namnder/<int:board_id>/nytt-sammantrade/", views.meeting_new, name="meeting_new"),
    path("sammantraden/<int:meeting_id>/", views.meeting, name="meeting"),
    path("sammantraden/<int:meeting_id>/nytt-arende/", views.item_new, name="item_new"),
    path("sammantraden/<int:meeting_id>/dagordning.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("arenden/<int:item_id>/", views.item, name="item"),
    path("arenden/<int:item_id>/steg/", views.item_step, name="item_step"),
    path("arenden/<int:item_id>/beslut/", views.item_decide, name="item_decide"),
    path("arenden/<int:item_id>/protokollsutdrag/", views.item_extract, name="item_extract"),
]
