from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for the two founding networks (`manage.py seed_demo`).

    A package of its own because the demo spans every app: members and profiles, networks and roles,
    and, as they arrive, forums, chat and stories.
    """

    name = "demo"
    verbose_name = "Demo data"
