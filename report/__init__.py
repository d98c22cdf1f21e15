# Odoo imports this package as odoo.addons.mrp_quality_control.report. The
# plain-pytest tests of the chart drawers (report/charts, no Odoo) import it
# as "report": then the report models, which need Odoo, are not loaded.
if __name__.startswith("odoo.addons."):
    from . import control_plan_xlsx
    from . import mqc_report_capability
    from . import mqc_report_control_chart
    from . import mqc_report_gauge_study
