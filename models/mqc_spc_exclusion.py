from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import client_input
from .mqc_guarded_mixin import ALL

# Measurements of one chart point: a subgroup (at most 50) or a production order.
MAX_POINT_IDS = 10_000


class MqcSpcExclusion(models.Model):
    """A point left out of the control-limit estimates for an assignable
    cause. The measurement stays on the chart, flagged; nothing is deleted."""

    _name = "mqc.spc.exclusion"
    _inherit = ["mqc.guarded.mixin"]
    # Made by mqc_exclude only; never deleted (the point is kept, hollow).
    _mqc_guarded_fields = ALL
    _description = "Excluded Control-Chart Point"
    _order = "date desc, id desc"
    _check_company_auto = True

    measurement_id = fields.Many2one(
        "mqc.measurement", required=True, ondelete="restrict", index=True, check_company=True
    )
    stream_id = fields.Many2one(related="measurement_id.stream_id", store=True, index=True)
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

    _check_mqc_text_lengths = client_input.max_lengths(reason=client_input.REASON_MAX)

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

    @api.model
    def mqc_exclude(self, characteristic_id, measurement_ids, reason):
        """Leaves the measurements of one chart point (a value, a subgroup or an
        order) out of the limit estimates, for an assignable cause. Those
        already excluded are left as they are; the points stay on the chart.
        Logged on the characteristic."""
        env, ci = self.env, client_input
        char = env["mqc.spc.limit"]._mqc_check_technician(characteristic_id)
        measurement_ids = ci.ids(env, measurement_ids, env._("Measurements"), MAX_POINT_IDS)
        reason = ci.text(env, reason, env._("Assignable Cause"), ci.REASON_MAX)
        measurements = self.env["mqc.measurement"].browse(measurement_ids).exists()
        if not measurements or measurements.stream_id != char.stream_id:
            raise UserError(self.env._("Choose a point of this characteristic's chart."))
        measurements.check_access("read")
        if not reason:
            raise UserError(
                self.env._("Assignable cause: say why this point is left out of the limits.")
            )
        done = self.search([("measurement_id", "in", measurements.ids)]).measurement_id
        todo = measurements - done
        # A technician who may read the characteristic and its points (checked above).
        exclusions = (
            self.sudo().create([{"measurement_id": m.id, "reason": reason} for m in todo])
        ).with_env(self.env)
        if exclusions:
            # The stream's chatter is the SPC log (the caller was checked above).
            char.stream_id.sudo().message_post(
                body=self.env._(
                    "%(count)s measurement(s) of %(date)s excluded from the control limits. "
                    "Assignable cause: %(reason)s",
                    count=len(exclusions),
                    date=fields.Datetime.to_string(max(todo.mapped("recorded_at"))),
                    reason=exclusions[0].reason,
                )
            )
        return exclusions.ids
