# SPDX-License-Identifier: EUPL-1.2
"""The mobility pages of a tenant: its stops, a departure board per stop or station, and the
journey planner."""

from django.urls import path

from hub.mobility import views

app_name = "mobility"
urlpatterns = [
    path("t/<slug:slug>/mobilitaet/", views.index, name="index"),
    path("t/<slug:slug>/mobilitaet/abfahrten/<str:stop>/", views.board_page, name="board"),
    path("t/<slug:slug>/mobilitaet/verbindung/", views.journey_page, name="journey"),
]
