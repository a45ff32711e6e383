"""Loading the portal's database content: forms of exploitation, indicators, information pages
and help contacts, with their texts in every language.

Each text has one source. The structure (which objects exist, their order, a contact's phone,
website and source) is in signals/data/taxonomy.json and content/data/public.json; the texts per
language are in content/texts/<language>.json, where translators work. `load_content` is the one
loader: `make run`, the docker `migrate` service and the tests that need content run it.

Loading again is safe and applies corrected texts to an existing database: the loader remembers
what it wrote into each field (`LoadedValue`). A field that still holds what the loader wrote
last, or that is empty, gets the current text; a field the functional admin changed in the admin
keeps the admin's text, unless `overwrite` is asked for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from modeltranslation.utils import build_localized_fieldname

from signals.models import ExploitationForm, Indicator, IndicatorCategory, Signal

from .models import ContentPage, HelpContact, LoadedValue

TAXONOMY_FILE = Path(settings.BASE_DIR) / "signals" / "data" / "taxonomy.json"
PUBLIC_FILE = Path(settings.BASE_DIR) / "content" / "data" / "public.json"
SUPERSEDED_FILE = Path(settings.BASE_DIR) / "content" / "data" / "superseded.txt"
TEXTS_DIR = Path(settings.BASE_DIR) / "content" / "texts"

# Per model in the text files: how an object is found, and which of its fields are translated.
TRANSLATED: dict[str, tuple[type[models.Model], str, tuple[str, ...]]] = {
    "signals.exploitationform": (ExploitationForm, "code", ("name", "description", "examples")),
    "signals.indicatorcategory": (IndicatorCategory, "code", ("name",)),
    "signals.indicator": (
        Indicator,
        "code",
        ("name", "public_text", "self_text", "help_text"),
    ),
    "content.contentpage": (ContentPage, "slug", ("title", "summary", "body")),
    "content.helpcontact": (HelpContact, "code", ("name", "description", "opening_hours")),
}
# A contact's fields that are the same in every language.
CONTACT_DETAILS = ("phone", "website", "source")


@dataclass
class LoadResult:
    created: int = 0
    texts: int = 0
    # Fields left as the admin edited them, though the files have another text.
    kept: int = 0


def _texts(language: str) -> dict:
    path = TEXTS_DIR / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@cache
def _superseded() -> frozenset[str]:
    """Digests of texts earlier versions loaded before the loader remembered what it wrote."""
    lines = SUPERSEDED_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


class _Writer:
    """Writes the files' values into fields that were not edited in the admin, and remembers
    what it wrote. One save per object, and the memory written in bulk at the end."""

    def __init__(self, *, overwrite: bool) -> None:
        self.overwrite = overwrite
        self.result = LoadResult()
        self.loaded = {
            (item.model, item.key, item.field): item for item in LoadedValue.objects.all()
        }
        self.remembered: dict[tuple[str, str, str], str] = {}

    def apply(self, instance: models.Model, key: str, values: dict[str, str]) -> None:
        """Set each field (a column name) to its value where that is allowed, and save."""
        label = instance._meta.label_lower
        changed = []
        for field, value in values.items():
            if not value:
                continue  # an empty text in a file never clears what is there
            current = getattr(instance, field) or ""
            loaded = self.loaded.get((label, key, field))
            if current != value:
                if not self._replaceable(current, loaded):
                    self.result.kept += 1
                    continue
                setattr(instance, field, value)
                changed.append(field)
            self.remembered[(label, key, field)] = _digest(value)
        if changed:
            instance.save(update_fields=changed)
            self.result.texts += len(changed)

    def _replaceable(self, current: str, loaded: LoadedValue | None) -> bool:
        if self.overwrite or not current:
            return True
        if loaded is not None:
            return loaded.digest == _digest(current)
        return _digest(current)[:16] in _superseded()

    def finish(self) -> LoadResult:
        new, changed = [], []
        for (label, key, field), digest in self.remembered.items():
            loaded = self.loaded.get((label, key, field))
            if loaded is None:
                new.append(LoadedValue(model=label, key=key, field=field, digest=digest))
            elif loaded.digest != digest:
                loaded.digest = digest
                changed.append(loaded)
        LoadedValue.objects.bulk_create(new)
        LoadedValue.objects.bulk_update(changed, ["digest"])
        return self.result


def _default_texts(label: str, key: str, fields: tuple[str, ...]) -> dict:
    """The object's texts in the default language, for creating it."""
    values = _texts(settings.LANGUAGE_CODE).get(label, {}).get(key, {})
    return {
        build_localized_fieldname(field, settings.LANGUAGE_CODE): values.get(field, "")
        for field in fields
    }


@transaction.atomic
def load_taxonomy() -> int:
    """Create the forms of exploitation, indicator categories and indicators that are missing,
    named in the default language. Returns how many were created."""
    structure = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    names = _texts(settings.LANGUAGE_CODE)
    created = 0

    def name(model_label: str, code: str) -> dict:
        field = build_localized_fieldname("name", settings.LANGUAGE_CODE)
        return {field: names.get(model_label, {}).get(code, {}).get("name", code)}

    forms = {}
    for item in structure["forms"]:
        forms[item["code"]], new = ExploitationForm.objects.get_or_create(
            code=item["code"],
            defaults={"order": item["order"], **name("signals.exploitationform", item["code"])},
        )
        created += new
    categories = {}
    for item in structure["categories"]:
        categories[item["code"]], new = IndicatorCategory.objects.get_or_create(
            code=item["code"],
            defaults={"order": item["order"], **name("signals.indicatorcategory", item["code"])},
        )
        created += new
    for item in structure["indicators"]:
        indicator, new = Indicator.objects.get_or_create(
            code=item["code"],
            defaults={
                "category": categories[item["category"]],
                "is_public": item["is_public"],
                "weight": item["weight"],
                "order": item["order"],
                **name("signals.indicator", item["code"]),
            },
        )
        if new:
            indicator.forms.set([forms[code] for code in item["forms"]])
        created += new
    _replace_split_indicators(structure.get("replaced", []))
    return created


def _replace_split_indicators(replaced: list[dict]) -> None:
    """An indicator that bundled several signs was split into one indicator per sign: tick the
    parts on every signal that had it ticked, then remove it (its ticks go with it)."""
    through = Signal.indicators.through
    for item in replaced:
        old = Indicator.objects.filter(code=item["code"]).first()
        if old is None:
            continue
        parts = list(Indicator.objects.filter(code__in=item["by"]))
        signal_ids = list(through.objects.filter(indicator=old).values_list("signal_id", flat=True))
        through.objects.bulk_create(
            [
                through(signal_id=signal_id, indicator=part)
                for signal_id in signal_ids
                for part in parts
            ],
            ignore_conflicts=True,
        )
        LoadedValue.objects.filter(model="signals.indicator", key=old.code).delete()
        old.delete()


@transaction.atomic
def load_public_content(*, overwrite: bool = False) -> tuple[int, LoadResult]:
    """Create the information pages and national help contacts that are missing, and apply the
    contacts' details (phone, website, source) where the admin did not change them. Returns how
    many objects were created, and what was written."""
    structure = json.loads(PUBLIC_FILE.read_text(encoding="utf-8"))
    created = 0
    for item in structure["pages"]:
        _page, new = ContentPage.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "order": item["order"],
                "is_published": True,
                **_default_texts("content.contentpage", item["slug"], ("title", "summary", "body")),
            },
        )
        created += new
    writer = _Writer(overwrite=overwrite)
    for item in structure["contacts"]:
        contact, new = HelpContact.objects.get_or_create(
            code=item["code"],
            defaults={
                "region": None,
                "order": item["order"],
                "is_published": True,
                **_default_texts(
                    "content.helpcontact", item["code"], ("name", "description", "opening_hours")
                ),
            },
        )
        created += new
        writer.apply(contact, item["code"], {field: item[field] for field in CONTACT_DETAILS})
    return created, writer.finish()


@transaction.atomic
def load_translations(*, overwrite: bool = False) -> LoadResult:
    """Write the texts of every object named in the text files, for every language of the
    portal, into the fields the admin did not edit."""
    per_object: dict[tuple[str, str], dict[str, str]] = {}
    for language, _name in settings.LANGUAGES:
        texts = _texts(language)
        for label, (_model, _key, fields) in TRANSLATED.items():
            for key_value, values in texts.get(label, {}).items():
                columns = per_object.setdefault((label, key_value), {})
                for field in fields:
                    columns[build_localized_fieldname(field, language)] = values.get(field, "")
    writer = _Writer(overwrite=overwrite)
    for label, (model, key, _fields) in TRANSLATED.items():
        keys = [key_value for object_label, key_value in per_object if object_label == label]
        for instance in model.objects.filter(**{f"{key}__in": keys}):
            key_value = getattr(instance, key)
            writer.apply(instance, key_value, per_object[(label, key_value)])
    return writer.finish()


def load_content(*, overwrite: bool = False) -> LoadResult:
    created = load_taxonomy()
    created_public, details = load_public_content(overwrite=overwrite)
    texts = load_translations(overwrite=overwrite)
    return LoadResult(
        created=created + created_public,
        texts=details.texts + texts.texts,
        kept=details.kept + texts.kept,
    )
