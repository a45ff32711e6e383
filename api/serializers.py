"""Shapes of the API's requests and answers. Identifiers are public UUIDs or codes, never ids."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.models import Share
from coordination.models import NOTE_MAX_LENGTH, Note, Registration
from opvang.models import MAX_PLACES, Offer, PlacementRequest
from organisations.models import Organisation
from regions import places
from regions.models import AreaContact, Municipality, Region
from signals import identifiers
from signals.models import (
    DESCRIPTION_MAX_LENGTH,
    Addition,
    Attachment,
    BankAccount,
    Company,
    ContactWishes,
    ExploitationForm,
    Indicator,
    Location,
    Person,
    PoliceHandover,
    Question,
    ReflectionPeriod,
    ReportingDecision,
    ResidenceApplication,
    Signal,
    SignalEvent,
    Vehicle,
    Website,
)

# JSON has types: a number is not accepted where text is asked, nor text for a number.


# A character that is not white space as Python sees it (str.isspace, what DRF trims): a text
# that must not be blank needs one. Written out, not as \S, so that every reader of the schema
# (ECMAScript's \s differs from Python's) means the same characters.
_NOT_ONLY_SPACE = RegexValidator(
    "[^" + "".join(f"\\u{code:04x}" for code in range(0x3001) if chr(code).isspace()) + "]"
)


class StrictCharField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not (self.allow_blank or self.read_only):
            # Only for the schema: a text of spaces alone (non-breaking ones too) is trimmed to
            # nothing and refused as blank; the pattern tells clients so.
            self.validators.append(_NOT_ONLY_SPACE)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # The schema's maxLength is of the text as sent: DRF would measure it after trimming.
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictUUIDField(serializers.UUIDField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class CodeField(serializers.SlugRelatedField):
    """An object named by its code or public id. Text that cannot be one (a NUL byte, too long,
    not a valid UUID) is refused before it reaches the database."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "invalid": _("Not a valid code."),
    }

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for relations; here "" is no code at all.
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data or len(data) > 64:
            self.fail("invalid")
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }


# Regions, municipalities and content


class AreaContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = AreaContact
        fields = ["organisation", "phone", "phone_alt", "email", "audience"]


class RegionSerializer(serializers.ModelSerializer):
    contacts = AreaContactSerializer(many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "kind", "is_active", "contacts"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "region"]


class PlaceQuerySerializer(serializers.Serializer):
    q = StrictCharField(
        max_length=120,
        help_text=_("A place as people name it: town, village, municipality or postcode."),
    )


class PlaceCandidateSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.code")
    municipality_name = serializers.CharField(source="municipality.name")
    region = serializers.CharField(source="municipality.region.code")
    label = serializers.CharField()


class PlaceLookupSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["found", "ambiguous", "unknown", "empty"],
        help_text=_("found: one municipality; ambiguous: choose one of the candidates."),
    )
    candidates = PlaceCandidateSerializer(many=True)


class ExploitationFormSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExploitationForm
        fields = ["code", "name", "description", "examples"]


class IndicatorSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    forms = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "category",
            "category_name",
            "name",
            "public_text",
            "help_text",
            "forms",
            "is_public",
        ]


# The public report


class PublicReportSerializer(serializers.Serializer):
    """What the public form asks, in one request."""

    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    location_kind = serializers.ChoiceField(
        choices=Signal.LocationKind.choices, default=Signal.LocationKind.UNKNOWN
    )
    municipality = CodeField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "CBS code, e.g. GM0363; required when location_kind is municipality, unless place "
            "names it."
        ),
    )
    place = StrictCharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text=_(
            "Instead of a code: the place as the reporter names it (Den Haag, Naaldwijk, 2671). "
            "A name shared by several municipalities is refused with the candidates."
        ),
    )
    occurred_when = StrictCharField(max_length=200, required=False, allow_blank=True)
    people_count = StrictIntegerField(min_value=0, max_value=32767, required=False, allow_null=True)
    involves_minor = StrictBooleanField(required=False, allow_null=True, default=None)
    is_urgent = StrictBooleanField(default=False)
    forms = CodeField(
        slug_field="code", queryset=ExploitationForm.objects.all(), many=True, required=False
    )
    indicators = CodeField(
        slug_field="code",
        queryset=Indicator.objects.filter(is_public=True),
        many=True,
        required=False,
    )
    contact_name = StrictCharField(max_length=200, required=False, allow_blank=True)
    contact_phone = StrictCharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text=_("Stored in E.164; a Dutch number may be given without +31."),
    )
    contact_email = StrictEmailField(max_length=254, required=False, allow_blank=True)
    victim_wants_police = serializers.ChoiceField(
        choices=Signal.Wish.choices,
        default=Signal.Wish.UNKNOWN,
        help_text=_("Whether the possible victim wants the police involved."),
    )
    victim_wants_immigration = serializers.ChoiceField(
        choices=Signal.Wish.choices,
        default=Signal.Wish.UNKNOWN,
        help_text=_("Whether the possible victim wants the immigration authorities involved."),
    )
    submission_key = StrictUUIDField(
        required=False,
        help_text=_("A random UUID per report: sending the same report twice stores it once."),
    )

    # The one normalisation of every intake channel (signals.identifiers).
    def validate_contact_phone(self, value: str) -> str:
        return identifiers.normalise_phone(value) if value else ""

    def validate_contact_email(self, value: str) -> str:
        return identifiers.normalise_email(value) if value else ""

    def validate(self, data):
        kind = data.get("location_kind", Signal.LocationKind.UNKNOWN)
        name = data.pop("place", "")
        if kind == Signal.LocationKind.MUNICIPALITY and data.get("municipality") is None and name:
            data["municipality"] = self._place(name)
        if kind == Signal.LocationKind.MUNICIPALITY and data.get("municipality") is None:
            raise serializers.ValidationError(
                {"municipality": _("Name the municipality, or choose another kind of place.")},
                code="required",
            )
        if kind != Signal.LocationKind.MUNICIPALITY:
            data["municipality"] = None
        return data

    @staticmethod
    def _place(name: str) -> Municipality:
        result = places.lookup(name)
        if result.outcome is places.Outcome.AMBIGUOUS:
            raise serializers.ValidationError(
                {
                    "place": _("“%(name)s” is in more than one municipality: %(choices)s.")
                    % {
                        "name": name,
                        "choices": "; ".join(
                            f"{c.municipality.code} ({c.label})" for c in result.candidates
                        ),
                    }
                },
                code="ambiguous",
            )
        if result.municipality is None:
            raise serializers.ValidationError(
                {"place": _("We do not know this place.")}, code="unknown"
            )
        return result.municipality


class ReceiptSerializer(serializers.Serializer):
    receipt_code = serializers.CharField(
        help_text=_("Shown only now. With it the reporter follows the report on the website.")
    )
    in_danger = serializers.BooleanField()


# Signals


class SignalListSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    submitted_by = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Signal
        fields = [
            "public_id",
            "created_at",
            "status",
            "source",
            "region",
            "priority",
            "deadline",
            "is_urgent",
            "involves_minor",
            "submitted_by",
        ]


class PersonSerializer(serializers.ModelSerializer):
    phone_numbers = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "public_id",
            "role",
            "name",
            "date_of_birth",
            "estimated_age",
            "gender",
            "nationality",
            "language",
            "email",
            "phone_numbers",
            *ContactWishes.WISH_FIELDS,
            "street",
            "house_number",
            "postcode",
            "city",
        ]


class LocationSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Location
        fields = [
            "public_id",
            "kind",
            "municipality",
            "street",
            "house_number",
            "postcode",
            "city",
            "description",
        ]


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["public_id", "plate", "country", "description"]


class WebsiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Website
        fields = ["public_id", "url", "domain"]


class BankAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankAccount
        fields = ["public_id", "iban", "holder"]


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = [
            "public_id",
            "name",
            "kvk_number",
            "sector",
            "street",
            "house_number",
            "postcode",
            "city",
        ]


class ReflectionPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReflectionPeriod
        fields = ["offered_by", "starts_on", "ends_on", "outcome", "outcome_on", "b8_follows"]


class ResidenceApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResidenceApplication
        fields = ["applied_on", "outcome", "decided_on"]


class ReportingDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingDecision
        fields = ["decision", "decided_on"]


class PoliceHandoverSerializer(serializers.ModelSerializer):
    class Meta:
        model = PoliceHandover
        fields = ["handed_over_on", "feedback", "feedback_on"]


class ProceduresSerializer(serializers.Serializer):
    """The procedures on a case (read-only; recorded on the case page), each null until
    recorded."""

    reflection_period = ReflectionPeriodSerializer(allow_null=True)
    residence_application = ResidenceApplicationSerializer(allow_null=True)
    reporting_decision = ReportingDecisionSerializer(allow_null=True)
    police_handover = PoliceHandoverSerializer(allow_null=True)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["public_id", "original_name", "content_type", "size", "uploaded_at"]


class AdditionSerializer(StrictModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="public_id", read_only=True)

    class Meta:
        model = Addition
        fields = ["public_id", "organisation", "text", "created_at"]
        read_only_fields = ["public_id", "organisation", "created_at"]


class QuestionSerializer(StrictModelSerializer):
    """A coordinator's question to the submitting organisation, with its answer once given."""

    class Meta:
        model = Question
        fields = ["public_id", "text", "asked_at", "answer", "answered_at"]
        read_only_fields = ["public_id", "asked_at", "answer", "answered_at"]


class AnswerSerializer(serializers.Serializer):
    answer = StrictCharField(max_length=Question.TEXT_MAX_LENGTH)


class ShareResultSerializer(serializers.ModelSerializer):
    """A share as its signal's coordinators review it; revoke it by its `public_id`."""

    organisation = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    # Empty when a routing rule shared it (youth care for a minor), not a person.
    shared_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    victim_wants_police = serializers.CharField(
        source="signal.victim_wants_police",
        read_only=True,
        help_text=_("The possible victim's answer: do they want the police involved?"),
    )
    victim_wants_immigration = serializers.CharField(
        source="signal.victim_wants_immigration",
        read_only=True,
        help_text=_("The possible victim's answer: do they want the immigration authorities?"),
    )

    class Meta:
        model = Share
        fields = [
            "public_id",
            "organisation",
            "organisation_name",
            "legal_basis",
            "purpose",
            "ends_on",
            "created_at",
            "shared_by",
            "revoked_at",
            "is_active",
            "victim_wants_police",
            "victim_wants_immigration",
        ]


class ReporterContactSerializer(serializers.Serializer):
    """A public reporter's contact details, given with their consent to be contacted about this
    report; `by_phone`: they asked to be called back, in the report's language; `about_reporter`:
    it happens to the reporter themself."""

    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    language = serializers.CharField()
    by_phone = serializers.BooleanField()
    about_reporter = serializers.BooleanField()
    contact_channel = serializers.CharField(help_text=_("How it is safe to contact them."))
    contact_times = serializers.ListField(child=serializers.CharField())
    contact_voicemail = serializers.BooleanField(allow_null=True)
    contact_sms = serializers.BooleanField(allow_null=True)
    contact_language = serializers.CharField()
    contact_interpreter = serializers.BooleanField(allow_null=True)


class SignalDetailSerializer(SignalListSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    forms = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    persons = PersonSerializer(many=True, read_only=True)
    companies = CompanySerializer(many=True, read_only=True)
    locations = LocationSerializer(many=True, read_only=True)
    vehicles = VehicleSerializer(many=True, read_only=True)
    websites = WebsiteSerializer(many=True, read_only=True)
    bank_accounts = BankAccountSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    additions = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField(
        help_text=_(
            "The signal this one was merged into as a duplicate, if it was and the caller may "
            "read that signal; otherwise null."
        ),
    )
    reporter_contact = serializers.SerializerMethodField(
        help_text=_(
            "For the signal's coordinators: the public reporter's contact details, if they "
            "agreed to be contacted; otherwise null."
        ),
    )
    shares = serializers.SerializerMethodField(
        help_text=_("For the signal's coordinators: every share, to review or revoke it.")
    )
    procedures = serializers.SerializerMethodField(
        help_text=_(
            "For the signal's coordinators: the reflection period, the B8/3 residence "
            "application, the decision about reporting to the police and the handover to the "
            "police; otherwise null."
        )
    )

    class Meta(SignalListSerializer.Meta):
        fields = [
            *SignalListSerializer.Meta.fields,
            "description",
            "language",
            "location_kind",
            "municipality",
            "own_reference",
            "victim_consent",
            "victim_wants_police",
            "victim_wants_immigration",
            "track",
            "triaged_at",
            "occurred_when",
            "people_count",
            "merged_into",
            "forms",
            "indicators",
            "persons",
            "companies",
            "locations",
            "vehicles",
            "websites",
            "bank_accounts",
            "attachments",
            "additions",
            "questions",
            "reporter_contact",
            "shares",
            "procedures",
        ]

    # What was written about the signal afterwards, as far as the caller may see it: the view
    # passes the signal's coordination.selectors.case_detail, which the pages show too.
    @extend_schema_field(AdditionSerializer(many=True))
    def get_additions(self, signal) -> list[dict]:
        return AdditionSerializer(self.context["detail"].additions, many=True).data

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, signal) -> list[dict]:
        return QuestionSerializer(self.context["detail"].questions, many=True).data

    @extend_schema_field(ReporterContactSerializer(allow_null=True))
    def get_reporter_contact(self, signal) -> dict | None:
        contact = self.context["detail"].reporter_contact
        return ReporterContactSerializer(contact).data if contact else None

    @extend_schema_field(ShareResultSerializer(many=True))
    def get_shares(self, signal) -> list[dict]:
        return ShareResultSerializer(self.context["detail"].shares, many=True).data

    @extend_schema_field(ProceduresSerializer(allow_null=True))
    def get_procedures(self, signal) -> dict | None:
        procedures = self.context["detail"].procedures
        if procedures is None:
            return None
        return ProceduresSerializer(
            {
                "reflection_period": procedures.reflection.period
                if procedures.reflection
                else None,
                "residence_application": procedures.residence_application,
                "reporting_decision": procedures.reporting_decision,
                "police_handover": procedures.police_handover,
            }
        ).data

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_merged_into(self, signal) -> str | None:
        kept = self.context["detail"].merged_into
        return str(kept.public_id) if kept else None


# Coordinator operations


AGAINST_WISHES_HELP = _(
    "Why the caller acts against the possible victim's wish (victim_wants_police, "
    "victim_wants_immigration); required when they do not want the authority involved, unless a "
    "minor is involved or someone is in danger now."
)


class MoveSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Signal.Status.choices)
    reason = StrictCharField(max_length=SignalEvent.REASON_MAX_LENGTH)
    against_wishes_reason = StrictCharField(
        max_length=SignalEvent.REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=AGAINST_WISHES_HELP,
    )


class AssignSerializer(serializers.Serializer):
    assignee = StrictEmailField(
        allow_null=True,
        help_text=_("E-mail address of a coordinator of your organisation, or null for nobody."),
    )


class NoteSerializer(StrictModelSerializer):
    class Meta:
        model = Note
        fields = ["public_id", "body", "created_at"]
        read_only_fields = ["public_id", "created_at"]
        extra_kwargs = {"body": {"max_length": NOTE_MAX_LENGTH}}


class TransferSerializer(serializers.Serializer):
    region = CodeField(slug_field="code", queryset=Region.objects.all())
    reason = StrictCharField(max_length=SignalEvent.REASON_MAX_LENGTH)


class ShareSerializer(serializers.Serializer):
    organisation = CodeField(slug_field="public_id", queryset=Organisation.objects.all())
    legal_basis = serializers.ChoiceField(choices=Share.LegalBasis.choices)
    purpose = StrictCharField(max_length=Share.PURPOSE_MAX_LENGTH)
    ends_on = serializers.DateField()
    against_wishes_reason = StrictCharField(
        max_length=SignalEvent.REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=AGAINST_WISHES_HELP,
    )


class MergeSerializer(serializers.Serializer):
    duplicate = StrictCharField(
        max_length=200,
        help_text=_(
            "The public id of the signal that reports the same situation, or its first 8 or more "
            "characters."
        ),
    )
    reason = StrictCharField(max_length=SignalEvent.REASON_MAX_LENGTH)


class SplitSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=SignalEvent.REASON_MAX_LENGTH)


# Opvang


class OfferSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    forms = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    address = serializers.SerializerMethodField()
    is_stale = serializers.BooleanField(read_only=True)

    class Meta:
        model = Offer
        fields = [
            "public_id",
            "name",
            "kind",
            "provider",
            "provider_name",
            "region",
            "municipality",
            "genders",
            "accepts_adults",
            "accepts_minors",
            "accepts_children",
            "wheelchair_access",
            "secure_address",
            "languages",
            "forms",
            "address",
            "total_places",
            "free_places",
            "updated_at",
            "is_stale",
        ]

    def get_address(self, offer) -> str | None:
        """The confidential address, for coordinators and the provider itself only."""
        return offer.address if offer.public_id in self.context["address_visible"] else None


class FreePlacesSerializer(serializers.Serializer):
    free_places = StrictIntegerField(min_value=0, max_value=MAX_PLACES)


class PlacementRequestSerializer(serializers.ModelSerializer):
    offer = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    offer_name = serializers.CharField(source="offer.name", read_only=True)
    requesting_organisation = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    # Who decides: the provider, or CoMensha for a COSM place.
    placing_organisation = serializers.SlugRelatedField(slug_field="public_id", read_only=True)

    class Meta:
        model = PlacementRequest
        fields = [
            "public_id",
            "offer",
            "offer_name",
            "requesting_organisation",
            "placing_organisation",
            "status",
            "needs",
            "reason",
            "created_at",
            "answered_at",
        ]


class RegistrationSerializer(serializers.Serializer):
    """A victim registered with CoMensha, pseudonymised: codes and dates, no name, contact
    detail or free text. `pseudonym` is the same for the same person; `reference` names the
    registration, not the case."""

    reference = serializers.UUIDField()
    pseudonym = serializers.CharField()
    reported_on = serializers.DateField()
    form = serializers.CharField(help_text="The form of exploitation's code.")
    sector = serializers.ChoiceField(choices=Registration.Sector.choices)
    nationality = serializers.CharField(help_text="ISO 3166-1 alpha-2; empty when unknown.")
    age_group = serializers.ChoiceField(choices=Registration.AgeGroup.choices)
    gender = serializers.ChoiceField(choices=Person.Gender.choices)
    reporter_kind = serializers.ChoiceField(choices=Registration.REPORTER_KINDS)
    area = serializers.CharField(help_text="The area's code (see /regions/).")
    legal_basis = serializers.ChoiceField(choices=Share.LegalBasis.choices)
    registered_on = serializers.DateField()
    registered_by_organisation = serializers.CharField()
