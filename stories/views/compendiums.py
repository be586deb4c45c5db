"""The pages of a network's compendiums: thin translations of HTTP into selector reads and service calls,
every one working without JavaScript.

Readers see a compendium's published versions and what it holds now; its network's admins arrange it
(chapters, case studies, their order) and publish it as numbered versions. A version is a document with
a printable page and a download: one self-contained HTML file. As for calls, a network one may not see
answers 404, an action one may not take 403 with the reason, and a form refused comes back with what
was typed, with status 400.
"""

from functools import cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import BadRequest, ImproperlyConfigured, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.pages import form_status, refusals_shown, signed_in
from forums.permissions.roles import raise_if
from stories.forms.compendiums import SUGGESTED_CHAPTERS, ChapterForm, CompendiumForm, EntryForm, MoveForm
from stories.models import Compendium, CompendiumEntry
from stories.selectors import compendiums as selectors
from stories.selectors.calls import NetworkVisit
from stories.services import compendiums as services
from stories.views.calls import network_for_reader


def _compendium_for_reader(
    request: HttpRequest, network_slug: str, compendium_id: int
) -> tuple[NetworkVisit, Compendium]:
    found = selectors.compendium_for_reader(request.user, network_slug, compendium_id)
    if found is None:
        raise Http404(_("No compendium is found at this address."))
    return found


def _compendium_for_curator(
    request: HttpRequest, network_slug: str, compendium_id: int
) -> tuple[NetworkVisit, Compendium]:
    visit, found = _compendium_for_reader(request, network_slug, compendium_id)
    raise_if(visit.run_refusal)
    return visit, found


# --- The list ---------------------------------------------------------------------------------------


@refusals_shown
@require_GET
def compendium_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    visit = network_for_reader(request, network_slug)
    context = {"network": visit.network, "visit": visit, "rows": selectors.compendium_list(visit)}
    return render(request, "stories/compendium_list.html", context)


@refusals_shown
@login_required
@require_http_methods(["GET", "POST"])
def compendium_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    visit = network_for_reader(request, network_slug)
    raise_if(visit.run_refusal)
    initial = {"chapters": "\n".join(str(chapter) for chapter in SUGGESTED_CHAPTERS)}
    form = CompendiumForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            created = services.create_compendium(
                actor=signed_in(request), network=visit.network, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The compendium “%(title)s” is created.") % {"title": created.title})
            return redirect(created)
    context = {"network": visit.network, "form": form, "forms": [form]}
    return render(request, "stories/compendium_form.html", context, status=form_status(form))


# --- One compendium ---------------------------------------------------------------------------------


@refusals_shown
@require_GET
def compendium(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    visit, found = _compendium_for_reader(request, network_slug, pk)
    return _render_compendium(request, visit, found)


def _render_compendium(
    request: HttpRequest,
    visit: NetworkVisit,
    found: Compendium,
    *,
    chapter_form: ChapterForm | None = None,
    entry_form: EntryForm | None = None,
) -> HttpResponse:
    page = selectors.compendium_page(found)
    forms: list[ChapterForm | EntryForm] = []
    if visit.can_run:
        chapters = [view.chapter for view in page.chapters]
        forms = [
            chapter_form or ChapterForm(),
            entry_form or EntryForm(chapters=chapters, stories=selectors.addable_stories(found)),
        ]
    context = {
        "network": visit.network,
        "visit": visit,
        "compendium": found,
        "page": page,
        "chapter_form": forms[0] if forms else None,
        "entry_form": forms[1] if forms else None,
        "forms": forms,
    }
    return render(request, "stories/compendium_detail.html", context, status=form_status(*forms))


@refusals_shown
@login_required
@require_POST
def chapter_add(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    visit, found = _compendium_for_curator(request, network_slug, pk)
    form = ChapterForm(request.POST)
    if form.is_valid():
        try:
            chapter = services.add_chapter(actor=signed_in(request), compendium=found, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The chapter “%(title)s” is added.") % {"title": chapter.title})
            return redirect(found)
    return _render_compendium(request, visit, found, chapter_form=form)


@refusals_shown
@login_required
@require_POST
def entry_add(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    visit, found = _compendium_for_curator(request, network_slug, pk)
    chapters = list(found.chapters.order_by("position", "pk"))
    form = EntryForm(request.POST, chapters=chapters, stories=selectors.addable_stories(found))
    if form.is_valid():
        try:
            entry = services.add_to_compendium(actor=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("“%(story)s” is added to “%(chapter)s”.")
                % {"story": entry.story.title, "chapter": entry.chapter.title},
            )
            return redirect(found)
    return _render_compendium(request, visit, found, entry_form=form)


def _entry(found: Compendium, entry_id: int) -> CompendiumEntry:
    entry = get_object_or_404(
        CompendiumEntry.objects.select_related("chapter", "story"), chapter__compendium=found, pk=entry_id
    )
    entry.chapter.compendium = found
    return entry


@refusals_shown
@login_required
@require_POST
def entry_move(request: HttpRequest, network_slug: str, pk: int, entry_id: int) -> HttpResponse:
    _visit, found = _compendium_for_curator(request, network_slug, pk)
    entry = _entry(found, entry_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise BadRequest(_("Choose to move the case study up or down."))
    try:
        services.move_entry(actor=signed_in(request), entry=entry, direction=form.cleaned_data["direction"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(story)s” is moved.") % {"story": entry.story.title})
    return redirect(found)


@refusals_shown
@login_required
@require_POST
def entry_remove(request: HttpRequest, network_slug: str, pk: int, entry_id: int) -> HttpResponse:
    _visit, found = _compendium_for_curator(request, network_slug, pk)
    entry = _entry(found, entry_id)
    services.remove_entry(actor=signed_in(request), entry=entry)
    messages.success(
        request,
        _("“%(story)s” is taken out of “%(chapter)s”. Published versions keep it.")
        % {"story": entry.story.title, "chapter": entry.chapter.title},
    )
    return redirect(found)


@refusals_shown
@login_required
@require_POST
def publish(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    _visit, found = _compendium_for_curator(request, network_slug, pk)
    try:
        version = services.publish_compendium_version(actor=signed_in(request), compendium=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(found)
    version.compendium = found
    messages.success(request, _("Version %(number)d is published.") % {"number": version.number})
    return redirect(version)


# --- A published version ----------------------------------------------------------------------------


def _document(request: HttpRequest, network_slug: str, pk: int, number: int) -> selectors.VersionDocument:
    version = selectors.version_for_reader(request.user, network_slug, pk, number)
    if version is None:
        raise Http404(_("This compendium has no such version."))
    return selectors.version_document(version)


@refusals_shown
@require_GET
def version(request: HttpRequest, network_slug: str, pk: int, number: int) -> HttpResponse:
    document = _document(request, network_slug, pk, number)
    context = {"network": document.version.compendium.network, "document": document}
    return render(request, "stories/compendium_version.html", context)


@refusals_shown
@require_GET
def download(request: HttpRequest, network_slug: str, pk: int, number: int) -> HttpResponse:
    """The version as one HTML file, its style inline and nothing fetched from elsewhere, to keep,
    print or pass on."""
    document = _document(request, network_slug, pk, number)
    source = request.build_absolute_uri(document.version.get_absolute_url())
    context = {"document": document, "source": source, "document_style": _document_style()}
    html = render_to_string("stories/compendium_download.html", context)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@cache
def _document_style() -> SafeString:
    """The printable page's stylesheet, to copy into the downloaded file: our own file, not escaped (a
    `<style>` element reads no character references)."""
    found = finders.find("css/compendium.css")
    if not isinstance(found, str):
        raise ImproperlyConfigured("static/css/compendium.css is missing from the static files.")
    return mark_safe(Path(found).read_text(encoding="utf-8"))  # noqa: S308
