from odoo import api, fields, models
from odoo.exceptions import UserError

KINDS = [
    ("imr", "Individuals (I-MR)"),
    ("xbar_r", "X-bar R"),
    ("xbar_s", "X-bar S"),
    ("p", "p (fraction nonconforming)"),
    ("c", "c (defects per order)"),
    ("u", "u (defects per piece)"),
    ("ewma", "EWMA"),
    ("cusum", "CUSUM"),
]


class MqcSpcLimit(models.Model):
    """Control limits frozen by a technician (phase II). Freezing new limits
    archives the previous ones of the characteristic and chart kind."""

    _name = "mqc.spc.limit"
    _description = "Frozen Control Limits"
    _order = "date desc, id desc"
    _check_company_auto = True

    characteristic_id = fields.Many2one(
        "mqc.characteristic", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="characteristic_id.company_id", store=True, index=True)
    kind = fields.Selection(KINDS, "Chart", required=True, default="imr")
    subgroup_size = fields.Integer(default=1)
    center = fields.Float(required=True, digits=(16, 6))
    sigma = fields.Float(
        digits=(16, 6), help="Sigma of one observation (not used by attribute charts)."
    )
    lcl = fields.Float("Lower Control Limit", digits=(16, 6))
    ucl = fields.Float("Upper Control Limit", digits=(16, 6))
    n_points = fields.Integer("Points Used")
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", "Frozen By", required=True, default=lambda self: self.env.user, readonly=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    active = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("reason") or "").strip():
                raise UserError(self.env._("Reason: say why these limits are frozen."))
        records = super().create(vals_list)
        for limit in records:
            self.search(
                [
                    ("characteristic_id", "=", limit.characteristic_id.id),
                    ("kind", "=", limit.kind),
                    ("id", "!=", limit.id),
                ]
            ).write({"active": False})
        return records

    @api.model
    def mqc_freeze(self, characteristic_id, reason, filters=None):
        """Freezes the limits estimated now (phase I, exclusions left out) from
        the current data of the characteristic; archives the previous ones."""
        self.check_access("create")
        filters = dict(filters or {})
        char = self.env["mqc.characteristic"].browse(int(characteristic_id))
        kind = char._mqc_default_kind(filters)
        # Estimate from the data, ignoring the limits frozen so far.
        data = char.with_context(active_test=True)._mqc_fetch(filters)
        chart_input = char._mqc_chart_input(kind, data, int(filters.get("subgroup_size") or 1))
        if chart_input is None:
            raise UserError(self.env._("Not enough values to estimate limits."))
        from ..spc import control_chart

        values, sizes, excluded, _meta = chart_input
        chart = control_chart(kind, values, sizes=sizes, exclude=excluded)
        center = float(chart.center.ravel()[0])
        return self.create(
            {
                "characteristic_id": char.id,
                "kind": kind,
                "subgroup_size": int(filters.get("subgroup_size") or 1),
                "center": center,
                "sigma": float(chart.sigma),
                "lcl": float(chart.lcl.ravel()[0]),
                "ucl": float(chart.ucl.ravel()[0]),
                "n_points": int((~chart.excluded).sum()),
                "reason": reason,
            }
        )
