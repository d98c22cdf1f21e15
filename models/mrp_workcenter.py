from odoo import api, fields, models


class MrpWorkcenter(models.Model):
    _inherit = "mrp.workcenter"

    mqc_supervisor_id = fields.Many2one(
        "res.users",
        "Quality Supervisor",
        help="Told of the quality alerts raised at this work centre, and acknowledges them.",
    )

    @api.model
    def mqc_kiosk_data(self):
        """Work centres with their work orders ready or in progress, for the tablet kiosk."""
        workorders = self.env["mrp.workorder"].search(
            [
                ("state", "in", ("ready", "progress")),
                ("production_state", "not in", ("done", "cancel")),
            ],
            order="workcenter_id, date_start, id",
        )
        centres = {}
        for workorder in workorders:
            centre = centres.setdefault(
                workorder.workcenter_id.id,
                {
                    "id": workorder.workcenter_id.id,
                    "name": workorder.workcenter_id.name,
                    "workorders": [],
                },
            )
            centre["workorders"].append(
                {
                    "id": workorder.id,
                    "name": workorder.name,
                    "production": workorder.production_id.name,
                    "product": workorder.product_id.display_name,
                    "state": workorder.state,
                    "todo": workorder.mqc_check_todo_count,
                }
            )
        return list(centres.values())
