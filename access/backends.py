"""Object permissions on a signal, asked the Django way: `user.has_perm(perm, signal)`.

One truth for access: the answer is `access.selectors.can`, which reads the organisations'
group permissions and the active shares. No permission is ever granted to a single user.
"""

from django.contrib.auth.backends import BaseBackend

from signals.models import Signal

from .permissions import SIGNAL_PERMISSIONS
from .selectors import can


class SignalPermissionBackend(BaseBackend):
    """Authenticates nobody; answers object permissions on a signal, and on nothing else."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return isinstance(obj, Signal) and perm in SIGNAL_PERMISSIONS and can(user_obj, perm, obj)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not isinstance(obj, Signal):
            return set()
        return {perm for perm in SIGNAL_PERMISSIONS if can(user_obj, perm, obj)}
