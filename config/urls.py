from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from network.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("networks/", include("network.urls")),
    path("people/", include("profiles.urls")),
    path("search/", include("search.urls")),
    # `/chat/` and `/networks/<slug>/chat/...`: after network.urls, whose patterns it does not overlap.
    path("", include("forums.chat_urls")),
    path("", include("forums.urls")),
    path("", include("stories.urls")),
    path("", include("moderation.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Only the local server serves uploads itself; production serves MEDIA_ROOT from the proxy.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
