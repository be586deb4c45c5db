from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from network.models import Network


def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/network_list.html", {"networks": Network.objects.all()})
