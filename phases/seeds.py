"""The catalogue of deliverables per phase (DOMAIN.md §3), written by a data migration and
editable by administrators afterwards."""

# (phase, name, required to close the phase)
DELIVERABLE_TYPES = [
    (1, "Acta de instalación del órgano coordinador", True),
    (1, "Programa de trabajo", True),
    (1, "Aviso público del inicio de la planeación (LGAHOTDU art. 30, I)", True),
    (2, "Marco jurídico", True),
    (2, "Diagnóstico del medio natural", True),
    (2, "Diagnóstico social", True),
    (2, "Diagnóstico económico", True),
    (2, "Diagnóstico urbano-regional", True),
    (2, "Diagnóstico de riesgos", True),
    (2, "Diagnóstico integrado", True),
    (2, "Pronóstico y escenarios (tendencial, contextual y estratégico)", True),
    (3, "Modelo territorial", True),
    (3, "Unidades de gestión territorial (UGT/UGAT)", True),
    (3, "Zonificación primaria", True),
    (3, "Estrategias", True),
    (3, "Cartera de proyectos", True),
    (3, "Indicadores", True),
    (3, "Proyecto de programa para consulta pública", True),
    (3, "Respuestas a la consulta pública", True),
    (3, "Dictamen de congruencia estatal", False),
    (3, "Publicación en el Periódico Oficial del Estado", True),
    (3, "Inscripción en el Registro Público de la Propiedad", False),
    (4, "Programa Operativo Anual (POA)", True),
    (4, "Convenios de coordinación y concertación", False),
    (5, "Informe anual sobre el programa", True),
    (5, "Evaluaciones y seguimiento de sus recomendaciones", True),
]


def seed_deliverable_types(deliverable_type_model) -> None:
    """Create the missing entries of the catalogue; never change what administrators edited."""
    for position, (phase, name, required) in enumerate(DELIVERABLE_TYPES, start=1):
        deliverable_type_model.objects.get_or_create(
            phase_number=phase, name=name, defaults={"required": required, "position": position}
        )
