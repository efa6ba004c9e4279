"""Projectadministratie: the realisatie beside the plan, its checks and the signed statements (Bijlagen 1, 2, 4, 6)."""
