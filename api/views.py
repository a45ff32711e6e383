"""The API's endpoints. Each one checks access through `access.selectors` (404 when denied) and
calls the owning app's services; serializers only validate and shape."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from access import roles
from access.permissions import CONTRIBUTE, TRIAGE
from access.selectors import get_signal_for
from access.services import log_read
from coordination import registration_selectors
from coordination import selectors as coordination_selectors
from coordination import services as coordination_services
from inbox.services import mark_read
from intake.professional import selectors as pro_selectors
from intake.professional import services as professional_intake
from intake.public import services as public_intake
from opvang import selectors as opvang_selectors
from opvang import services as opvang_services
from regions import places
from regions.models import Municipality, Region
from signals import receipts
from signals import selectors as signal_selectors
from signals.models import Indicator

from . import selectors
from .exceptions import error_body
from .filters import MunicipalityFilter, SignalFilter
from .permissions import IsFullySignedInOrApiKey
from .serializers import (
    AdditionSerializer,
    AnswerSerializer,
    AssignSerializer,
    ExploitationFormSerializer,
    FreePlacesSerializer,
    IndicatorSerializer,
    MergeSerializer,
    MoveSerializer,
    MunicipalitySerializer,
    NoteSerializer,
    OfferSerializer,
    PlaceLookupSerializer,
    PlacementRequestSerializer,
    PlaceQuerySerializer,
    PublicReportSerializer,
    QuestionSerializer,
    ReceiptSerializer,
    RegionSerializer,
    RegistrationSerializer,
    ShareResultSerializer,
    ShareSerializer,
    SignalDetailSerializer,
    SignalListSerializer,
    SplitSerializer,
    TransferSerializer,
)
from .throttling import ClientThrottle, PublicReportThrottle

READ_PURPOSE = "API: signal details"

ErrorSerializer = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorDetail",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(child=serializers.JSONField()),
            },
        )
    },
)


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(ErrorSerializer) for code in codes}


READ_ERRORS = errors(400, 401, 403, 404, 429)
WRITE_ERRORS = errors(400, 401, 403, 404, 405, 415, 429)


def _language(requested: str | None) -> str:
    language = requested or translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# Public


@extend_schema(
    request=PublicReportSerializer,
    responses={201: ReceiptSerializer, 409: OpenApiResponse(ErrorSerializer), **WRITE_ERRORS},
    summary="Report a signal anonymously (the public form's service)",
)
class PublicReportView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicReportThrottle, ClientThrottle]

    def post(self, request):
        serializer = PublicReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        code = receipts.new_code()
        report = public_intake.PublicReport(
            language=_language(data.pop("language", None)),
            submission_key=data.pop("submission_key", None) or uuid.uuid4(),
            receipt_code=code,
            **data,
        )
        signal, created = public_intake.receive_public_report(report)
        if not created:
            return Response(
                error_body(
                    "already_received",
                    _("This report was received before; its receipt code was given then."),
                ),
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            ReceiptSerializer({"receipt_code": code, "in_danger": signal.is_urgent}).data,
            status=status.HTTP_201_CREATED,
        )


# Reference data, open to anyone: partners need the codes before they report.


@extend_schema(responses={200: RegionSerializer(many=True), **READ_ERRORS})
class RegionList(generics.ListAPIView):
    """The coordinator areas and the national desk, with the coordinators' published contacts."""

    permission_classes = [AllowAny]
    serializer_class = RegionSerializer
    queryset = Region.objects.order_by("code").prefetch_related("contacts")


@extend_schema(
    parameters=[PlaceQuerySerializer],
    responses={200: PlaceLookupSerializer, **READ_ERRORS},
    summary="Find the municipality of a place as people name it (the public form's lookup)",
)
class PlaceLookup(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ClientThrottle]

    def get(self, request):
        query = PlaceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = places.lookup(query.validated_data["q"])
        return Response(
            PlaceLookupSerializer(
                {"outcome": result.outcome.value, "candidates": result.candidates}
            ).data
        )


@extend_schema(responses={200: MunicipalitySerializer(many=True), **READ_ERRORS})
class MunicipalityList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = MunicipalitySerializer
    queryset = Municipality.objects.select_related("region").order_by("code")
    filter_backends = [DjangoFilterBackend]
    filterset_class = MunicipalityFilter


@extend_schema(responses={200: ExploitationFormSerializer(many=True), **READ_ERRORS})
class ExploitationFormList(generics.ListAPIView):
    """Names and texts in the language of the Accept-Language header."""

    permission_classes = [AllowAny]
    serializer_class = ExploitationFormSerializer

    def get_queryset(self):
        return signal_selectors.exploitation_forms()


@extend_schema(responses={200: IndicatorSerializer(many=True), **READ_ERRORS})
class IndicatorList(generics.ListAPIView):
    """The indicators in the language of the Accept-Language header. Without signing in only
    those asked on the public form."""

    permission_classes = [AllowAny]
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        signed_in = IsFullySignedInOrApiKey().has_permission(self.request, self)
        indicators = Indicator.objects.all() if signed_in else signal_selectors.public_indicators()
        return indicators.select_related("category").prefetch_related("forms")


# Signals


@extend_schema(responses={200: SignalListSerializer(many=True), **READ_ERRORS})
class SignalList(generics.ListAPIView):
    """The signals the caller's organisation submitted, handles, or that were shared with it."""

    serializer_class = SignalListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SignalFilter

    def get_queryset(self):
        return pro_selectors.submitted_signals_for(self.request.user)


@extend_schema(responses={200: SignalDetailSerializer, **READ_ERRORS})
class SignalDetail(APIView):
    """Every read is written to the access log."""

    def get(self, request, public_id):
        signal = get_signal_for(request.user, public_id)
        log_read(request.user, signal=signal, purpose=READ_PURPOSE)
        mark_read(signal, user=request.user)
        detail = coordination_selectors.case_detail(request.user, signal)
        return Response(SignalDetailSerializer(detail.signal, context={"detail": detail}).data)


@extend_schema(request=AdditionSerializer, responses={201: AdditionSerializer, **WRITE_ERRORS})
class AdditionCreate(APIView):
    """The submitting organisation adds information to its signal (aanvulling)."""

    def post(self, request, public_id):
        signal = get_signal_for(request.user, public_id, perm=CONTRIBUTE)
        serializer = AdditionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addition = professional_intake.add_information(
            signal, user=request.user, text=serializer.validated_data["text"]
        )
        return Response(AdditionSerializer(addition).data, status=status.HTTP_201_CREATED)


@extend_schema(request=AnswerSerializer, responses={200: QuestionSerializer, **WRITE_ERRORS})
class AnswerQuestion(APIView):
    """The submitting organisation answers a coordinator's question, once."""

    def post(self, request, public_id, question_id):
        signal = get_signal_for(request.user, public_id, perm=CONTRIBUTE)
        question = (
            coordination_selectors.questions_for(signal).filter(public_id=question_id).first()
        )
        if question is None:
            raise Http404
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = coordination_services.answer_question(
            question, by=request.user, answer=serializer.validated_data["answer"]
        )
        return Response(QuestionSerializer(question).data)


class _CoordinatorAction(APIView):
    """A coordinator operation: 404 without triage permission, 400 when the service refuses."""

    request_serializer: type[serializers.Serializer]

    def post(self, request, public_id):
        signal = get_signal_for(request.user, public_id, TRIAGE)
        serializer = self.request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.act(signal, serializer.validated_data)

    def act(self, signal, data) -> Response:
        raise NotImplementedError


@extend_schema(request=MoveSerializer, responses={200: SignalListSerializer, **WRITE_ERRORS})
class MoveSignal(_CoordinatorAction):
    request_serializer = MoveSerializer

    def act(self, signal, data):
        signal = coordination_services.move_signal(signal, by=self.request.user, **data)
        return Response(SignalListSerializer(signal).data)


@extend_schema(request=AssignSerializer, responses={200: SignalListSerializer, **WRITE_ERRORS})
class AssignSignal(_CoordinatorAction):
    request_serializer = AssignSerializer

    def act(self, signal, data):
        assignee = None
        if data["assignee"] is not None:
            assignee = coordination_selectors.assignable_colleague(
                self.request.user, signal, email=data["assignee"]
            )
            if assignee is None:
                # The same answer for an address of nobody and one of another organisation: the
                # API must not tell whether an account exists.
                raise DjangoValidationError(
                    {
                        "assignee": _(
                            "There is no coordinator of your organisation with this e-mail address."
                        )
                    }
                )
        signal = coordination_services.assign_signal(
            signal, by=self.request.user, assignee=assignee
        )
        return Response(SignalListSerializer(signal).data)


@extend_schema(request=NoteSerializer, responses={201: NoteSerializer, **WRITE_ERRORS})
class AddNote(_CoordinatorAction):
    """An internal note for the caller's own organisation only."""

    request_serializer = NoteSerializer

    def act(self, signal, data):
        note = coordination_services.add_note(signal, by=self.request.user, body=data["body"])
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


@extend_schema(request=QuestionSerializer, responses={201: QuestionSerializer, **WRITE_ERRORS})
class AskSubmitter(_CoordinatorAction):
    """Ask the organisation that submitted the signal; it answers through its own page or key."""

    request_serializer = QuestionSerializer

    def act(self, signal, data):
        question = coordination_services.ask_submitter(
            signal, by=self.request.user, text=data["text"]
        )
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


@extend_schema(request=TransferSerializer, responses={204: None, **WRITE_ERRORS})
class TransferSignal(_CoordinatorAction):
    """Hand the signal to another region; the caller's access ends (see the settings)."""

    request_serializer = TransferSerializer

    def act(self, signal, data):
        coordination_services.transfer_signal(
            signal, by=self.request.user, region=data["region"], reason=data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(request=ShareSerializer, responses={201: ShareResultSerializer, **WRITE_ERRORS})
class ShareSignal(_CoordinatorAction):
    """Share with another organisation on a recorded legal basis, until a date."""

    request_serializer = ShareSerializer

    def act(self, signal, data):
        share = coordination_services.share_with_organisation(signal, by=self.request.user, **data)
        return Response(ShareResultSerializer(share).data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={200: ShareResultSerializer, **WRITE_ERRORS})
class RevokeShare(APIView):
    """End one of the signal's shares at once: the organisation's access stops with its next
    request. Logged; revoking a revoked share changes nothing."""

    def post(self, request, public_id, share_id):
        signal = get_signal_for(request.user, public_id, TRIAGE)
        try:
            share = coordination_services.revoke_share_of(
                signal, share_id=share_id, by=request.user
            )
        except DjangoValidationError:
            raise Http404 from None
        return Response(ShareResultSerializer(share).data)


@extend_schema(request=MergeSerializer, responses={204: None, **WRITE_ERRORS})
class MergeSignal(_CoordinatorAction):
    """Mark another signal as a duplicate of this one (samenvoegen). The caller must be able to
    handle both; the duplicate keeps all its data and leaves the queue."""

    request_serializer = MergeSerializer

    def act(self, signal, data):
        try:
            duplicate = coordination_selectors.triageable_signal_by_reference(
                self.request.user, data["duplicate"]
            )
        except coordination_selectors.AmbiguousReference:
            raise DjangoValidationError(
                {"duplicate": _("More than one signal starts with this reference.")}
            ) from None
        if duplicate is None:
            raise DjangoValidationError(
                {"duplicate": _("There is no signal with this reference that you may handle.")}
            )
        coordination_services.merge_signals(
            signal, duplicate, by=self.request.user, reason=data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(request=SplitSerializer, responses={204: None, **WRITE_ERRORS})
class SplitSignal(_CoordinatorAction):
    """Undo a merge: this signal is its own signal again, back in the queue in its status."""

    request_serializer = SplitSerializer

    def act(self, signal, data):
        coordination_services.split_signal(signal, by=self.request.user, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# Opvang


def _offer_context(user, offers) -> dict:
    address_visible = roles.address_visible_for(user)
    return {
        "address_visible": {
            offer.public_id for offer in offers if address_visible(offer.provider_id)
        }
    }


@extend_schema(responses={200: OfferSerializer(many=True), **READ_ERRORS})
class OfferList(generics.ListAPIView):
    """Active offers with their free places, free and fresh first. The confidential address
    only for coordinators and the provider itself."""

    serializer_class = OfferSerializer

    def get_queryset(self):
        if not roles.may_use_overview(self.request.user):
            raise Http404
        return opvang_selectors.overview_offers()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = _offer_context(request.user, page)
        return self.get_paginated_response(OfferSerializer(page, many=True, context=context).data)


@extend_schema(request=FreePlacesSerializer, responses={200: OfferSerializer, **WRITE_ERRORS})
class OfferFreePlaces(APIView):
    """The provider sets the number of free places of one of its own offers."""

    def patch(self, request, public_id):
        offer = opvang_selectors.own_offer_or_404(request.user, public_id)
        serializer = FreePlacesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not opvang_services.set_free_places(
            offer, free_places=serializer.validated_data["free_places"]
        ):
            raise DjangoValidationError(
                {
                    "free_places": _("At most %(total)d, the offer's total places.")
                    % {"total": offer.total_places}
                }
            )
        offer = opvang_selectors.own_offer_or_404(request.user, public_id)
        context = _offer_context(request.user, [offer])
        return Response(OfferSerializer(offer, context=context).data)


@extend_schema(responses={200: PlacementRequestSerializer(many=True), **READ_ERRORS})
class PlacementRequestList(generics.ListAPIView):
    """Requests to the caller's shelter offers and the requests its coordinators sent."""

    serializer_class = PlacementRequestSerializer

    def get_queryset(self):
        return selectors.placement_requests_for(self.request.user)


@extend_schema(responses={200: RegistrationSerializer(many=True), **READ_ERRORS})
class RegistrationList(generics.ListAPIView):
    """CoMensha's organisation reads the registrations of victims, pseudonymised, newest first:
    the rows of its CSV export. Anyone else gets 404."""

    serializer_class = RegistrationSerializer

    def get_queryset(self):
        if not roles.may_read_registrations(self.request.user):
            raise Http404
        return registration_selectors.registrations()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [row.as_dict() for row in registration_selectors.registration_rows(page)]
        return self.get_paginated_response(RegistrationSerializer(rows, many=True).data)
