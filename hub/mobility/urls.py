# SPDX-License-Identifier: EUPL-1.2
"""The mobility pages of a tenant: its stops, a departure board per stop or station, the
journey planner, and the lines with their stations."""

from django.urls import path

from hub.mobility import views

app_name = "mobility"
urlpatterns = [
    path("t/<slug:slug>/mobilitaet/", views.index, name="index"),
    path("t/<slug:slug>/mobilitaet/abfahrten/<str:stop>/", views.board_page, name="board"),
    path("t/<slug:slug>/mobilitaet/in-der-naehe/", views.nearby_page, name="nearby"),
    path("t/<slug:slug>/mobilitaet/verbindung/", views.journey_page, name="journey"),
    path("t/<slug:slug>/mobilitaet/linien/", views.lines_page, name="lines"),
    path(
        "t/<slug:slug>/mobilitaet/barrierefreiheit/",
        views.accessibility_page,
        name="accessibility",
    ),
    path(
        "t/<slug:slug>/mobilitaet/linien/<slug:feed>/<path:route>/",
        views.line_page,
        name="line",
    ),
]
