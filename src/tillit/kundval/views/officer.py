"""The kundvalshandläggare's pages: areas and prices, applications, decisions and choices."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed, logged_in
from tillit.access.reading import staff_user, viewer_for
from tillit.audit.models import AccessAction
from tillit.directory.person_forms import SearchForm
from tillit.directory.search import person_filter
from tillit.form_errors import apply_errors
from tillit.individuals.models import Individual
from tillit.kundval import forms, letters
from tillit.kundval.access import (
    area_for,
    decision_customer,
    officer_areas,
    officer_municipalities,
    officers,
    read_customers,
    read_voucher,
    refuse_number,
)
from tillit.kundval.actions import authorisation as authorisation_actions
from tillit.kundval.actions import pricing as pricing_actions
from tillit.kundval.actions import vouchers as voucher_actions
from tillit.kundval.models import (
    ApplicationStatus,
    Authorisation,
    AuthorisationApplication,
    PaymentRun,
    StopDecidedBy,
    StopHandover,
    StopKind,
    Voucher,
)
from tillit.organisation.models import Provider
from tillit.paging import page_of


@allowed(officers)
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    municipalities = officer_municipalities(viewer)
    return render(
        request,
        "kundval/home.html",
        {
            "areas": officer_areas(viewer).annotate(providers=Count("authorisations")),
            "open_applications": AuthorisationApplication.objects.filter(
                municipality__in=municipalities, status=ApplicationStatus.SUBMITTED
            ).count(),
            "runs": PaymentRun.objects.filter(municipality__in=municipalities)[:6],
        },
    )


@allowed(officers)
def area(request: HttpRequest, area_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    return render(
        request,
        "kundval/area.html",
        {
            "area": found,
            "price_lists": found.price_lists.current()
            .prefetch_related("rates")
            .order_by("-valid_from"),
            "districts": found.districts.all(),
            "authorisations": found.authorisations.select_related("provider").prefetch_related(
                "districts"
            ),
            "index_changes": found.index_changes.all(),
            "price_form": forms.PriceListForm(area=found),
            "index_form": forms.IndexChangeForm(),
        },
    )


@allowed(officers)
def price_list_new(request: HttpRequest, area_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    form = forms.PriceListForm(request.POST or None, area=found)
    if request.method == "POST" and form.is_valid():
        try:
            pricing_actions.create_price_list(
                by=staff_user(request),
                area=found,
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                rates=form.rates(),
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Prislistan är sparad."))
            return redirect("kundval:area", area_id=found.pk)
    return render(request, "kundval/form.html", _page(form, _("Ny prislista"), found))


@allowed(officers)
def index_change(request: HttpRequest, area_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = area_for(viewer, area_id)
    form = forms.IndexChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pricing_actions.apply_index_change(
                area=found,
                percent=form.cleaned_data["percent"],
                effective_from=form.cleaned_data["effective_from"],
                decision=form.cleaned_data["decision"],
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Uppräkningen är tillämpad."))
            return redirect("kundval:area", area_id=found.pk)
    return render(request, "kundval/form.html", _page(form, _("Uppräkning"), found))


def _page(form: Form, title: str, area: object = None, **extra: object) -> dict[str, object]:
    return {"form": form, "title": title, "area": area, **extra}


@allowed(officers)
def applications(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    page = page_of(
        AuthorisationApplication.objects.filter(municipality__in=officer_municipalities(viewer))
        .prefetch_related("areas")
        .order_by("-submitted_on", "-pk"),
        request,
    )
    return render(request, "kundval/applications.html", {"applications": page.rows, "page": page})


@allowed(officers)
def application_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    areas = officer_areas(viewer)
    form = forms.ApplicationForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        municipality = data["areas"][0].municipality
        try:
            made = authorisation_actions.submit_application(
                by=staff_user(request),
                municipality=municipality,
                name=data["name"],
                organisation_number=data["organisation_number"],
                contact_name=data["contact_name"],
                email=data["email"],
                phone=data["phone"],
                areas=list(data["areas"]),
                districts=list(data["districts"]),
                capacity=data["capacity"],
                is_municipal=data["is_municipal"],
                submitted_on=viewer.today,
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Ansökan är registrerad."))
            return redirect("kundval:application", application_id=made.pk)
    return render(request, "kundval/form.html", _page(form, _("Registrera ansökan")))


@allowed(officers)
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = AuthorisationApplication.objects.filter(
        pk=application_id, municipality__in=officer_municipalities(viewer)
    ).first()
    if found is None:
        raise Http404
    approve_form = forms.ApproveForm(request.POST if "approve" in request.POST else None)
    refuse_form = forms.RefuseForm(request.POST if "refuse" in request.POST else None)
    items = list(found.review_items.select_related("terms"))
    if request.method == "POST":
        try:
            if "review" in request.POST:
                authorisation_actions.review(
                    found,
                    {
                        i.pk: (
                            request.POST.get(f"fulfilled_{i.pk}") == "on",
                            request.POST.get(f"note_{i.pk}", "")[:500],
                        )
                        for i in items
                    },
                    by=staff_user(request),
                )
                messages.success(request, _("Granskningen är sparad."))
                return redirect("kundval:application", application_id=found.pk)
            if "approve" in request.POST and approve_form.is_valid():
                authorisation_actions.approve(
                    found,
                    by=staff_user(request),
                    decided_on=viewer.today,
                    contract_from=approve_form.cleaned_data["contract_from"],
                    contract_to=approve_form.cleaned_data["contract_to"],
                    reasons=approve_form.cleaned_data["reasons"],
                )
                messages.success(request, _("Ansökan är godkänd och anordnaren auktoriserad."))
                return redirect("kundval:application", application_id=found.pk)
            if "refuse" in request.POST and refuse_form.is_valid():
                authorisation_actions.refuse(
                    found,
                    by=staff_user(request),
                    decided_on=viewer.today,
                    reasons=refuse_form.cleaned_data["reasons"],
                )
                messages.success(request, _("Ansökan är avslagen."))
                return redirect("kundval:application", application_id=found.pk)
        except ValidationError as error:
            if "review" in request.POST or found.status != ApplicationStatus.SUBMITTED:
                # No form shows it (the review has none; a decided application shows neither
                # the approval nor the refusal): the refusal goes on top of the page.
                for message in error.messages:
                    messages.error(request, message)
            else:
                apply_errors(refuse_form if "refuse" in request.POST else approve_form, error)
    return render(
        request,
        "kundval/application.html",
        {
            "application": found,
            "items": items,
            "approve_form": approve_form,
            "refuse_form": refuse_form,
            "is_open": found.status == ApplicationStatus.SUBMITTED,
        },
    )


def _officers_authorisation(request: HttpRequest, authorisation_id: int) -> Authorisation:
    found = (
        Authorisation.objects.filter(
            pk=authorisation_id, area__in=officer_areas(viewer_for(request))
        )
        .select_related("provider", "area__municipality", "area__unit")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _handovers(authorisation: Authorisation) -> list[StopHandover]:
    return list(
        StopHandover.objects.filter(authorisation=authorisation)
        .select_related("voucher__individual", "voucher__decision__district", "handed_to")
        .order_by("voucher__individual__last_name", "voucher__individual__first_name", "from_date")
    )


@allowed(officers)
def authorisation_stop(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    """Register a stop; once stopped, the page lists the customers who must choose again
    (logged as a list read) with their letters."""
    viewer = viewer_for(request)
    found = _officers_authorisation(request, authorisation_id)
    form = forms.StopForm(request.POST or None)
    if found.stopped_from is None and request.method == "POST" and form.is_valid():
        try:
            authorisation_actions.stop(
                found,
                kind=StopKind(form.cleaned_data["kind"]),
                decided_by=StopDecidedBy(form.cleaned_data["decided_by"]),
                from_date=form.cleaned_data["from_date"],
                today=viewer.today,
                reason=form.cleaned_data["reason"],
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Beslutet är registrerat. Kunderna nedan ska välja om."))
            return redirect("kundval:authorisation_stop", authorisation_id=found.pk)
    affected = None
    if found.stopped_from is not None:
        handovers = _handovers(found)
        cards = {
            c.id: c for c in read_customers(request, [h.voucher.individual for h in handovers])
        }
        affected = [
            (h, cards[h.voucher.individual_id])
            for h in handovers
            if h.voucher.individual_id in cards
        ]
    return render(
        request,
        "kundval/stop.html",
        {"authorisation": found, "form": form, "affected": affected},
    )


@allowed(officers)
def authorisation_letters(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    """The letters to the customers of a stopped provider, one PDF page each; printing them
    is logged per customer."""
    viewer = viewer_for(request)
    found = _officers_authorisation(request, authorisation_id)
    if found.stopped_from is None:
        raise Http404
    handovers = _handovers(found)
    cards = {
        c.id: c
        for c in read_customers(
            request,
            [h.voucher.individual for h in handovers if not h.voucher.individual.is_protected],
            action=AccessAction.PRINT,
        )
    }
    made = letters.letters(found, handovers, cards, viewer.today)
    response = HttpResponse(
        letters.letters_pdf(found, made, made_on=viewer.today, contact=found.area.unit.name),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="brev-omval-{found.pk}.pdf"'
    return response


@allowed(officers)
def customers(request: HttpRequest) -> HttpResponse:
    """The officer's vouchers by customer name, a page at a time, searchable by name and
    personnummer; only the customers on the page are read (one log write for the page)."""
    viewer = viewer_for(request)
    form = SearchForm(request.GET if request.GET.get("q") else None)
    vouchers = Voucher.objects.filter(area__in=officer_areas(viewer))
    if form.is_bound and form.is_valid():
        try:
            vouchers = vouchers.filter(
                person_filter(viewer, form.cleaned_data["q"], "individual__")
            )
        except ValidationError as error:
            form.add_error("q", error)
            vouchers = vouchers.none()
    elif form.is_bound:
        vouchers = vouchers.none()
    page = page_of(
        vouchers.select_related("individual", "area").order_by(
            "individual__last_name", "individual__first_name", "individual_id", "-valid_from", "pk"
        ),
        request,
    )
    cards = {c.id: c for c in read_customers(request, [v.individual for v in page.rows])}
    rows = [(v, cards[v.individual_id]) for v in page.rows if v.individual_id in cards]
    return render(request, "kundval/customers.html", {"rows": rows, "page": page, "form": form})


@allowed(officers)
def decision_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = forms.DecisionForm(request.POST or None, areas=officer_areas(viewer))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        number = data["personal_number"]
        subject: Individual | voucher_actions.NewCustomer | None = decision_customer(
            request, number
        )
        if subject is None:
            subject = form.new_customer()
            if subject is None:
                refuse_number(request, number)
                return render(request, "kundval/form.html", _page(form, _("Nytt biståndsbeslut")))
        try:
            voucher = voucher_actions.grant_decision(
                individual=subject,
                area=data["area"],
                district=data["district"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                decided_on=data["decided_on"],
                by=staff_user(request),
                hours_per_month=data["hours_per_month"],
                level=data["level"],
                extent=data["extent"],
                days_per_month=data["days_per_month"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Beslutet är registrerat och checken utfärdad."))
            return redirect("kundval:voucher", voucher_id=voucher.pk)
    return render(request, "kundval/form.html", _page(form, _("Nytt biståndsbeslut")))


@allowed(logged_in)
def voucher(request: HttpRequest, voucher_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found, card = read_voucher(request, voucher_id)
    context: dict[str, object] = {
        "voucher": found,
        "card": card,
        "choices": found.choices.select_related("provider").order_by("valid_from"),
    }
    if officers(viewer) and found.area.unit_id in viewer.kundval_unit_ids:
        context["choice_form"] = forms.ChoiceForm(
            providers=_authorised(found), initial={"chosen_on": viewer.today}
        )
    return render(request, "kundval/voucher.html", context)


def _authorised(voucher: Voucher) -> object:
    return Provider.objects.filter(
        authorisations__area=voucher.area_id,
        authorisations__districts=voucher.decision.district_id,
    ).distinct()


@allowed(officers)
def choose(request: HttpRequest, voucher_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found, card = read_voucher(request, voucher_id)
    if found.area.unit_id not in viewer.kundval_unit_ids:
        raise Http404
    form = forms.ChoiceForm(request.POST or None, providers=_authorised(found))
    if request.method == "POST" and form.is_valid():
        try:
            voucher_actions.choose_provider(
                voucher=found,
                provider=form.cleaned_data["provider"],
                chosen_on=form.cleaned_data["chosen_on"],
                wanted_from=form.cleaned_data["wanted_from"],
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Valet är registrerat."))
            return redirect("kundval:voucher", voucher_id=found.pk)
    return render(
        request,
        "kundval/voucher.html",
        {
            "voucher": found,
            "card": card,
            "choices": found.choices.select_related("provider").order_by("valid_from"),
            "choice_form": form,
        },
    )
