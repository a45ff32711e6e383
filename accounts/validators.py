"""Password rules on top of Django's validators (length ≥ 12, common passwords, similarity)."""

from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PatternPasswordValidator:
    """Refuse passwords that are only a repeated unit ("abcabcabc…") or a straight run ("abcdef…").

    Such passwords pass a length rule but are among the first an attacker tries.
    """

    def validate(self, password: str, user=None) -> None:
        if is_repetition(password) or is_sequence(password):
            raise ValidationError(
                _(
                    "This password is only a repeated or sequential pattern. "
                    "Choose a less predictable one."
                ),
                code="password_pattern",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be only a repeated or sequential pattern.")


def is_repetition(password: str) -> bool:
    """True when the password is one shorter string repeated, e.g. "aaaa" or "abab"."""
    return len(password) > 1 and (password + password).find(password, 1) < len(password)


def is_sequence(password: str) -> bool:
    """True when each character is one step up (or each one down) from the one before."""
    codes = [ord(char) for char in password.lower()]
    steps = {b - a for a, b in pairwise(codes)}
    return len(password) > 2 and steps in ({1}, {-1})
