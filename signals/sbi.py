"""The sector of a company: the main sections (A-U) of the Standaard Bedrijfsindeling (SBI 2008).

SOURCE
- CBS, "SBI 2008 - Standaard Bedrijfsindeling 2008"
  (https://www.cbs.nl/nl-nl/onze-diensten/methoden/classificaties/activiteiten/sbi-2008-standaard-bedrijfsindeling-2008):
  the first four digits of the SBI equal the European NACE Rev. 2, so its sections (the letters
  A-U above the two-digit divisions) are NACE's. KVK gives every registered business its SBI code.
- The section names: Regulation (EC) No 1893/2006 establishing NACE Rev. 2, Annex I
  (https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32006R1893) in English, and in
  Dutch the list of sections of NACE-BEL 2008, which follows NACE Rev. 2 to the letter
  (http://docplayer.nl/533673-Nace-bel-2008-economische-activiteitennomenclatuur-met-toelichtingen.html).
- CBS introduces SBI 2025 (NACE Rev. 2.1, sections A-V) step by step from 2025; KVK extracts
  still give SBI 2008 codes, so the sections here are SBI 2008's.

The KvK number (signals.identifiers.normalise_kvk_number): KVK says it is eight digits
(https://kvk.nl/en/starting/kvk-number-all-you-need-to-know, "you are given an 8-digit KVK
number"); no public source found describes a check digit ("a sequence number without further
logic", https://www.virtualoutcomes.io/boekhouding/blog/wat-is-kvk-nummer), unlike the
twelve-digit establishment number or the RSIN. So only the format is checked.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SbiSection(models.TextChoices):
    A = "A", _("A Agriculture, forestry and fishing")
    B = "B", _("B Mining and quarrying")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, gas, steam and air conditioning supply")
    E = "E", _("E Water supply; sewerage, waste management and remediation")
    F = "F", _("F Construction")
    G = "G", _("G Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("H Transportation and storage")
    I = "I", _("I Accommodation and food service activities")  # noqa: E741
    J = "J", _("J Information and communication")
    K = "K", _("K Financial and insurance activities")
    L = "L", _("L Real estate activities")
    M = "M", _("M Professional, scientific and technical activities")
    N = "N", _("N Administrative and support service activities")
    O = "O", _("O Public administration and defence; compulsory social security")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Human health and social work activities")
    R = "R", _("R Arts, entertainment and recreation")
    S = "S", _("S Other service activities")
    T = "T", _("T Households as employers; goods and services for own use")
    U = "U", _("U Extraterritorial organisations and bodies")
