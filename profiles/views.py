from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import EmptyPage
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from profiles import selectors, services
from profiles.forms import (
    AvatarForm,
    BaseProfileLinkFormSet,
    DirectoryFilterForm,
    ProfileForm,
    ProfileLinkFormSet,
)
from profiles.models import Profile, User
from profiles.permissions import AnyUser, can_view_people_directory
from stories.selectors.feed import stories_by

DirectorySelector = Callable[..., selectors.DirectoryPage]


@user_passes_test(can_view_people_directory)  # signed-out visitors are sent to log in
@require_GET
def people_directory(request: HttpRequest) -> HttpResponse:
    return _directory(
        request,
        selectors.people_directory,
        title=_("People"),
        lede=_("Members of the networks: find colleagues by region, sector, language or expertise."),
    )


@require_GET
def champions_directory(request: HttpRequest) -> HttpResponse:
    return _directory(
        request,
        selectors.champions_directory,
        title=_("Champions"),
        lede=_("Members recognised by their networks for driving the agenda forward."),
    )


def _directory(request: HttpRequest, select: DirectorySelector, *, title: str, lede: str) -> HttpResponse:
    viewer: AnyUser = request.user
    form = DirectoryFilterForm(request.GET, viewer=viewer)
    context = {"form": form, "title": title, "lede": lede, "error_forms": [form]}
    if not form.is_valid():
        return render(request, "profiles/directory.html", context, status=400)
    try:
        result = select(viewer=viewer, filters=form.filters(), page=form.page_number())
    except EmptyPage as error:
        raise Http404(_("There is no such page in this list.")) from error
    return render(request, "profiles/directory.html", {**context, "result": result})


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    profile = Profile.objects.select_related("user").get(user=actor)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        links = ProfileLinkFormSet(request.POST, prefix="links")
        avatar_form = AvatarForm(request.POST, request.FILES, prefix="avatar")
        # Every form is validated, so that every problem shows at once.
        if all([form.is_valid(), links.is_valid(), avatar_form.is_valid()]):
            try:
                _save_profile(actor, profile, form, links, avatar_form)
            except ValidationError as error:
                _show_errors(error, form, avatar_form)
                profile.refresh_from_db()
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect(actor)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
        links = ProfileLinkFormSet(initial=ProfileLinkFormSet.initial_for(profile), prefix="links")
        avatar_form = AvatarForm(prefix="avatar")
    context = {
        "form": form,
        "links": links,
        "avatar_form": avatar_form,
        "profile": profile,
        "error_forms": [form, avatar_form, *links.forms],
        "reselect_picture": bool(request.FILES),
    }
    return render(request, "profiles/profile_edit.html", context)


@transaction.atomic
def _save_profile(
    actor: User, profile: Profile, form: ProfileForm, links: BaseProfileLinkFormSet, avatar_form: AvatarForm
) -> None:
    """One save for the whole page: a picture refused undoes the other changes, so the member corrects
    and sends the page again as a whole."""
    services.update_profile(actor=actor, profile=profile, data=form.profile_data(links.links()))
    upload = avatar_form.cleaned_data["avatar"]
    if upload:
        services.set_avatar(actor=actor, profile=profile, upload=upload)
    elif avatar_form.cleaned_data["remove"]:
        services.remove_avatar(actor=actor, profile=profile)


def _show_errors(error: ValidationError, *forms: Form) -> None:
    """Put the errors a service raised beside the fields they are about."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    for field, field_messages in by_field.items():
        form = next((form for form in forms if field in form.fields), forms[0])
        form.add_error(field if field in form.fields else None, field_messages)


@require_GET
def profile_detail(request: HttpRequest, username: str) -> HttpResponse:
    people = User.objects.filter(is_active=True).select_related("profile")
    user = get_object_or_404(people, username__iexact=username)
    if user.username != username:
        return redirect(user, permanent=True)
    detail = selectors.profile_detail(viewer=request.user, user=user)
    context = {"detail": detail, "card": detail.card, "stories": stories_by(viewer=request.user, user=user)}
    return render(request, "profiles/profile_detail.html", context)
