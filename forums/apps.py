from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums and chat"

    def ready(self) -> None:
        from forums import indexing
        from forums.actions import chat, topics

        chat.register()
        topics.register()
        indexing.register()
