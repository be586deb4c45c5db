"""The languages members can say they speak: the six official languages of the UN first, then the
others most spoken among the networks' member administrations."""

from django.db import migrations

LANGUAGES = [
    ("ar", "Arabic"), ("zh", "Chinese"), ("en", "English"), ("fr", "French"), ("ru", "Russian"),
    ("es", "Spanish"), ("pt", "Portuguese"), ("de", "German"), ("it", "Italian"), ("nl", "Dutch"),
    ("sv", "Swedish"), ("fi", "Finnish"), ("pl", "Polish"), ("tr", "Turkish"), ("fa", "Persian"),
    ("hi", "Hindi"), ("bn", "Bengali"), ("ur", "Urdu"), ("id", "Indonesian"), ("ms", "Malay"),
    ("th", "Thai"), ("vi", "Vietnamese"), ("ja", "Japanese"), ("ko", "Korean"), ("sw", "Swahili"),
    ("am", "Amharic"), ("ha", "Hausa"), ("yo", "Yoruba"), ("mi", "Māori"), ("uk", "Ukrainian"),
]  # fmt: skip


def add_languages(apps, schema_editor):
    Language = apps.get_model("profiles", "Language")
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
