from typing import Any

from django.db import migrations, models

from setu.algorithms.text import in_prefix_vocabulary


def fill_vocabulary(apps: Any, schema_editor: Any) -> None:
    """The prefix vocabulary of what is indexed already (setu/library/search/prefixes.py)."""
    entry = apps.get_model("library", "SearchEntry")
    term = apps.get_model("library", "SearchTerm")
    words: set[str] = set()
    for title_tokens, tokens in entry.objects.values_list("title_tokens", "tokens").iterator():
        words.update(t for t in f"{title_tokens} {tokens}".split() if in_prefix_vocabulary(t))
        if len(words) > 50_000:
            term.objects.bulk_create(
                [term(term=w) for w in words], batch_size=500, ignore_conflicts=True
            )
            words.clear()
    term.objects.bulk_create([term(term=w) for w in words], batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_drop_generic_related_record"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("term", models.CharField(max_length=60, primary_key=True, serialize=False)),
            ],
        ),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
    ]
