from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

KIND_LABELS = {
    "name": _("name"),
    "phone": _("phone number"),
    "email": _("e-mail address"),
    "receipt_code": _("receipt code"),
}


@register.filter
def kind_labels(kinds) -> str:
    """The kinds of identifier a search used or matched on, in the reader's language."""
    return ", ".join(str(KIND_LABELS.get(kind, kind)) for kind in sorted(kinds))
