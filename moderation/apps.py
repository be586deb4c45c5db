from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from moderation.events import STREAM_KIND
        from moderation.permissions import may_follow_moderation
        from realtime.streams import StreamKind, register_stream_kind

        register_stream_kind(StreamKind(STREAM_KIND, can_subscribe=may_follow_moderation))
