"""Model fields for encryption at rest and for values derived on save (blind indexes).

An encrypted field holds Fernet ciphertext in a text column and gives the plaintext to Python;
its `max_length` applies to the plaintext, so forms, serializers and model validation keep their
limits. An empty value is stored empty: blank checks and retention's clearing see it as before.
Ciphertext cannot be filtered on except for emptiness; what must be found has a blind index.
"""

from __future__ import annotations

import json

from django.contrib.postgres.fields import ArrayField
from django.core import validators
from django.db import models
from django.db.models.fields.json import JSONExact

from . import crypto


class EncryptedMixin:
    def get_internal_type(self) -> str:
        # The column is text whatever the plaintext limit: ciphertext is about 1.4 times longer.
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A one-line text, encrypted at rest; `max_length` limits the plaintext."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A free text, encrypted at rest; `max_length` limits the plaintext, also in the model."""

    @property
    def validators(self):
        limit = [validators.MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*super().validators, *limit]


class _EmptinessExact(JSONExact):
    """`exact` on an encrypted JSON value: only emptiness can be compared (a ciphertext has a
    random IV, so an equal non-empty value would never match and silently find nothing)."""

    def get_prep_lookup(self):
        value = super().get_prep_lookup()
        if not hasattr(value, "resolve_expression") and value not in ("", None):
            raise ValueError("An encrypted JSON value can only be compared with an empty dict.")
        return value


class EncryptedJSONField(EncryptedMixin, models.JSONField):
    """A JSON value encrypted as a whole: the ciphertext of its JSON text in a text column.

    An empty dict is stored as the empty string and read back as an empty dict, so clearing and
    finding what is empty stay cheap (`.exclude(detail={})`, `.update(detail={})`). Nothing else
    can be filtered on: keys and the other JSON lookups are refused.
    """

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        if value == "":
            return {}
        return json.loads(crypto.decrypt(value), cls=self.decoder)

    def get_prep_value(self, value):
        value = models.JSONField.get_prep_value(self, value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, dict) and not value:
            return ""
        return crypto.encrypt(json.dumps(value, cls=self.encoder))

    def get_db_prep_value(self, value, connection, prepared=False):
        # Not JSONField's: the value is text (ciphertext), not adapted as jsonb.
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptinessExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name):
        return None


class DerivedMixin:
    """A value the model computes from its other fields each time it is saved (also in
    bulk_create, which calls `pre_save` too): `derive` names a method of the model.

    Models in migrations have no methods; there the value is saved as it stands.
    """

    def __init__(self, *args, derive: str, **kwargs):
        self.derive = derive
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["derive"] = self.derive
        kwargs.pop("editable", None)
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        compute = getattr(model_instance, self.derive, None)
        if compute is None:
            return super().pre_save(model_instance, add)
        value = compute()
        setattr(model_instance, self.attname, value)
        return value


class BlindIndexField(DerivedMixin, models.CharField):
    """A keyed hash (HMAC, hex) of an identifier, indexed, so equal identifiers are found.

    Empty when the identifier is unknown.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        if kwargs.get("db_index"):
            del kwargs["db_index"]
        return name, path, args, kwargs


class SearchTokensField(DerivedMixin, ArrayField):
    """The search tokens of a text (crypto.search_tokens), for a GIN-indexed `contains` search."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("base_field", models.CharField(max_length=crypto.SEARCH_TOKEN_LENGTH))
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)
