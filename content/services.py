"""Loading the portal's database content: forms of exploitation, indicators, content pages and
help contacts, with their texts in every language from `content/texts/<language>.json`.

The files are where translators work; the admin is where the functional admin edits afterwards.
Loading again is safe: it creates what is missing and fills only empty texts, so edits made in
the admin stay, unless `overwrite` is asked for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from modeltranslation.utils import build_localized_fieldname

from signals.models import ExploitationForm, Indicator, IndicatorCategory

from .models import ContentPage, HelpContact

TAXONOMY_FILE = Path(settings.BASE_DIR) / "signals" / "data" / "taxonomy.json"
TEXTS_DIR = Path(settings.BASE_DIR) / "content" / "texts"

# Per model in the text files: how an object is found, and which of its fields are translated.
TRANSLATED: dict[str, tuple[type[models.Model], str, tuple[str, ...]]] = {
    "signals.exploitationform": (ExploitationForm, "code", ("name", "description", "examples")),
    "signals.indicatorcategory": (IndicatorCategory, "code", ("name",)),
    "signals.indicator": (Indicator, "code", ("name", "public_text", "help_text")),
    "content.contentpage": (ContentPage, "slug", ("title", "summary", "body")),
    "content.helpcontact": (HelpContact, "name_nl", ("name", "description", "opening_hours")),
}


@dataclass
class LoadResult:
    created: int = 0
    texts: int = 0


def _texts(language: str) -> dict:
    path = TEXTS_DIR / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


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
    return created


@transaction.atomic
def load_translations(*, overwrite: bool = False) -> int:
    """Fill the translated fields of every object named in the text files, for every language of
    the portal. Returns how many texts were written."""
    written = 0
    for language, _name in settings.LANGUAGES:
        texts = _texts(language)
        for label, (model, key, fields) in TRANSLATED.items():
            for key_value, values in texts.get(label, {}).items():
                instance = model.objects.filter(**{key: key_value}).first()
                if instance is None:
                    continue
                changed = []
                for field in fields:
                    column = build_localized_fieldname(field, language)
                    value = values.get(field, "")
                    if value and (overwrite or not getattr(instance, column)):
                        setattr(instance, column, value)
                        changed.append(column)
                if changed:
                    instance.save(update_fields=changed)
                    written += len(changed)
    return written


def load_content(*, overwrite: bool = False) -> LoadResult:
    return LoadResult(created=load_taxonomy(), texts=load_translations(overwrite=overwrite))
