from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums and chat"

    def ready(self) -> None:
        from forums.actions import chat

        chat.register()
