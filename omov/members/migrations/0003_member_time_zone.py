# ruff: noqa: RUF012  (Django's migration lists are never mutated)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="time_zone",
            field=models.CharField(
                blank=True, max_length=64,
                help_text="The zone the member sees times in; empty: the organisation's.",
            ),
        ),
    ]
