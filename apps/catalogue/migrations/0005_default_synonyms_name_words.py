"""Ship the default synonym list, cut the existing item names into words, and let the roles
read (and system administrators edit) the synonym list (issue #9).

The synonym list and the word cutter are read from the app: both are data that a fresh
database should get in their current form.
"""

from django.db import migrations

from apps.accounts.roles import Role, grant_permissions
from apps.catalogue.search.defaults import DEFAULT_SYNONYMS
from apps.catalogue.search.index import cut_name_words

READ = ["catalogue.view_synonymgroup"]
MANAGE = [
    *READ,
    "catalogue.add_synonymgroup",
    "catalogue.change_synonymgroup",
    "catalogue.delete_synonymgroup",
]


def forwards(apps, schema_editor):
    SynonymGroup = apps.get_model("catalogue", "SynonymGroup")
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create(
            [SynonymGroup(terms=terms, note=note) for terms, note in DEFAULT_SYNONYMS]
        )
    ServiceItem = apps.get_model("catalogue", "ServiceItem")
    items = list(ServiceItem.objects.only("id", "name"))
    for item in items:
        item.name_words = cut_name_words(item.name)
    ServiceItem.objects.bulk_update(items, ["name_words"], batch_size=1000)
    grant_permissions(
        apps,
        {
            Role.WINDOW_STAFF: READ,
            Role.HOTLINE_OPERATOR: READ,
            Role.SUPERVISOR: READ,
            Role.DEPARTMENT_APPROVER: READ,
            Role.SYSTEM_ADMIN: MANAGE,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_synonyms_name_words_demand"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
