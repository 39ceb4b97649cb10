"""E-mail addresses stored encrypted like phone numbers, with a keyed hash to find them
(issue 16). The rows already there are encrypted in place; run backwards, they are decrypted
before the column turns back into a plain e-mail column.

The values are read and written with SQL: the field class decrypts on read, and the rows
are still clear text at this point. A Fernet token never contains "@", an address always
does, so each row is converted once whatever state a half-run left it in.
"""

from django.db import migrations, models

import apps.common.pii
from apps.common.pii import decrypt, email_lookup_key, encrypt

TABLES = ("user", "historicaluser")


def _convert(apps, schema_editor, *, forwards: bool) -> None:
    connection = schema_editor.connection
    for model_name in TABLES:
        table = connection.ops.quote_name(apps.get_model("accounts", model_name)._meta.db_table)
        id_column = "id" if model_name == "user" else "history_id"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {id_column}, email FROM {table} WHERE email <> ''")
            rows = cursor.fetchall()
            for pk, value in rows:
                clear = "@" in value
                if forwards and clear:
                    new, digest = encrypt(value), email_lookup_key(value)
                elif not forwards and not clear:
                    new, digest = decrypt(value), ""
                else:
                    continue
                cursor.execute(
                    f"UPDATE {table} SET email = %s, email_hash = %s WHERE {id_column} = %s",
                    [new, digest, pk],
                )


def encrypt_emails(apps, schema_editor) -> None:
    _convert(apps, schema_editor, forwards=True)


def decrypt_emails(apps, schema_editor) -> None:
    _convert(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_privacy_consent'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaluser',
            name='email_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='user',
            name='email_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='historicaluser',
            name='email',
            field=apps.common.pii.EncryptedEmailField(blank=True, default='', verbose_name='电子邮箱'),
        ),
        migrations.AlterField(
            model_name='user',
            name='email',
            field=apps.common.pii.EncryptedEmailField(blank=True, default='', verbose_name='电子邮箱'),
        ),
        migrations.RunPython(encrypt_emails, decrypt_emails),
    ]
