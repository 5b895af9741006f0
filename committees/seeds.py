"""The majority table as pmot ships it, with the cases the constitution fixes at two thirds of
all members (CPEUM art. 115, fr. II, b and d). The administrator may change it afterwards."""

AGREEMENT_TYPES = [
    # code, name, majority, base, secret ballot allowed, legal basis
    ("general", "Acuerdo general", "simple", "present", False, ""),
    ("venue", "Declaración de recinto oficial", "simple", "present", False, ""),
    ("minutes", "Aprobación de acta", "simple", "present", False, ""),
    ("appointment", "Nombramiento", "absolute", "present", True, ""),
    (
        "designation",
        "Designación del órgano coordinador del PMOT",
        "absolute",
        "all",
        False,
        "LGAHOTDU art. 11",
    ),
    (
        "real_estate",
        "Actos sobre el patrimonio inmobiliario municipal",
        "qualified",
        "all",
        False,
        "CPEUM art. 115, fr. II, inciso b)",
    ),
    (
        "beyond_term",
        "Actos que obligan al municipio más allá del periodo del Ayuntamiento",
        "qualified",
        "all",
        False,
        "CPEUM art. 115, fr. II, inciso b)",
    ),
    (
        "state_service",
        "Solicitud para que el Estado asuma una función o servicio municipal",
        "qualified",
        "all",
        False,
        "CPEUM art. 115, fr. II, inciso d)",
    ),
]


def seed_agreement_types(agreement_type_model) -> None:
    """Create the types that are missing; never overwrite what the administrator changed."""
    for code, name, majority, base, secret, basis in AGREEMENT_TYPES:
        agreement_type_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "majority": majority,
                "base": base,
                "allows_secret_ballot": secret,
                "legal_basis": basis,
            },
        )
