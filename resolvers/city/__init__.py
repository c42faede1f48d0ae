"""The city's view: socialisation, the programme's figures, cooperative health."""

from resolvers.city import health
from resolvers.city.figures import (
    CityFigures,
    Figures,
    KecamatanFigures,
    KelurahanFigures,
    Month,
    Tally,
    figures,
    monthly,
    record_socialization,
    report_figures,
)

__all__ = [
    "CityFigures",
    "Figures",
    "KecamatanFigures",
    "KelurahanFigures",
    "Month",
    "Tally",
    "figures",
    "health",
    "monthly",
    "record_socialization",
    "report_figures",
]
