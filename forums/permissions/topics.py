"""Who may do what in a network's threaded forum: the one source of truth for views, templates, the
websocket, search and services.

A public network's forum is read by everyone, visitors included; a members-only network's forum by its
active members. Writing (starting topics, replying, reacting) is for active members. Moderators (and the
site's operators) read deleted and hidden topics, reply to locked ones and take anyone's post down.

Each rule is a `<verb>_<object>_refusal(...)` over the person's own membership row, returning the human
reason for a refusal or None; `can_*` and `check_*` fetch that row for one object, and pages that ask
about many posts fetch it once and call the refusal functions.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from forums.models import Category, Post, Topic
from forums.permissions.roles import administers, is_active, moderates, muted_notice, raise_if
from network.models import Membership, Network
from network.permissions import AnyUser, active_membership

# --- The forum --------------------------------------------------------------------------------------


def forum_networks_q(user: AnyUser) -> Q:
    """The networks whose forum `user` may read, as a filter on Network (for search and activity lists)."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    public = Q(visibility=Network.Visibility.PUBLIC)
    if not user.is_authenticated:
        return public
    # A subquery rather than a join: the caller's rows stay one per network, with no DISTINCT needed.
    reads_as_member = Exists(
        Membership.objects.filter(network=OuterRef("pk"), user=user, state=Membership.State.ACTIVE)
    )
    return public | Q(reads_as_member)


def read_forum_refusal(user: AnyUser, network: Network, membership: Membership | None) -> str | None:
    """Why `user`, whose own row in `network` is `membership`, may not read its forum, or None."""
    if network.visibility == Network.Visibility.PUBLIC:
        return None
    if user.is_authenticated and (user.is_superuser or is_active(membership)):
        return None
    return _("This network's forum is for its members only.")


def can_read_forum(user: AnyUser, network: Network) -> bool:
    if network.visibility == Network.Visibility.PUBLIC:
        return True
    return read_forum_refusal(user, network, active_membership(user, network)) is None


def check_read_forum(user: AnyUser, network: Network) -> None:
    if network.visibility != Network.Visibility.PUBLIC:
        raise_if(read_forum_refusal(user, network, active_membership(user, network)))


def _take_part_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    """Why `user` may not write in the network's forum at all, or None."""
    if not user.is_authenticated:
        return _("Log in to take part in the forum.")
    if user.is_superuser:
        return None
    if is_active(membership):
        return muted_notice(membership)
    return _("Only members of this network can take part in its forum.")


def watch_refusal(user: AnyUser, network: Network, membership: Membership | None) -> str | None:
    """Watching only stores a preference, so every reader who is signed in may set one."""
    if not user.is_authenticated:
        return _("Log in to watch topics and categories.")
    return read_forum_refusal(user, network, membership)


def can_watch(user: AnyUser, network: Network) -> bool:
    return watch_refusal(user, network, active_membership(user, network)) is None


def check_watch(user: AnyUser, network: Network) -> None:
    raise_if(watch_refusal(user, network, active_membership(user, network)))


def manage_categories_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    if administers(user, membership):
        return None
    return _("Only the network's admins can manage its forum categories.")


def can_manage_categories(user: AnyUser, network: Network) -> bool:
    return manage_categories_refusal(user, active_membership(user, network)) is None


def check_manage_categories(user: AnyUser, network: Network) -> None:
    raise_if(manage_categories_refusal(user, active_membership(user, network)))


# --- Topics -----------------------------------------------------------------------------------------


def read_topic_refusal(user: AnyUser, topic: Topic, membership: Membership | None) -> str | None:
    """A deleted topic stays readable to moderators (who may need to see what was there); a hidden one
    also to its author, who is told why it is hidden."""
    forum_refusal = read_forum_refusal(user, topic.network, membership)
    if forum_refusal is not None:
        return forum_refusal
    if not (topic.is_deleted or topic.is_hidden) or moderates(user, membership):
        return None
    if topic.is_deleted:
        return _("This topic was deleted.")
    if user.is_authenticated and topic.author_id == user.pk:
        return None
    if topic.awaiting_approval:
        # Nobody but its author and the moderators learns that a topic waits for approval.
        return _("No topic is found at this address.")
    return _("This topic is hidden by the network's moderators.")


def can_read_topic(user: AnyUser, topic: Topic) -> bool:
    return read_topic_refusal(user, topic, active_membership(user, topic.network)) is None


def check_read_topic(user: AnyUser, topic: Topic) -> None:
    raise_if(read_topic_refusal(user, topic, active_membership(user, topic.network)))


def start_topic_refusal(user: AnyUser, category: Category, membership: Membership | None) -> str | None:
    take_part_refusal = _take_part_refusal(user, membership)
    if take_part_refusal is not None:
        return take_part_refusal
    if category.start_policy == Category.StartPolicy.MODERATORS and not moderates(user, membership):
        return _("Only the network's moderators start topics in this category; you can reply to them.")
    return None


def can_start_topic(user: AnyUser, category: Category) -> bool:
    return start_topic_refusal(user, category, active_membership(user, category.network)) is None


def check_start_topic(user: AnyUser, category: Category) -> None:
    raise_if(start_topic_refusal(user, category, active_membership(user, category.network)))


def locked_topic_notice(topic: Topic) -> str | None:
    """Why members may not reply to `topic` (it is locked), or None; the topic page shows it in place of
    the reply box."""
    if topic.is_locked:
        return _("This topic is locked: its posts can be read, but it takes no new replies.")
    return None


def _closed_topic_refusal(topic: Topic) -> str | None:
    """Why nobody, moderators included, may add to `topic`, or None."""
    if topic.is_deleted:
        return _("This topic was deleted.")
    if topic.awaiting_approval:
        return _("This topic is awaiting a moderator's approval: it takes replies once approved.")
    if topic.is_hidden:
        return _("This topic is hidden by the network's moderators: it takes no replies.")
    return None


def reply_to_topic_refusal(user: AnyUser, topic: Topic, membership: Membership | None) -> str | None:
    """Active members reply to open topics; moderators also to locked ones, to close them with a word."""
    refusal = _take_part_refusal(user, membership) or _closed_topic_refusal(topic)
    if refusal is not None:
        return refusal
    if moderates(user, membership):
        return None
    return locked_topic_notice(topic)


def can_reply_to_topic(user: AnyUser, topic: Topic) -> bool:
    return reply_to_topic_refusal(user, topic, active_membership(user, topic.network)) is None


def check_reply_to_topic(user: AnyUser, topic: Topic) -> None:
    raise_if(reply_to_topic_refusal(user, topic, active_membership(user, topic.network)))


def rename_topic_refusal(user: AnyUser, topic: Topic, membership: Membership | None) -> str | None:
    """Its author renames a topic while it is open; moderators also a locked one."""
    refusal = _take_part_refusal(user, membership) or _closed_topic_refusal(topic)
    if refusal is not None or moderates(user, membership):
        return refusal
    if topic.author_id != user.pk:
        return _("Only its author or the network's moderators can rename a topic.")
    return locked_topic_notice(topic)


def can_rename_topic(user: AnyUser, topic: Topic) -> bool:
    return rename_topic_refusal(user, topic, active_membership(user, topic.network)) is None


def check_rename_topic(user: AnyUser, topic: Topic) -> None:
    raise_if(rename_topic_refusal(user, topic, active_membership(user, topic.network)))


def accept_answer_refusal(user: AnyUser, topic: Topic, membership: Membership | None) -> str | None:
    refusal = _take_part_refusal(user, membership) or _closed_topic_refusal(topic)
    if refusal is not None or moderates(user, membership):
        return refusal
    if topic.author_id != user.pk:
        return _("Only the topic's author or the network's moderators can choose its answer.")
    return None


def can_accept_answer(user: AnyUser, topic: Topic) -> bool:
    return accept_answer_refusal(user, topic, active_membership(user, topic.network)) is None


def check_accept_answer(user: AnyUser, topic: Topic) -> None:
    raise_if(accept_answer_refusal(user, topic, active_membership(user, topic.network)))


def moderate_topic_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    """Pinning and locking are the moderators'."""
    if moderates(user, membership):
        return None
    return _("Only the network's moderators can pin or lock topics.")


def can_moderate_topic(user: AnyUser, topic: Topic) -> bool:
    return moderate_topic_refusal(user, active_membership(user, topic.network)) is None


def check_moderate_topic(user: AnyUser, topic: Topic) -> None:
    raise_if(moderate_topic_refusal(user, active_membership(user, topic.network)))


# --- Posts ------------------------------------------------------------------------------------------


def edit_post_refusal(user: AnyUser, post: Post, membership: Membership | None) -> str | None:
    """Only its author edits a post, while it stands and its topic is open (moderators, who may reply to
    a locked topic, may also edit their own posts in it)."""
    refusal = _take_part_refusal(user, membership)
    if refusal is not None:
        return refusal
    if post.author_id != user.pk:
        return _("Only its author can edit a post.")
    if post.is_deleted or post.topic.is_deleted:
        return _("This post was deleted.")
    if moderates(user, membership):
        return None
    return locked_topic_notice(post.topic)


def can_edit_post(user: AnyUser, post: Post) -> bool:
    return edit_post_refusal(user, post, active_membership(user, post.topic.network)) is None


def check_edit_post(user: AnyUser, post: Post) -> None:
    raise_if(edit_post_refusal(user, post, active_membership(user, post.topic.network)))


def delete_post_refusal(user: AnyUser, post: Post, membership: Membership | None) -> str | None:
    """Authors delete their own posts; moderators any post. Deleting the opening post deletes the topic."""
    refusal = _take_part_refusal(user, membership)
    if refusal is not None:
        return refusal
    if post.is_deleted:
        return _("This post is already deleted.")
    if post.author_id == user.pk or moderates(user, membership):
        return None
    return _("Only its author or the network's moderators can delete a post.")


def can_delete_post(user: AnyUser, post: Post) -> bool:
    return delete_post_refusal(user, post, active_membership(user, post.topic.network)) is None


def check_delete_post(user: AnyUser, post: Post) -> None:
    raise_if(delete_post_refusal(user, post, active_membership(user, post.topic.network)))


def react_to_post_refusal(user: AnyUser, post: Post, membership: Membership | None) -> str | None:
    """Reacting is a small way of replying: it needs a topic that takes replies and a post on show."""
    refusal = reply_to_topic_refusal(user, post.topic, membership)
    if refusal is not None:
        return refusal
    if post.is_deleted:
        return _("This post was deleted.")
    if post.is_hidden:
        return _("This post is hidden by the network's moderators.")
    return None


def can_react_to_post(user: AnyUser, post: Post) -> bool:
    return react_to_post_refusal(user, post, active_membership(user, post.topic.network)) is None


def check_react_to_post(user: AnyUser, post: Post) -> None:
    raise_if(react_to_post_refusal(user, post, active_membership(user, post.topic.network)))


def view_post_history_refusal(user: AnyUser, post: Post, membership: Membership | None) -> str | None:
    """Earlier versions of a post are for its author (while it stands) and for moderators."""
    if moderates(user, membership):
        return None
    if not user.is_authenticated:
        return _("Log in to see a post's earlier versions.")
    if post.author_id == user.pk and not post.is_deleted:
        return read_topic_refusal(user, post.topic, membership)
    return _("Only its author and the network's moderators can see a post's earlier versions.")


def can_view_post_history(user: AnyUser, post: Post) -> bool:
    return view_post_history_refusal(user, post, active_membership(user, post.topic.network)) is None


def check_view_post_history(user: AnyUser, post: Post) -> None:
    raise_if(view_post_history_refusal(user, post, active_membership(user, post.topic.network)))
