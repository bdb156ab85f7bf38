"""The hall manager's view, Qt-free: a synthetic period to look at (simulate), the KPIs of a
period (kpi), staffing advice (staffing), the live hall (live) and the reports (report)."""
