"""Integral planning (DOMAIN.md §4): the program, plans of every order as trees, and the
alignment links between their elements."""

from pmot.planning.models.imports import PlanImport
from pmot.planning.models.plans import Alignment, Plan, PlanElement
from pmot.planning.models.program import Program

__all__ = ["Alignment", "Plan", "PlanElement", "PlanImport", "Program"]
