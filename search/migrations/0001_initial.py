import django.contrib.postgres.search
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The GIN index over the vectors exists on PostgreSQL only: SQLite has no GIN (nor tsvector, whose
# column it stores as plain text, always null). It is not in the model's Meta, so that SQLite, which
# rebuilds a table to alter it, never tries to create it again.
GIN_INDEX = "search_entry_vector_gin"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Not CONCURRENTLY: migrations run in a transaction, and the table is new.
        schema_editor.execute(f"CREATE INDEX {GIN_INDEX} ON search_searchentry USING gin (vector)")


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('network', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=32)),
                ('object_id', models.PositiveBigIntegerField()),
                ('scope', models.CharField(blank=True, max_length=64)),
                ('title', models.CharField(max_length=300)),
                ('title_searchable', models.BooleanField(default=True)),
                ('text', models.TextField(blank=True)),
                ('url', models.CharField(max_length=500)),
                ('created_at', models.DateTimeField()),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('network', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='network.network')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'indexes': [models.Index(fields=['network', 'scope'], name='search_entry_network_scope'), models.Index(fields=['-created_at'], name='search_entry_recent')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_entry_unique_object')],
            },
        ),
        migrations.RunPython(create_gin_index, drop_gin_index, elidable=False),
    ]
