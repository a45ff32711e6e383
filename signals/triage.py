"""The triage decision: where a signal goes. A plain function of the signal, without I/O."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from regions.models import Region

from .models import Signal


@dataclass(frozen=True)
class TriageDecision:
    region: Region
    # Untranslated message ids: each reader sees them in their own language.
    reasons: list[str] = field(default_factory=list)


def decide(signal: Signal, national_desk: Region) -> TriageDecision:
    if signal.municipality is not None:
        return TriageDecision(
            region=signal.municipality.region,
            reasons=[gettext_noop("municipality → the region it belongs to")],
        )
    return TriageDecision(
        region=national_desk,
        reasons=[gettext_noop("no Dutch location → national desk")],
    )
