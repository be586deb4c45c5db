"""The search page: a plain GET form, so that a search is a link one can share, bookmark or go back to."""

from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search import selectors
from search.forms import SearchForm


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET, viewer=request.user)
    context = {"form": form, "error_forms": [form]}
    if not form.is_valid():
        return render(request, "search/results.html", context, status=400)
    arguments = form.search_arguments()
    if not arguments["query"]:
        return render(request, "search/results.html", context)
    try:
        found = selectors.search(request.user, **arguments)
    except EmptyPage as error:
        raise Http404(_("There is no such page of results.")) from error
    return render(request, "search/results.html", {**context, "found": found})
