"""The queue's page cursor: where a page starts or ends, as an opaque token in the query string.

Keyset ("seek") pagination: a page is "the next 25 after this signal in the queue's order", so
no page costs more than the first, however deep, and nothing is counted to get there. The token
holds the sort key of the signal at the page's edge (its public id as the tie-breaker, never the
database id) and that signal's position, which the page shows as "1-25 of about N": about,
because signals come and go while someone pages.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

# Stands in for "no deadline" so that the deadline sorts last and compares as one row value;
# the same value is in the index signal_queue_idx.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)
MAX_TOKEN_LENGTH = 300


@dataclass(frozen=True)
class QueueCursor:
    priority: int
    deadline: datetime
    created_at: datetime
    public_id: uuid.UUID
    position: int  # how many signals come before this one in the queue

    def key(self) -> tuple:
        return (self.priority, self.deadline, self.created_at, self.public_id)

    def encode(self) -> str:
        fields = [
            self.priority,
            self.deadline.isoformat(),
            self.created_at.isoformat(),
            str(self.public_id),
            self.position,
        ]
        return base64.urlsafe_b64encode(json.dumps(fields).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> QueueCursor | None:
        """The cursor in `token`; None for anything that is not one (the page then starts over)."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            priority, deadline, created_at, public_id, position = json.loads(raw)
            cursor = cls(
                priority=int(priority),
                deadline=datetime.fromisoformat(deadline),
                created_at=datetime.fromisoformat(created_at),
                public_id=uuid.UUID(public_id),
                position=max(int(position), 0),
            )
        except (binascii.Error, ValueError, TypeError, AttributeError, OverflowError):
            return None
        if cursor.deadline.tzinfo is None or cursor.created_at.tzinfo is None:
            return None
        return cursor
