from odoo import api, fields, models
from odoo.exceptions import UserError


class MqcSpcExclusion(models.Model):
    """A point left out of the control-limit estimates for an assignable
    cause. The measurement stays on the chart, flagged; nothing is deleted."""

    _name = "mqc.spc.exclusion"
    _description = "Excluded Control-Chart Point"
    _order = "date desc, id desc"
    _check_company_auto = True

    measurement_id = fields.Many2one(
        "mqc.measurement", required=True, ondelete="restrict", index=True, check_company=True
    )
    characteristic_id = fields.Many2one(
        related="measurement_id.characteristic_id", store=True, index=True
    )
    company_id = fields.Many2one(related="measurement_id.company_id", store=True, index=True)
    reason = fields.Text("Assignable Cause", required=True)
    user_id = fields.Many2one(
        "res.users", "Excluded By", required=True, default=lambda self: self.env.user,
        readonly=True,
    )  # fmt: skip
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)

    _sql_constraints = [
        ("measurement_unique", "unique(measurement_id)", "This point is already excluded."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("reason") or "").strip():
                raise UserError(
                    self.env._("Assignable cause: say why this point is left out of the limits.")
                )
        return super().create(vals_list)
