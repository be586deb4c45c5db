from django.db import models
from django.utils.translation import gettext_lazy as _


class ReactionKind(models.TextChoices):
    """The small fixed set of reactions members give to chat messages and forum posts alike, in the
    order they are shown everywhere."""

    THUMBS_UP = "👍", _("Thumbs up")
    HEART = "❤️", _("Heart")
    PARTY = "🎉", _("Celebrate")
    SMILE = "😄", _("Smile")
    THANKS = "🙏", _("Thank you")
    IDEA = "💡", _("Idea")


REACTION_ORDER = {kind: position for position, kind in enumerate(ReactionKind.values)}
