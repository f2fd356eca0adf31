from django.urls import path

from . import desk, public, reports

app_name = "editorial"

urlpatterns = [
    # Public: the corrections log, its feed, and each page's change log (developer A).
    path("corrections/", public.corrections_log, name="corrections_log"),
    path("corrections/feed/", public.corrections_feed, name="corrections_feed"),
    path("history/<slug:kind>/<slug:slug>/", public.page_history, name="page_history"),
    # The editors' desk (developer A).
    path("desk/", desk.desk_home, name="desk_home"),
    path("desk/reports/<int:number>/", desk.desk_report, name="desk_report"),
    path("desk/reports/<int:number>/transition/", desk.desk_transition, name="desk_transition"),
    path("desk/reports/<int:number>/assign/", desk.desk_assign, name="desk_assign"),
    path("desk/reports/<int:number>/priority/", desk.desk_priority, name="desk_priority"),
    path("desk/reports/<int:number>/note/", desk.desk_note, name="desk_note"),
    path("desk/reports/<int:number>/publish/", desk.desk_publish, name="desk_publish"),
    path("desk/verify/", desk.desk_verification_queue, name="desk_verification_queue"),
    path("desk/content-check/", desk.desk_content_check, name="desk_content_check"),
    path("desk/verify/<slug:kind>/<slug:slug>/", desk.desk_verify, name="desk_verify"),
    # The reader's side: the report form, its thank-you page and the private status link (developer B).
    path("corrections/new/", reports.report_new, name="report_new"),
    path("corrections/new/thanks/<str:token>/", reports.report_thanks, name="report_thanks"),
    path("corrections/status/<str:token>/", reports.status_detail, name="status_detail"),
    path("corrections/status/<str:token>/answer/", reports.status_answer, name="status_answer"),
    path("corrections/status/<str:token>/withdraw/", reports.status_withdraw, name="status_withdraw"),
]
