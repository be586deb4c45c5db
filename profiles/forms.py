from django import forms
from django.http import HttpRequest

from profiles.models import User


class SignupForm(forms.Form):
    display_name = forms.CharField(max_length=80)

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
