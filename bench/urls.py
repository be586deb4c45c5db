"""The bench servers' URLs: the product's, and the floor of page benchmarks.

The bare page is a Django view that renders a static template through the product's whole middleware
stack, on the same server, with the same settings: what any Django page costs before its own work.
It exists only here, never in the product's URLs.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/bare.html")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *product_urlpatterns]
