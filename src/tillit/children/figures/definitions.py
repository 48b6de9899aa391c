"""The definitions printed on the page and in every download (see the package's docstring)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEFINITIONS = [
    (
        _("I tid"),
        _(
            "Klar senast den lagstadgade dagen för tidsgränsen, efter flytt enligt lag (1930:173) "
            "om tidsgränsen slutar på en lördag, söndag eller helgdag. En förlängning räknas inte "
            "som i tid: förlängda ärenden som passerat den lagstadgade dagen redovisas för sig."
        ),
    ),
    (
        _("Andel i tid"),
        _(
            "I tid delat med summan av i tid, förlängda och sena. Pågående ingår inte. "
            "Avrundas till en decimal."
        ),
    ),
    (
        _("Period"),
        _(
            "Skyddsbedömningar och förhandsbedömningar räknas i den månad eller det kvartal då "
            "anmälan kom in (datum i svensk tid: en anmälan kl. 23.30 den 31 mars hör till mars). "
            "Utredningar räknas i den period då de avslutades."
        ),
    ),
    (
        _("Pågående"),
        _(
            "Ännu inte klar och den lagstadgade dagen har inte passerats (bedömt per den dag "
            "siffrorna tas fram). Räknas inte i andelen."
        ),
    ),
    (
        _("Sena"),
        _(
            "Klar efter den lagstadgade dagen utan förlängning, eller fortfarande inte klar fast "
            "den lagstadgade dagen har passerats."
        ),
    ),
    (
        _("Förlängda"),
        _(
            "Inte klar senast den lagstadgade dagen men förlängd genom beslut "
            "(synnerliga skäl för förhandsbedömning, särskilda skäl för utredning)."
        ),
    ),
    (
        _("Öppna utredningar över tidsgränsen"),
        _(
            "Utredningar som var inledda men inte avslutade vid periodens slut (eller i dag, för "
            "en pågående period) och vars lagstadgade dag hade passerats då."
        ),
    ),
    (
        _("Mediantid"),
        _(
            "Antal kalenderdagar från anmälans mottagande till beslut i förhandsbedömningen, "
            "och från beslut om att inleda till avslut för utredningar, för dem som är klara. "
            "Vid jämnt antal är medianen medelvärdet av de två mittersta."
        ),
    ),
    (
        _("Förlängningar"),
        _(
            "Antal beslut om förlängning som fattades under perioden (ett ärende som förlängts "
            "två gånger räknas två gånger). Skälen visas i fritext bara för enhetschef och "
            "kvalitetsutvecklare för enheten; alla andra ser antal."
        ),
    ),
]
