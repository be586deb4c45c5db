from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can see it")
        MEMBERS_ONLY = "members", _("Members only")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone signed in may join")
        APPROVAL = "approval", _("On approval by an admin")
        INVITATION = "invitation", _("By invitation only")

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    tagline = models.CharField(max_length=200, blank=True)
    mission = models.TextField(blank=True)
    mission_html = models.TextField(blank=True, editable=False)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    join_policy = models.CharField(max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.APPROVAL)
    members_may_submit_stories = models.BooleanField(
        default=False,
        help_text=_("Members who are not champions may send stories for review by the champions and admins."),
    )
    posts_awaiting_approval = models.PositiveSmallIntegerField(
        default=0,
        help_text=_(
            "How many of a new member's first posts wait for a moderator's approval before others see them; "
            "members whose posts were approved that many times are trusted. 0 turns approval off."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:home", args=[self.slug])


class Membership(models.Model):
    """A person's place in a network: one row per (network, user), whatever happened before.

    The row is kept when a request is declined or a member leaves, so that the history and the
    timestamps stay; asking again reuses it.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAMPION = "champion", _("Champion")
        MODERATOR = "moderator", _("Moderator")
        ADMIN = "admin", _("Admin")

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        PENDING = "pending", _("Pending approval")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")
        # Barred from the network by its moderators until `suspended_until`: no access to what only
        # members see, and no part in anything.
        SUSPENDED = "suspended", _("Suspended")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    message = models.CharField(
        max_length=500, blank=True, help_text=_("What the person wrote when asking to join.")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The member's standing, kept here (beside the role) because every permission rule reads this row;
    # moderation.models.Sanction holds the history. A mute ends by itself when `muted_until` passes.
    muted_until = models.DateTimeField(null=True, blank=True)
    mute_reason = models.CharField(max_length=1000, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    # Posts of this member that moderators approved; reaching the network's `posts_awaiting_approval`
    # makes the member trusted.
    approved_posts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="membership_unique_per_network"),
        ]
        indexes = [
            models.Index(fields=["network", "state", "role"]),
            models.Index(fields=["user", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.network} ({self.get_role_display()}, {self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE
