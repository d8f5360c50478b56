from django.urls import include, path

from coproduce.api.urls import v1_urls
from coproduce.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("coproduce.accounts.urls")),
    path("people/", include("coproduce.people.urls")),
    path("projects/", include("coproduce.projects.urls")),
    path("sessions/", include("coproduce.meetings.urls")),
    path("diversity/", include("coproduce.diversity.urls")),
    path("promises/", include("coproduce.promises.urls")),
    path("health-checks/", include("coproduce.evaluation.urls")),
    path("tsm/", include("coproduce.tsm.urls")),
    path("rewards/", include("coproduce.rewards.urls")),
    path("stories/", include("coproduce.stories.urls")),
    path("privacy/", include("coproduce.privacy.urls")),
    path("tia/", include("coproduce.tia.urls")),
    path("messages/", include("coproduce.messaging.urls")),
    path("api/v1/", v1_urls),
    path("api-tokens/", include("coproduce.api.urls")),
    path("webhooks/", include("coproduce.webhooks.urls")),
    path("", include("coproduce.home.urls")),
]

handler400 = "coproduce.core.views.bad_request"
handler404 = "coproduce.core.views.page_not_found"
