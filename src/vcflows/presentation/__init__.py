"""The presentation layer: charts, tables, number formats and the i18n texts.

The report (:mod:`vcflows.report`) and the dashboard (:mod:`vcflows.dashboard`) are peer faces
standing on this package; neither imports the other's modules. It draws and formats what the
analyses and findings return and computes nothing of its own beyond display shapes
(:mod:`vcflows.presentation.derive`: top lists, shares by year, peer tables).
"""
