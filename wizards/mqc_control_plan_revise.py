from odoo import fields, models

from ..tools import client_input


class MqcControlPlanRevise(models.TransientModel):
    """Asks why a plan is revised, then copies it into the next draft revision."""

    _name = "mqc.control.plan.revise"
    _description = "New Control Plan Revision"

    plan_id = fields.Many2one("mqc.control.plan", required=True, ondelete="cascade")
    reason = fields.Text("Reason for Change", required=True)

    _check_mqc_text_lengths = client_input.max_lengths(reason=client_input.REASON_MAX)

    def action_confirm(self):
        self.ensure_one()
        new_plan = self.plan_id._create_revision(self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "mqc.control.plan",
            "res_id": new_plan.id,
            "view_mode": "form",
        }
