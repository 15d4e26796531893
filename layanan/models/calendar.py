"""Working-day calendar models (holidays, calendar settings)."""
