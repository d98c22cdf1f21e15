from odoo import api, fields, models

from .mqc_spc_stream import fill_stream


class MqcFrequencyChange(models.Model):
    """One change of the control interval of a capability-driven process stream."""

    _name = "mqc.frequency.change"
    _description = "Control Frequency Change"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    stream_id = fields.Many2one(
        "mqc.spc.stream", "Process Stream", required=True, ondelete="restrict", index=True
    )
    characteristic_id = fields.Many2one(
        "mqc.characteristic", ondelete="set null", help="The revision whose check or study "
        "changed the interval.",
    )  # fmt: skip
    company_id = fields.Many2one(related="stream_id.company_id", store=True, index=True)
    old_interval = fields.Integer(required=True)
    new_interval = fields.Integer(required=True)
    reason = fields.Selection(
        [
            ("tightened", "Tightened: drift or failed check"),
            ("relaxed", "Relaxed: conforming subgroups"),
            ("study", "Capability study validated"),
        ],
        required=True,
    )
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(fill_stream(self.env, vals_list))
    user_id = fields.Many2one("res.users", "By", default=lambda self: self.env.user)
