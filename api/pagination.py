from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """50 a page by default, at most 200. A page size that is not a positive whole number is
    refused rather than silently replaced."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        for name in (self.page_query_param, self.page_size_query_param):
            values = request.query_params.getlist(name)
            if len(values) > 1:
                raise ValidationError({name: [_("Give this parameter once.")]}, code="invalid")
            if values == [""]:
                raise ValidationError(
                    {name: [_("Give a value, or leave the parameter out.")]}, code="invalid"
                )
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) > 0):
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number from 1.")]}, code="invalid"
            )
        return super().get_page_size(request)
