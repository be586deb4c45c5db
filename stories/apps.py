from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories, case studies and compendiums"

    def ready(self) -> None:
        from profiles.changes import public_region_changed
        from realtime.streams import StreamKind, register_stream_kind
        from stories.events import STREAM_KIND, rewrite_author_region
        from stories.permissions import may_follow_network_stories

        register_stream_kind(StreamKind(STREAM_KIND, can_subscribe=may_follow_network_stories))
        public_region_changed.connect(rewrite_author_region, dispatch_uid="stories.rewrite_author_region")
