"""The status workflow of a signal: the only moves a coordinator may make.

new → triaged (by the triage service) → in progress → an outcome → closed. A closed signal can be
reopened, back to in progress, with a reason, because people come back and information arrives late.
"""

from signals.models import Signal

Status = Signal.Status

OUTCOMES = frozenset(
    {
        Status.CARE_ARRANGED,
        Status.REFERRED_POLICE,
        Status.REFERRED_ELSEWHERE,
        Status.NO_TRAFFICKING,
        Status.UNREACHABLE,
    }
)

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(),
    Status.TRIAGED: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: OUTCOMES,
    **{outcome: frozenset({Status.CLOSED, Status.IN_PROGRESS}) for outcome in OUTCOMES},
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}


def allowed_moves(status: str) -> list[str]:
    """The statuses a signal in `status` may move to, in the order of `Signal.Status`."""
    allowed = ALLOWED_MOVES.get(status, frozenset())
    return [choice for choice in Status.values if choice in allowed]


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_MOVES.get(from_status, frozenset())
