from odoo import fields, models


class MqcFrequencyChange(models.Model):
    """One change of the control interval of a capability-driven characteristic."""

    _name = "mqc.frequency.change"
    _description = "Control Frequency Change"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    characteristic_id = fields.Many2one(
        "mqc.characteristic", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="characteristic_id.company_id", store=True, index=True)
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
    user_id = fields.Many2one("res.users", "By", default=lambda self: self.env.user)
