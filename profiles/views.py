from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from profiles.models import User


def profile_detail(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username)
    return render(request, "profiles/profile_detail.html", {"member": user})
