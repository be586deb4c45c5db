"""Forum addresses, under each network: `/networks/<slug>/forum/...`.

A topic's own address carries its slug for readers (`t/<id>/<slug>/`), and replies are posted to it;
everything else about a topic sits two segments below its id (`t/<id>/p/<number>/`,
`t/<id>/do/<action>/`), so that no title, whatever its slug, can shadow an action. The moderators'
actions are there too: hiding and restoring a post (`p/<number>/hide/`, `restore/`), and a topic's
`do/hide/`, `do/restore/`, `do/move/`, `do/merge/`, `do/split/`, `do/pin/` and `do/lock/`.
"""

from django.urls import path

from forums.views import topics as views

app_name = "forum"

_forum = "networks/<slug:network_slug>/forum/"
_category = f"{_forum}c/<slug:category_slug>/"
_topic = f"{_forum}t/<int:topic_id>/"
_post = f"{_topic}p/<int:number>/"

urlpatterns = [
    path(_forum, views.index, name="index"),
    path(f"{_forum}categories/new/", views.category_create, name="category_create"),
    path(_category, views.category, name="category"),
    path(f"{_category}edit/", views.category_edit, name="category_edit"),
    path(f"{_category}new/", views.new_topic, name="new_topic"),
    path(f"{_category}watch/", views.category_watch, name="category_watch"),
    path(_topic, views.topic_short, name="topic_short"),
    path(f"{_topic}do/posts/", views.posts, name="posts"),
    path(f"{_topic}do/watch/", views.watch, name="watch"),
    path(f"{_topic}do/pin/", views.pin, name="pin"),
    path(f"{_topic}do/lock/", views.lock, name="lock"),
    path(f"{_topic}do/rename/", views.rename, name="rename"),
    path(f"{_topic}do/accept/", views.accept, name="accept"),
    path(f"{_topic}do/hide/", views.hide_topic, name="hide_topic"),
    path(f"{_topic}do/restore/", views.restore_topic, name="restore_topic"),
    path(f"{_topic}do/move/", views.move, name="move"),
    path(f"{_topic}do/merge/", views.merge, name="merge"),
    path(f"{_topic}do/split/", views.split, name="split"),
    path(_post, views.post, name="post"),
    path(f"{_post}edit/", views.edit, name="edit"),
    path(f"{_post}delete/", views.delete, name="delete"),
    path(f"{_post}react/", views.react, name="react"),
    path(f"{_post}history/", views.history, name="history"),
    path(f"{_post}hide/", views.hide_post, name="hide_post"),
    path(f"{_post}restore/", views.restore_post, name="restore_post"),
    path(f"{_topic}<str:topic_slug>/", views.topic, name="topic"),
]
