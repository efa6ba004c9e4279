"""Verantwoording: the rapportages, model G2 and the deadline status, built from the plan and the realisatie."""
