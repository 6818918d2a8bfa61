"""Robot addresses and signing secrets move to encrypted columns: new columns, every existing
row copied through the cipher, the clear columns dropped, the new ones take the old names."""

import django.core.validators
from django.db import migrations

import ruraledu.channels.fields


def encrypt_rows(apps, schema_editor):
    channels = apps.get_model("channels", "WebhookChannel")
    for pk, url, secret in channels.objects.values_list("pk", "url", "secret"):
        channels.objects.filter(pk=pk).update(url_cipher=url, secret_cipher=secret or "")


def decrypt_rows(apps, schema_editor):
    channels = apps.get_model("channels", "WebhookChannel")
    for pk, url, secret in channels.objects.values_list("pk", "url_cipher", "secret_cipher"):
        channels.objects.filter(pk=pk).update(url=url or "", secret=secret or "")


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="webhookchannel",
            name="url_cipher",
            field=ruraledu.channels.fields.EncryptedTextField(max_length=500, null=True),
        ),
        migrations.AddField(
            model_name="webhookchannel",
            name="secret_cipher",
            field=ruraledu.channels.fields.EncryptedTextField(max_length=200, null=True),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.RemoveField(model_name="webhookchannel", name="url"),
        migrations.RemoveField(model_name="webhookchannel", name="secret"),
        migrations.RenameField(model_name="webhookchannel", old_name="url_cipher", new_name="url"),
        migrations.RenameField(
            model_name="webhookchannel", old_name="secret_cipher", new_name="secret"
        ),
        migrations.AlterField(
            model_name="webhookchannel",
            name="url",
            field=ruraledu.channels.fields.EncryptedTextField(
                max_length=500,
                validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                verbose_name="机器人地址",
            ),
        ),
        migrations.AlterField(
            model_name="webhookchannel",
            name="secret",
            field=ruraledu.channels.fields.EncryptedTextField(
                blank=True,
                default="",
                help_text="钉钉机器人“加签”的密钥",
                max_length=200,
                verbose_name="加签密钥",
            ),
        ),
    ]
