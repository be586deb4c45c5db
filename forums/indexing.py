"""What the search index holds of the forum, kept in step by `forums.services.topics` in the transaction
of each change.

A topic is one entry (kind `topic`): its title and its opening post's text. Each visible reply is an
entry of its own (kind `post`) that shows its topic's title without matching on it, so that a search for
a topic's title finds the topic once rather than once per reply. A deleted or hidden topic, and a
deleted or hidden reply, have no entry: the index holds only what every reader of the forum may read,
so the search page needs no rule beyond who may read the network's forum.
"""

from django.db.models import Q

from forums.models import Category, Post, Topic
from forums.permissions.topics import forum_networks_q
from network.models import Network
from richtext import plain_text
from search.registry import AnyUser, SearchKind, register_kind
from search.services import Document, index_documents, remove_documents

TOPIC_KIND = "topic"
POST_KIND = "post"


def category_scope(category_id: int) -> str:
    return f"category:{category_id}"


def topic_document(topic: Topic, opening: Post) -> Document:
    """Needs the topic's network loaded."""
    return _document(
        TOPIC_KIND, topic.pk, topic, opening, url=topic.get_absolute_url(), title_searchable=True
    )


def post_document(post: Post) -> Document:
    """Needs the post's topic, and its network, loaded."""
    return _document(
        POST_KIND, post.pk, post.topic, post, url=post.get_absolute_url(), title_searchable=False
    )


def _document(
    kind: str, object_id: int, topic: Topic, post: Post, *, url: str, title_searchable: bool
) -> Document:
    """The entry that finds `post` (for a topic, its opening post) under the title of `topic`."""
    return Document(
        kind=kind,
        object_id=object_id,
        network_id=topic.network_id,
        scope=category_scope(topic.category_id),
        title=topic.title,
        text=plain_text(post.body_html),
        url=url,
        author_id=post.author_id,
        created_at=post.created_at,
        title_searchable=title_searchable,
    )


def _topic_is_listed(topic: Topic) -> bool:
    return not (topic.is_deleted or topic.is_hidden)


def index_post(post: Post) -> None:
    """Make the index say what `post` now reads (after it was written, edited or deleted): the topic's
    entry for an opening post, the reply's own otherwise. Needs its topic, and the topic's network, loaded."""
    if post.number == 1:
        reindex_topic_entry(post.topic, post)
    elif post.is_visible and _topic_is_listed(post.topic):
        index_documents([post_document(post)])
    else:
        remove_documents(kind=POST_KIND, object_ids=[post.pk])


def reindex_topic_entry(topic: Topic, opening: Post) -> None:
    """The topic's own entry, without its replies' (enough when only its opening post changed)."""
    if opening.is_visible and _topic_is_listed(topic):
        index_documents([topic_document(topic, opening)])
    else:
        remove_documents(kind=TOPIC_KIND, object_ids=[topic.pk])


def reindex_topic(topic: Topic) -> None:
    """Make the index hold what readers see of `topic` and all its posts (after it was renamed, deleted,
    hidden or restored, whose effects reach every reply's entry). Needs the topic's network loaded."""
    posts = list(topic.posts.order_by("number"))
    shown = _topic_is_listed(topic)
    opening = posts[0] if posts and posts[0].number == 1 else None
    if opening is not None:
        reindex_topic_entry(topic, opening)
    replies = [post for post in posts if post.number > 1]
    index_documents(post_document(post) for post in replies if shown and post.is_visible)
    remove_documents(
        kind=POST_KIND, object_ids=(post.pk for post in replies if not (shown and post.is_visible))
    )


def _forum_entries_q(viewer: AnyUser) -> Q:
    return Q(network__in=Network.objects.filter(forum_networks_q(viewer)))


def _category_scopes(network: Network) -> list[tuple[str, str]]:
    return [
        (category_scope(category.pk), category.name) for category in Category.objects.filter(network=network)
    ]


def register() -> None:
    register_kind(SearchKind(TOPIC_KIND, "Topic", _forum_entries_q, _category_scopes))
    register_kind(SearchKind(POST_KIND, "Reply", _forum_entries_q, _category_scopes))
