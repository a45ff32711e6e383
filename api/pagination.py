from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def _is_positive_whole_number(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and int(raw) > 0


class Pagination(PageNumberPagination):
    """50 a page by default, at most 200. A page or page size that is not a positive whole number
    is refused with 400 rather than silently replaced; the schema says so (minimum 1), so that
    what it allows and what is answered agree."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        for name in (self.page_query_param, self.page_size_query_param):
            values = request.query_params.getlist(name)
            if len(values) > 1:
                raise ValidationError({name: [_("Give this parameter once.")]}, code="invalid")
            if values and not _is_positive_whole_number(values[0]):
                raise ValidationError({name: [_("Give a whole number from 1.")]}, code="invalid")
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
