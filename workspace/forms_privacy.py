"""Forms for sharing interactions and for secret protocol links."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import InteractionShare, ProtocolLink
from agreements.pii_forms import ConfirmPii


class ShareForm(ConfirmPii, forms.ModelForm):
    class Meta:
        model = InteractionShare
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        labels = {"summary": _("Summary for the liaison")}


class ProtocolLinkForm(ConfirmPii, forms.ModelForm):
    class Meta:
        model = ProtocolLink
        fields = ["label"]
