from odoo import fields, models

from ..tools import client_input


class MqcRelease(models.TransientModel):
    """A Quality Manager releases a manufacturing order whose checks are still open."""

    _name = "mqc.release"
    _description = "Quality Release of a Manufacturing Order"

    production_id = fields.Many2one("mrp.production", required=True, ondelete="cascade")
    open_checks = fields.Integer(related="production_id.mqc_check_todo_count")
    failed_checks = fields.Integer(related="production_id.mqc_check_fail_count")
    reason = fields.Text("Justification", required=True)

    _check_mqc_text_lengths = client_input.max_lengths(reason=client_input.REASON_MAX)

    def action_confirm(self):
        self.ensure_one()
        self.production_id._mqc_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
