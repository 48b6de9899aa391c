"""Letters to the customers of a stopped provider: one PDF, one page per customer.

One PDF rather than a zip of files: the officer prints the batch in one go and folds each
page into a window envelope; a zip would have to be unpacked and each file opened and printed.
Customers with protected personal data (skyddade personuppgifter) get no letter in the batch:
their address is not printed in a list anyone may print; the stop page names them so that
their letter is sent by the municipality's routine for protected data (via Skatteverket).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.access.presentation import PersonCard
from tillit.kundval.models import (
    Authorisation,
    StopDecidedBy,
    StopHandover,
    StopKind,
)
from tillit.pdf import Document

# The customer is asked to tell their choice within this many days of the later of the stop
# date and the letter's date; not choosing keeps the default provider.
REPLY_DAYS = 30


def _show(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


@dataclass(frozen=True)
class Letter:
    card: PersonCard
    district: str
    from_date: dt.date
    handed_to: str | None
    providers: Sequence[str]


def reply_by(authorisation: Authorisation, made_on: dt.date) -> dt.date:
    assert authorisation.stopped_from is not None  # noqa: S101 - only stopped ones get letters
    return max(authorisation.stopped_from, made_on) + dt.timedelta(days=REPLY_DAYS)


def choosable(authorisation: Authorisation, on: dt.date) -> dict[int, list[str]]:
    """district id -> the names of the providers a customer there may choose on the date
    (authorised for the area, serving the district), the stopped one left out."""
    found: dict[int, list[str]] = {}
    for other in (
        Authorisation.objects.in_force(on)
        .filter(area=authorisation.area_id)
        .exclude(provider=authorisation.provider_id)
        .select_related("provider")
        .prefetch_related("districts")
        .order_by("provider__name")
    ):
        for district in other.districts.all():
            found.setdefault(district.pk, []).append(other.provider.name)
    return found


def letters(
    authorisation: Authorisation,
    handovers: Sequence[StopHandover],
    cards: Mapping[int, PersonCard],
    made_on: dt.date,
) -> list[Letter]:
    """A letter per handed-over customer whose card is given and not protected."""
    assert authorisation.stopped_from is not None  # noqa: S101 - only stopped ones get letters
    providers = choosable(authorisation, max(authorisation.stopped_from, made_on))
    made = []
    for handover in handovers:
        card = cards.get(handover.voucher.individual_id)
        if card is None or card.is_protected:
            continue
        decision = handover.voucher.decision
        made.append(
            Letter(
                card=card,
                district=decision.district.name,
                from_date=handover.from_date,
                handed_to=handover.handed_to.name if handover.handed_to else None,
                providers=providers.get(decision.district_id, []),
            )
        )
    return made


def letters_pdf(
    authorisation: Authorisation, found: Sequence[Letter], *, made_on: dt.date, contact: str
) -> bytes:
    """The letters in the house layout (tillit.pdf), a page each; `contact` is the unit the
    customer tells their choice to."""
    area = authorisation.area
    assert authorisation.stopped_from is not None  # noqa: S101 - only stopped ones get letters
    document = Document(
        title=_("Du kan behöva välja ny utförare"),
        municipality=area.municipality.name,
        made_on=made_on,
        numbered=False,
    )
    stopped = _show(authorisation.stopped_from)
    what = (
        _("är avstängd")
        if authorisation.stop_kind == StopKind.SUSPENDED
        else _("har fått sin auktorisation återkallad")
    )
    who_decided = (
        _("Ordföranden i nämnden har fattat beslutet i brådskande ordning.")
        if authorisation.stop_decided_by == StopDecidedBy.CHAIR
        else _("Nämnden har fattat beslutet.")
    )
    answer_by = _show(reply_by(authorisation, made_on))
    for letter in found:
        document.start_page()
        document.paragraph("\n".join(filter(None, [letter.card.name, letter.card.address])))
        document.facts([(_("Personnummer"), letter.card.personal_number)])
        document.ln(4)
        document.heading(_("Vad har hänt?"))
        document.paragraph(
            _(
                "%(provider)s %(what)s och får från och med %(date)s inte längre utföra "
                "%(service)s (%(area)s) åt kommunen. %(who)s"
            )
            % {
                "provider": authorisation.provider.name,
                "what": what,
                "date": stopped,
                "service": area.get_service_kind_display().lower(),
                "area": area.name,
                "who": who_decided,
            }
        )
        document.heading(_("Vem hjälper dig nu?"))
        if letter.handed_to is not None:
            document.paragraph(
                _(
                    "Från och med %(date)s får du hjälp av %(provider)s, som är kommunens "
                    "ickevalsalternativ. Du behöver inte göra något för att få hjälp."
                )
                % {"date": _show(letter.from_date), "provider": letter.handed_to}
            )
        else:
            document.paragraph(
                _(
                    "Kommunen kontaktar dig för att ordna din hjälp från och med %(date)s. "
                    "Du kan också själv kontakta %(contact)s."
                )
                % {"date": _show(letter.from_date), "contact": contact}
            )
        document.heading(_("Så väljer du utförare"))
        document.paragraph(
            _(
                "Du har rätt att välja vilken utförare som ska hjälpa dig. Kontakta "
                "%(contact)s och berätta vilken utförare du väljer. Ditt val börjar gälla den "
                "dag du önskar; från och med %(date)s behöver du inte vänta ut någon omvalsfrist."
            )
            % {"contact": contact, "date": stopped}
        )
        if letter.providers:
            document.paragraph(
                _("Utförare du kan välja bland i %(district)s:") % {"district": letter.district}
                + "\n"
                + "\n".join(f"• {name}" for name in letter.providers)
            )
        document.heading(_("Senast när?"))
        document.paragraph(
            _(
                "Meddela ditt val senast %(date)s. Väljer du inte fortsätter %(provider)s att "
                "hjälpa dig, och du kan välja en annan utförare senare."
            )
            % {
                "date": answer_by,
                "provider": letter.handed_to or _("den utförare kommunen ordnar"),
            }
        )
        document.paragraph(
            _("Med vänliga hälsningar\n%(contact)s, %(municipality)s")
            % {"contact": contact, "municipality": area.municipality.name}
        )
    return document.render()
