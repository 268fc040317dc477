"""Editions of the course to hand out: `make student` (python -m edition.student)."""
