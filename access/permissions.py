"""The permissions on a signal, named once here and imported wherever access is checked."""

VIEW = "signals.view_signal"
CHANGE = "signals.change_signal"
TRIAGE = "signals.triage_signal"
CONTRIBUTE = "signals.contribute_signal"
# Every permission that access grants on a signal (signals.Signal.Meta.permissions adds two).
SIGNAL_PERMISSIONS = (VIEW, CHANGE, TRIAGE, CONTRIBUTE)

# What each kind of access allows on a signal.
SUBMITTER_PERMISSIONS = (VIEW, CONTRIBUTE)
COORDINATOR_PERMISSIONS = (VIEW, CHANGE, TRIAGE)
READ_PERMISSIONS = (VIEW,)


def codename(permission: str) -> str:
    """The codename the Permission table stores: "view_signal" for "signals.view_signal"."""
    return permission.split(".", 1)[1]
