"""The six world regions of the customs community, and which region each country belongs to.

This is a data table, not logic: a member's region is derived from their country through it when the
profile is saved, so that the directory can filter by region with an indexed column.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    EAST_SOUTHERN_AFRICA = "esa", _("East and Southern Africa")
    WEST_CENTRAL_AFRICA = "wca", _("West and Central Africa")
    MENA = "mena", _("North of Africa, Near and Middle East")
    EUROPE = "eur", _("Europe")
    ASIA_PACIFIC = "ap", _("Asia/Pacific")
    AMERICAS_CARIBBEAN = "amc", _("The Americas and the Caribbean")


_COUNTRIES_BY_REGION: dict[Region, str] = {
    Region.EAST_SOUTHERN_AFRICA: ("AO BW BI KM ER SZ ET KE LS MG MW MU MZ NA RW SC SO ZA SS TZ UG ZM ZW"),
    Region.WEST_CENTRAL_AFRICA: ("BJ BF CM CV CF TD CG CD CI GQ GA GM GH GN GW LR ML MR NE NG ST SN SL TG"),
    Region.MENA: "DZ BH DJ EG IQ JO KW LB LY MA OM PS QA SA SD SY TN AE YE",
    Region.EUROPE: (
        "AL AD AM AT AZ BY BE BA BG HR CY CZ DK EE FI FR GE DE GR HU IS IE IL IT KZ XK KG LV LI LT "
        "LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH TJ TR TM UA GB UZ VA"
    ),
    Region.ASIA_PACIFIC: (
        "AF AU BD BT BN KH CN FJ HK IN ID IR JP KI KR LA MO MY MV MH FM MN MM NR NP NZ PK PW PG PH "
        "WS SG SB LK TW TH TL TO TV VU VN"
    ),
    Region.AMERICAS_CARIBBEAN: (
        "AG AR AW BS BB BZ BM BO BR CA KY CL CO CR CU CW DM DO EC SV GD GT GY HT HN JM MX MS NI PA "
        "PY PE KN LC VC SR TT TC US UY VE"
    ),
}

REGION_BY_COUNTRY: dict[str, Region] = {
    code: region for region, codes in _COUNTRIES_BY_REGION.items() for code in codes.split()
}


def region_for_country(country_code: str) -> Region | None:
    """The region of an ISO 3166-1 alpha-2 country code, or None for a country outside the table."""
    return REGION_BY_COUNTRY.get(country_code.upper()) if country_code else None
