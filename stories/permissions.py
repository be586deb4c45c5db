"""Who may write, publish, feature, review and discuss stories: the one source of truth for views,
templates and services.

As in network.permissions, each rule is a `<verb>_<object>_refusal(...)` over the facts it needs (the
person's active memberships in the networks concerned) returning the human reason for a refusal or None;
`can_*` answers and `check_*` raises PermissionDenied with that reason. A story belongs to several
networks, and a role in any one of them is enough: a champion of one network publishes to all the
networks the story is shared with.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from forums.permissions.roles import muted_notice
from network.models import Membership, Network
from network.permissions import AnyUser, can_view_network, visible_networks_q
from profiles.models import User
from stories.models import CaseStudyCall, Compendium, Story

PUBLISHER_ROLES = frozenset({Membership.Role.CHAMPION, Membership.Role.ADMIN})
CURATOR_ROLES = frozenset({Membership.Role.MODERATOR, Membership.Role.ADMIN})


def _raise_if(reason: str | None) -> None:
    if reason is not None:
        raise PermissionDenied(reason)


def _is_superuser(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_superuser


# --- Facts ------------------------------------------------------------------------------------------


def active_memberships(user: AnyUser, networks: Iterable[Network]) -> list[Membership]:
    """`user`'s active membership rows in `networks`, with each row's network loaded."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(
            user=user, network__in=list(networks), state=Membership.State.ACTIVE
        ).select_related("network")
    )


def story_memberships(user: AnyUser, story: Story) -> list[Membership]:
    return active_memberships(user, story.networks.all())


def _has_role(memberships: Iterable[Membership], roles: frozenset[str]) -> bool:
    return any(membership.role in roles for membership in memberships)


def muted_refusal(user: AnyUser, memberships: Iterable[Membership]) -> str | None:
    """Why `user`, muted in one of the networks of `memberships`, may not post there now, or None: a
    mute means "may read, may not post" in stories and calls as in the forum and chat, and what is
    written for a story reaches every one of its networks."""
    if _is_superuser(user):
        return None
    return next(filter(None, (muted_notice(membership) for membership in memberships)), None)


def is_story_author(user: AnyUser, story: Story) -> bool:
    if not user.is_authenticated:
        return False
    return story.author_id == user.pk or story.co_authors.filter(pk=user.pk).exists()


# --- Reading ----------------------------------------------------------------------------------------


def shared_with_visible_network_q(user: AnyUser) -> Q:
    """Stories shared with at least one network `user` may see, as a filter on Story (a subquery, so
    that the caller's rows stay one per story)."""
    return Q(
        Exists(
            Story.networks.through.objects.filter(
                story=OuterRef("pk"), network__in=Network.objects.filter(visible_networks_q(user))
            )
        )
    )


def published_stories_q(user: AnyUser) -> Q:
    """The stories `user` finds in the feed, on profiles and in syndication feeds: published ones shared
    with a network they may see."""
    return Q(status=Story.Status.PUBLISHED) & shared_with_visible_network_q(user)


def read_story_refusal(
    user: AnyUser, story: Story, is_author: bool, memberships: list[Membership], sees_a_network: bool
) -> str | None:
    """Why `user` may not read `story`. A published story is read by whoever may see one of its networks;
    one not out (draft, in review, scheduled, unpublished) by its authors and those who could publish it
    (reviewers). `sees_a_network` says whether `user` may see one of the story's networks."""
    if _is_superuser(user) or is_author:
        return None
    if story.status == Story.Status.PUBLISHED:
        return None if sees_a_network else _("This story is shared with members-only networks.")
    if story.status == Story.Status.IN_REVIEW and publisher_refusal(user, memberships) is None:
        return None
    return _("This story is not published.")


def check_read_story(user: AnyUser, story: Story) -> None:
    sees_a_network = any(can_view_network(user, network) for network in story.networks.all())
    _raise_if(
        read_story_refusal(
            user, story, is_story_author(user, story), story_memberships(user, story), sees_a_network
        )
    )


def may_follow_network_stories(user: AnyUser, network_id: str) -> bool:
    """Who may subscribe to `stories:<network id>`: whoever may see the network."""
    network = Network.objects.filter(pk=network_id).first() if network_id.isdecimal() else None
    return network is not None and can_view_network(user, network)


# --- Writing ----------------------------------------------------------------------------------------


def write_story_refusal(
    user: AnyUser, networks: Iterable[Network], memberships: list[Membership]
) -> str | None:
    """Why `user` may not write a story shared with `networks`, whose active rows are `memberships`."""
    if not user.is_authenticated:
        return _("Log in to write a story.")
    if _is_superuser(user):
        return None
    joined = {membership.network_id for membership in memberships}
    if any(network.pk not in joined for network in networks):
        return _("You can share a story only with networks you are an active member of.")
    return muted_refusal(user, memberships)


def check_write_story(user: AnyUser, networks: Iterable[Network]) -> None:
    networks = list(networks)
    _raise_if(write_story_refusal(user, networks, active_memberships(user, networks)))


def edit_story_refusal(user: AnyUser, is_author: bool, memberships: list[Membership]) -> str | None:
    """Its authors edit a story, unless muted in one of its networks (`memberships` are their active
    rows there)."""
    if _is_superuser(user):
        return None
    if not is_author:
        return _("Only the story's authors may edit it.")
    return muted_refusal(user, memberships)


def can_edit_story(user: AnyUser, story: Story) -> bool:
    return edit_story_refusal(user, is_story_author(user, story), story_memberships(user, story)) is None


def check_edit_story(user: AnyUser, story: Story) -> None:
    _raise_if(edit_story_refusal(user, is_story_author(user, story), story_memberships(user, story)))


# --- Publishing -------------------------------------------------------------------------------------


def publisher_refusal(user: AnyUser, memberships: list[Membership]) -> str | None:
    """Champions and admins of one of the story's networks are its publishers: they review it, and
    take it down, whatever their standing."""
    if _is_superuser(user) or _has_role(memberships, PUBLISHER_ROLES):
        return None
    return _("Only champions and admins of the story's networks may publish it.")


def publish_story_refusal(user: AnyUser, memberships: list[Membership]) -> str | None:
    """Its publishers publish (and schedule) a story, unless muted in one of its networks."""
    return publisher_refusal(user, memberships) or muted_refusal(user, memberships)


def publishable_stories_q(user: User) -> Q | None:
    """The stories `user` may publish, as a filter on Story: those shared with a network where they are
    a champion or an admin (every story for a site operator); None when they publish for no network."""
    if user.is_superuser:
        return Q()
    network_ids = list(
        Membership.objects.filter(
            user=user, state=Membership.State.ACTIVE, role__in=PUBLISHER_ROLES
        ).values_list("network_id", flat=True)
    )
    if not network_ids:
        return None
    return Q(Exists(Story.networks.through.objects.filter(story=OuterRef("pk"), network_id__in=network_ids)))


def can_publish_story(user: AnyUser, story: Story) -> bool:
    return publish_story_refusal(user, story_memberships(user, story)) is None


def check_publish_story(user: AnyUser, story: Story) -> None:
    _raise_if(publish_story_refusal(user, story_memberships(user, story)))


def submit_story_refusal(user: AnyUser, is_author: bool, memberships: list[Membership]) -> str | None:
    """Authors who may not publish send their story for review, in a network that lets members do so."""
    if not is_author:
        return _("Only the story's authors may send it for review.")
    muted = muted_refusal(user, memberships)
    if muted is not None:
        return muted
    if _has_role(memberships, PUBLISHER_ROLES):
        return None
    if any(membership.network.members_may_submit_stories for membership in memberships):
        return None
    return _("The story's networks do not take stories from members for review.")


def can_submit_story(user: AnyUser, story: Story) -> bool:
    return submit_story_refusal(user, is_story_author(user, story), story_memberships(user, story)) is None


def check_submit_story(user: AnyUser, story: Story) -> None:
    _raise_if(submit_story_refusal(user, is_story_author(user, story), story_memberships(user, story)))


def unpublish_story_refusal(user: AnyUser, is_author: bool, memberships: list[Membership]) -> str | None:
    # Authors may always take their own words down; publishers may take down what they could publish.
    if is_author:
        return None
    return publisher_refusal(user, memberships)


def check_unpublish_story(user: AnyUser, story: Story) -> None:
    _raise_if(unpublish_story_refusal(user, is_story_author(user, story), story_memberships(user, story)))


def feature_story_refusal(user: AnyUser, memberships: list[Membership]) -> str | None:
    if _is_superuser(user) or _has_role(memberships, CURATOR_ROLES):
        return None
    return _("Only moderators and admins of the story's networks may feature it.")


def can_feature_story(user: AnyUser, story: Story) -> bool:
    return feature_story_refusal(user, story_memberships(user, story)) is None


def check_feature_story(user: AnyUser, story: Story) -> None:
    _raise_if(feature_story_refusal(user, story_memberships(user, story)))


# --- Discussing -------------------------------------------------------------------------------------


def discuss_story_refusal(user: AnyUser, story: Story, memberships: list[Membership]) -> str | None:
    """Why `user` may not comment on or react to `story`: the conversation is among the networks' members."""
    if not user.is_authenticated:
        return _("Log in to take part.")
    if story.status != Story.Status.PUBLISHED:
        return _("This story is not published.")
    if _is_superuser(user):
        return None
    if not memberships:
        return _("Only members of the story's networks may comment and react.")
    return muted_refusal(user, memberships)


def can_discuss_story(user: AnyUser, story: Story) -> bool:
    return discuss_story_refusal(user, story, story_memberships(user, story)) is None


def check_discuss_story(user: AnyUser, story: Story) -> None:
    _raise_if(discuss_story_refusal(user, story, story_memberships(user, story)))


def delete_comment_refusal(
    user: AnyUser, comment_author_id: int, memberships: list[Membership]
) -> str | None:
    """Authors take back their own comments; moderators and admins of the story's networks remove others'.
    `memberships` are `user`'s active rows in the networks of the story commented on."""
    if not user.is_authenticated:
        return _("Log in to take part.")
    if _is_superuser(user) or comment_author_id == user.pk or _has_role(memberships, CURATOR_ROLES):
        return None
    return _("Only the comment's author and the moderators of the story's networks may delete it.")


def can_delete_comment(user: AnyUser, story: Story, comment_author_id: int) -> bool:
    return delete_comment_refusal(user, comment_author_id, story_memberships(user, story)) is None


def check_delete_comment(user: AnyUser, story: Story, comment_author_id: int) -> None:
    _raise_if(delete_comment_refusal(user, comment_author_id, story_memberships(user, story)))


# --- Calls, reviews and compendiums -----------------------------------------------------------------


def run_network_stories_refusal(user: AnyUser, memberships: list[Membership]) -> str | None:
    """Network admins open calls, review case studies (accepting one publishes it) and curate and
    publish compendiums, unless muted there: each puts words before the network's members."""
    if _is_superuser(user):
        return None
    if not _has_role(memberships, frozenset({Membership.Role.ADMIN})):
        return _("Only the network's admins may do this.")
    return muted_refusal(user, memberships)


def can_run_network_stories(user: AnyUser, network: Network) -> bool:
    return run_network_stories_refusal(user, active_memberships(user, [network])) is None


def check_run_network_stories(user: AnyUser, network: Network) -> None:
    _raise_if(run_network_stories_refusal(user, active_memberships(user, [network])))


def check_review_submissions(user: AnyUser, call: CaseStudyCall) -> None:
    check_run_network_stories(user, call.network)


def check_curate_compendium(user: AnyUser, compendium: Compendium) -> None:
    check_run_network_stories(user, compendium.network)


def submit_case_study_refusal(
    user: AnyUser, call: CaseStudyCall, is_author: bool, memberships: list[Membership]
) -> str | None:
    if not is_author:
        return _("Only the story's authors may send it to a call.")
    return answer_call_refusal(user, memberships)


def check_submit_case_study(user: AnyUser, call: CaseStudyCall, story: Story) -> None:
    _raise_if(
        submit_case_study_refusal(
            user, call, is_story_author(user, story), active_memberships(user, [call.network])
        )
    )


# --- Reading calls, submissions and compendiums -----------------------------------------------------


def view_network_stories_refusal(user: AnyUser, network: Network) -> str | None:
    """A network's calls for case studies and its compendiums are read by whoever may see the network."""
    if can_view_network(user, network):
        return None
    return _("This network is for its members only.")


def answer_call_refusal(user: AnyUser, memberships: list[Membership]) -> str | None:
    """Members of a call's network write case studies for it; whether the call still takes them is for
    the services to say."""
    if not user.is_authenticated:
        return _("Log in to answer this call.")
    if _is_superuser(user):
        return None
    if not memberships:
        return _("Only members of the network may answer its call for case studies.")
    return muted_refusal(user, memberships)


def check_answer_call(user: AnyUser, call: CaseStudyCall) -> None:
    _raise_if(answer_call_refusal(user, active_memberships(user, [call.network])))


def view_submission_refusal(user: AnyUser, is_author: bool, memberships: list[Membership]) -> str | None:
    """A case study sent to a call, and its reviews, are read by its authors and the network's admins."""
    if is_author or run_network_stories_refusal(user, memberships) is None:
        return None
    return _("Only the case study's authors and the network's admins may read this submission.")
