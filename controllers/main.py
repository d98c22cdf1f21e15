from odoo import http
from odoo.http import content_disposition, request


class ControlPlanExport(http.Controller):
    @http.route("/mrp_quality_control/control_plan/<int:plan_id>/xlsx", type="http", auth="user")
    def control_plan_xlsx(self, plan_id):
        plan = request.env["mqc.control.plan"].browse(plan_id).exists()
        # A plan the user may not read answers as one that does not exist:
        # the export tells no one which plan ids exist elsewhere.
        if not plan or not plan.has_access("read"):
            raise request.not_found()
        content = request.env["report.mrp_quality_control.control_plan_xlsx"].render(plan)
        filename = f"{plan.code}-{plan.revision}.xlsx"
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
