from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories, case studies and compendiums"

    def ready(self) -> None:
        from realtime.streams import StreamKind, register_stream_kind
        from stories.events import STREAM_KIND
        from stories.permissions import may_follow_network_stories

        register_stream_kind(StreamKind(STREAM_KIND, can_subscribe=may_follow_network_stories))
