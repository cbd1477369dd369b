"""Forms for a site's own records. Times are entered in the site's local time: the views
activate the site's timezone while a form is bound and rendered."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.category_order import order_categories
from agreements.choices import FACTOR_KEYS, Category, ProtocolStatus, SiteStatus
from agreements.dates import EARLIEST, latest_today
from agreements.hour_stamp import this_hour
from agreements.models import (
    WEEKDAYS,
    DailyAttendance,
    EngagementEvent,
    Interaction,
    Protocol,
    ProtocolClause,
    RubricWeights,
    Site,
    SupportStatement,
)
from agreements.pii_forms import CONFIRM_FIELD, ClauseForm, ConfirmPii
from agreements.selectors import category_use
from agreements.timezones import grouped_choices
from agreements.widgets import DateInput, TimeInput, use_native_inputs

TIMEZONE_CHOICES = grouped_choices()


class SiteRecordForm(ConfirmPii, forms.ModelForm):
    """A form for a record that belongs to one site; the site is never a form field."""

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        if hasattr(self.instance, "site_id") and self.instance.site_id is None:
            self.instance.site = site
        use_native_inputs(self)


class SiteForm(ConfirmPii, forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("Timezone"), choices=TIMEZONE_CHOICES, initial="America/Toronto"
    )

    class Meta:
        model = Site
        fields = [
            "name",
            "slug",
            "organisation",
            "address",
            "city",
            "region",
            "country",
            "timezone",
            "status",
            "opened_on",
            "buffer_metres",
            "research_consent",
            "police_accounts",
            "community_oversight",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_native_inputs(self)
        # The current IANA zones by region; a site's zone from before stays offered.
        zone = self.fields["timezone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = grouped_choices(self.instance.timezone or None)
        slug = self.fields["slug"]
        if self.instance.pk:
            # Links, bundles and API clients rely on the slug: it is fixed once created.
            slug.disabled = True
        else:
            # Filled from the name: in the browser as the name is typed (static/js/slug.js),
            # by `site_save` when left blank.
            slug.required = False
            slug.widget.attrs["data-slug-from"] = "id_name"
            slug.help_text = _(
                "Short name used in links, bundles and the API; filled from the name when "
                "left blank. It cannot be changed later."
            )


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, widget=forms.HiddenInput)
    opens = forms.TimeField(label=_("Opens"), required=False, widget=TimeInput())
    closes = forms.TimeField(label=_("Closes"), required=False, widget=TimeInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("opens") is None) != (data.get("closes") is None):
            raise forms.ValidationError(
                gettext("Enter both the opening and the closing time, or neither for a closed day.")
            )
        return data


HoursFormSet = forms.formset_factory(HoursForm, extra=0, min_num=7, max_num=7, validate_max=True)


def hours_initial(site: Site | None) -> list[dict[str, Any]]:
    rows = {h.weekday: h for h in site.hours.all()} if site and site.pk else {}
    return [
        {
            "weekday": day,
            "opens": rows[day].opens if day in rows else None,
            "closes": rows[day].closes if day in rows else None,
        }
        for day, _ in WEEKDAYS
    ]


def hours_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [
        {
            "weekday": f.cleaned_data["weekday"],
            "opens": f.cleaned_data["opens"],
            "closes": f.cleaned_data["closes"],
        }
        for f in formset.forms
        if f.cleaned_data.get("opens") is not None
    ]


class ProtocolForm(SiteRecordForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ProtocolStatus.DRAFT, _("Draft")),
            (ProtocolStatus.NEGOTIATING, _("Negotiating")),
        ],
        help_text=_("To sign this version, save it, then use “Sign this version…” on its page."),
    )

    class Meta:
        model = Protocol
        fields = [
            "status",
            "created_on",
            "effective_from",
            "review_by",
            "signatories",
            "document",
        ]
        widgets = {
            "signatories": forms.Textarea(attrs={"rows": 3}),
            "document": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }


ClauseFormSet = inlineformset_factory(
    Protocol,
    ProtocolClause,
    form=ClauseForm,
    fields=["topic", "text"],
    extra=2,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 3})},
)


class ProtocolEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Ended on"), help_text=_("The first day this version is no longer in force.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_native_inputs(self)


class ProtocolSignForm(forms.Form):
    """The confirmation page's form: the signing day, the first day in force and, when
    required topics are missing, the signer's acknowledgement that they are."""

    signed_on = forms.DateField(label=_("Signed on"))
    effective_from = forms.DateField(
        label=_("Takes effect on"),
        help_text=_("The first day police are bound by this version."),
    )
    missing_acknowledged = forms.BooleanField(
        label=_("I sign this version without the missing topics listed above."),
        required=False,
    )

    def __init__(self, *args: Any, missing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not missing:
            del self.fields["missing_acknowledged"]
        use_native_inputs(self)


class ProtocolWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log. No personal details."),
    )


class EngagementForm(SiteRecordForm):
    class Meta:
        model = EngagementEvent
        fields = ["date", "kind", "police_ranks_present", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class SupportStatementForm(SiteRecordForm):
    source = forms.URLField(
        label=_("Source"),
        required=False,
        assume_scheme="https",
        help_text=_("Link to the public record, if any."),
    )

    class Meta:
        model = SupportStatement
        fields = ["date", "rank", "stance", "kind", "summary", "source"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class MoreDetails(forms.BaseForm):
    """A form whose rarely used fields (`more_details`) are grouped under a collapsible
    "More details" section, so the common case is short on a phone. The section opens
    itself when one of its fields holds a value or an error, so nothing typed or refused
    is ever hidden. The PII confirmation box comes last, after the section."""

    more_details: tuple[str, ...] = ()
    opens_details_with = ""  # "field=value": choosing it opens the section (in the page's JS)

    def _bound(self, names: list[str]) -> list[BoundField]:
        return [self[name] for name in names if name in self.fields]

    @property
    def essential_fields(self) -> list[BoundField]:
        skip = {*self.more_details, CONFIRM_FIELD}
        return self._bound([name for name in self.fields if name not in skip])

    @property
    def detail_fields(self) -> list[BoundField]:
        return self._bound(list(self.more_details))

    @property
    def trailing_fields(self) -> list[BoundField]:
        return self._bound([CONFIRM_FIELD])

    @property
    def details_open(self) -> bool:
        return any(
            field.errors or field.value() not in (None, "", False, [])
            for field in self.detail_fields
        )


class InteractionForm(MoreDetails, SiteRecordForm):
    # Essential fields first, in the order a phone user answers them; the rest (for
    # requests for information, breaches of a clause, or a written account) below.
    more_details = (
        "legal_basis",
        "disclosed",
        "badge_numbers",
        "clause_topic",
        "resolution",
        "narrative",
    )
    # Choosing a request for information opens the section (static/js/more_details.js):
    # its legal basis and disclosure are required.
    opens_details_with = f"category={Category.INFORMATION_REQUEST}"

    disclosed = forms.NullBooleanField(
        label=_("Disclosed"),
        required=False,
        widget=forms.NullBooleanSelect,
        help_text=_("For requests for information: was anything disclosed?"),
    )

    class Meta:
        model = Interaction
        fields = [
            "occurred_at",
            "category",
            "distance_band",
            "officers_present",
            "plain_clothes",
            "vehicle_present",
            "staff_requested",
            "site_notified",
            "impact",
            "liaison_contacted",
            "source",
            "consent",
            "legal_basis",
            "disclosed",
            "badge_numbers",
            "clause_topic",
            "resolution",
            "narrative",
        ]
        labels = {
            "occurred_at": _("When (local time; minutes are dropped)"),
            "source": _("Who told the site"),
            "consent": _("What the person who reported it agreed to"),
        }
        help_texts = {
            "source": _(
                "Staff observation: staff saw it. Reported by a client: someone who uses "
                "the site told staff. Peer report: it came through the site's peer "
                "oversight body."
            ),
            "consent": _(
                "The site only: kept in this log and left out of every figure that leaves "
                "the site. Anonymous totals: also counted, without any detail, in research "
                "figures. Mediation: may also be raised with the police liaison, in a "
                "summary a manager writes. Ask the person who reported it; staff "
                "observations usually stay at anonymous totals."
            ),
        }
        widgets = {
            "resolution": forms.Textarea(attrs={"rows": 3}),
            "narrative": forms.Textarea(attrs={"rows": 5}),
            "source": forms.RadioSelect,
            "consent": forms.RadioSelect,
        }

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, site=site, **kwargs)
        # Left out of a post (an older page, a script), both keep what the record holds:
        # the model's defaults (staff, anonymous totals) for a new one.
        self.fields["source"].required = False
        self.fields["consent"].required = False
        if not self.is_bound and self.instance.pk is None:
            # Most entries are made as it happens or just after: now, to the hour, at the
            # site (shown in the site's zone, which the views activate).
            self.initial.setdefault("occurred_at", this_hour(site))
        self.fields["category"].choices = category_choices(site)  # type: ignore[attr-defined]


def category_choices(site: Site) -> list[Any]:
    """The category menu: the categories most used at the site first, in a group of their
    own, then the others in SPEC §4 order; plain SPEC order at a site with no log yet."""
    order = order_categories(category_use(site, timezone.now()))
    labels = dict(Category.choices)
    blank = ("", "---------")
    if not order.most_used:
        return [blank, *((c, labels[c]) for c in order.others)]
    return [
        blank,
        (gettext("Most used here"), [(c, labels[c]) for c in order.most_used]),
        (gettext("Other categories"), [(c, labels[c]) for c in order.others]),
    ]


class AttendanceForm(SiteRecordForm):
    class Meta:
        model = DailyAttendance
        fields = ["date", "visits"]


class AsOfForm(forms.Form):
    """The day a scorecard is computed for: any day from 1990 to today at the site."""

    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())

    def __init__(self, *args: Any, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["as_of"].widget.attrs.update({"min": "1990-01-01", "max": today.isoformat()})

    def clean_as_of(self) -> Any:
        day = self.cleaned_data.get("as_of") or self.today
        if day > self.today:
            raise forms.ValidationError(
                gettext("Choose a day up to today (%(today)s).") % {"today": self.today}
            )
        if day < EARLIEST:
            raise forms.ValidationError(
                gettext("Choose a day from %(earliest)s on.") % {"earliest": EARLIEST}
            )
        return day


class DashboardForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *SiteStatus.choices]
    )
    band = forms.ChoiceField(
        label=_("Band"),
        required=False,
        choices=[
            ("", _("Any")),
            ("strong", _("Strong")),
            ("developing", _("Developing")),
            ("fragile", _("Fragile")),
            ("at_risk", _("At risk")),
        ],
    )
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def clean_as_of(self) -> Any:
        day = self.cleaned_data.get("as_of")
        if day and not EARLIEST <= day <= latest_today():
            raise forms.ValidationError(
                gettext("Choose a day from %(earliest)s to today.") % {"earliest": EARLIEST}
            )
        return day

    def __init__(
        self, *args: Any, regions: list[str], sort_keys: tuple[str, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Any")), *((r, r) for r in regions)]  # type: ignore[attr-defined]
        self.fields["sort"].choices = [  # type: ignore[attr-defined]
            ("", ""),
            *((k, k) for k in sort_keys),
            *((f"-{k}", k) for k in sort_keys),
        ]


class WeightsForm(forms.ModelForm):
    class Meta:
        model = RubricWeights
        fields = list(FACTOR_KEYS)
        help_texts = dict.fromkeys(FACTOR_KEYS, _("0 to 10; 1 is the default."))
        labels = {
            "early_engagement": _("F1 Early engagement and dialogue"),
            "senior_support": _("F2 Support from police leadership"),
            "dedicated_liaison": _("F3 Dedicated police liaisons"),
            "entry_presence_agreement": _("F4 Agreement on police entry and presence"),
            "regular_contact": _("F5 Regular non-adversarial contact"),
        }
        widgets = {key: forms.NumberInput(attrs={"min": 0, "max": 10}) for key in FACTOR_KEYS}
