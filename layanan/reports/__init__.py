"""Reports, statistics and exports of the service desk (issue 6). The rules live here; the admin views
(``layanan.desk.reports``), the exports (``layanan.reports.exports``), the public API
(``layanan.api.statistics``) and the dashboard panel all call these functions.

- ``ppid``: the PPID annual report (UU 14/2008 Pasal 12; Perki 1/2021 Pasal 56).
- ``lapor``: the SP4N-LAPOR monthly report (PermenPANRB 62/2018).
- ``wbs``: the WBS report for the Inspektorat (counts by violation type and state; small-count suppression).
- ``dashboard``: counters and chart data of the operator dashboard.
- ``statistics``: the public statistics, cached, invalidated on ticket changes.
- ``disputes``: recording the outcome of a Komisi Informasi dispute (UU 14/2008 Pasal 37).
- ``access``: who may open which report and export personal data; ``common``: periods, tables, suppression.
"""
