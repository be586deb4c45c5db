"""Stories addresses: the feed and each story under `/stories/`, and what a network runs (calls for case
studies, compendiums, its syndication feeds) under `/networks/<slug>/`.

As in the forum, a story's own address carries its slug for readers (`<id>/<slug>/`) and every action
sits under `<id>/do/`, so that no title, whatever its slug, can shadow an action.
"""

from django.urls import path

from stories import feeds
from stories.views import calls, compendiums, feed, stories

app_name = "stories"

_story = "stories/<int:pk>/"
_network = "networks/<slug:network_slug>/"
_call = f"{_network}stories/calls/<int:pk>/"
_compendium = f"{_network}compendiums/<int:pk>/"
_version = f"{_compendium}v/<int:number>/"

urlpatterns = [
    # The feed and its syndication.
    path("stories/", feed.feed, name="feed"),
    path("stories/rss/", feeds.LatestStoriesRss(), name="rss"),
    path("stories/atom/", feeds.LatestStoriesAtom(), name="atom"),
    path("stories/tags/<str:tag>/rss/", feeds.TagStoriesRss(), name="tag_rss"),
    path("stories/tags/<str:tag>/atom/", feeds.TagStoriesAtom(), name="tag_atom"),
    path(f"{_network}stories/rss/", feeds.NetworkStoriesRss(), name="network_rss"),
    path(f"{_network}stories/atom/", feeds.NetworkStoriesAtom(), name="network_atom"),
    # Writing and reading one story.
    path("stories/new/", stories.new, name="new"),
    path("stories/mine/", stories.mine, name="mine"),
    path("stories/preview/<str:token>/", stories.preview, name="preview"),
    path(_story, stories.detail_short, name="detail_short"),
    path(f"{_story}do/edit/", stories.edit, name="edit"),
    path(f"{_story}do/submit/", stories.submit, name="submit"),
    path(f"{_story}do/publish/", stories.publish, name="publish"),
    path(f"{_story}do/unpublish/", stories.unpublish, name="unpublish"),
    path(f"{_story}do/feature/", stories.feature, name="feature"),
    path(f"{_story}do/react/", stories.react, name="react"),
    path(f"{_story}do/comment/", stories.comment, name="comment"),
    path(f"{_story}do/comments/<int:comment_id>/delete/", stories.comment_delete, name="comment_delete"),
    path(f"{_story}<str:slug>/", stories.detail, name="detail"),
    # Calls for case studies.
    path(f"{_network}stories/calls/", calls.call_list, name="calls"),
    path(f"{_network}stories/calls/new/", calls.call_create, name="call_create"),
    path(_call, calls.call, name="call"),
    path(f"{_call}submit/", calls.call_submit, name="call_submit"),
    path(f"{_call}close/", calls.call_close, name="call_close"),
    path(f"{_network}stories/submissions/<int:pk>/", calls.submission, name="submission"),
    # Compendiums.
    path(f"{_network}compendiums/", compendiums.compendium_list, name="compendiums"),
    path(f"{_network}compendiums/new/", compendiums.compendium_create, name="compendium_create"),
    path(_compendium, compendiums.compendium, name="compendium"),
    path(f"{_compendium}chapters/", compendiums.chapter_add, name="chapter_add"),
    path(f"{_compendium}entries/", compendiums.entry_add, name="entry_add"),
    path(f"{_compendium}entries/<int:entry_id>/move/", compendiums.entry_move, name="entry_move"),
    path(f"{_compendium}entries/<int:entry_id>/remove/", compendiums.entry_remove, name="entry_remove"),
    path(f"{_compendium}publish/", compendiums.publish, name="compendium_publish"),
    path(_version, compendiums.version, name="compendium_version"),
    path(f"{_version}download/", compendiums.download, name="compendium_download"),
]
