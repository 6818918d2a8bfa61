"""Text kept encrypted at rest with the platform's personal-data key (core.crypto, AES-GCM):
a robot's address carries its access key, and a signing secret is a secret. The column holds
nonce + ciphertext; Python code, forms and the admin see the clear text."""

from django import forms
from django.db import models

from ruraledu.core import crypto


class EncryptedTextField(models.Field):
    """A string stored as AES-GCM ciphertext. Not searchable (each write draws a new nonce)."""

    description = "加密存储的文本"

    def get_internal_type(self) -> str:
        return "BinaryField"

    def from_db_value(self, value, expression, connection):
        return None if value is None else crypto.decrypt(value)

    def to_python(self, value):
        return value if value is None or isinstance(value, str) else str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else crypto.encrypt(str(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        value = value if prepared else self.get_prep_value(value)
        return None if value is None else connection.Database.Binary(value)

    def value_to_string(self, obj) -> str:
        return self.value_from_object(obj) or ""

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.CharField, "max_length": self.max_length}
        return super().formfield(**{**defaults, **kwargs})
