from setu.matchmaking import urls_market, urls_schedule

app_name = "matchmaking"

# Participants' pages (setup, profiles, marketplace, requests) and the organiser's scheduling,
# agendas and outcomes live in two modules; both hang under /events/<pk>/matchmaking/.
urlpatterns = [*urls_market.urlpatterns, *urls_schedule.urlpatterns]
