from odoo import api, fields, models
from odoo.exceptions import UserError

from ..spc import control_chart
from ..spc.series import chart_input
from ..tools import client_input
from .mqc_guarded_mixin import ALL, require_group
from .mqc_spc_stream import fill_stream

TECHNICIAN = "mrp_quality_control.group_mqc_technician"

KINDS = [
    ("imr", "Individuals (I-MR)"),
    ("xbar_r", "X-bar R"),
    ("xbar_s", "X-bar S"),
    ("p", "p (fraction nonconforming)"),
    ("np", "np (number nonconforming)"),
    ("c", "c (defects per order)"),
    ("u", "u (defects per piece)"),
    ("ewma", "EWMA"),
    ("cusum", "CUSUM"),
]


class MqcSpcLimit(models.Model):
    """Control limits frozen by a technician (phase II) on a process stream:
    they hold across the plan's revisions. Freezing new limits archives the
    previous ones of the stream and chart kind."""

    _name = "mqc.spc.limit"
    _inherit = ["mqc.guarded.mixin"]
    # Frozen and released by mqc_freeze / mqc_unfreeze only.
    _mqc_guarded_fields = ALL
    _description = "Frozen Control Limits"
    _order = "date desc, id desc"
    _check_company_auto = True

    stream_id = fields.Many2one(
        "mqc.spc.stream", "Process Stream", required=True, ondelete="restrict", index=True,
        check_company=True,
    )  # fmt: skip
    characteristic_id = fields.Many2one(
        "mqc.characteristic", "Frozen On", ondelete="set null", check_company=True,
        help="The characteristic (plan revision) whose chart the limits were frozen from.",
    )  # fmt: skip
    company_id = fields.Many2one(related="stream_id.company_id", store=True, index=True)
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

    _check_mqc_text_lengths = client_input.max_lengths(reason=client_input.REASON_MAX)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("reason") or "").strip():
                raise UserError(self.env._("Reason: say why these limits are frozen."))
        records = super().create(fill_stream(self.env, vals_list))
        for limit in records:
            self.search(
                [
                    ("stream_id", "=", limit.stream_id.id),
                    ("kind", "=", limit.kind),
                    ("id", "!=", limit.id),
                ]
            ).write({"active": False})
        return records

    @api.model
    def mqc_freeze(self, characteristic_id, reason, filters=None):
        """Freezes the limits estimated now (phase I, exclusions left out) from
        the current history of the characteristic's stream; archives the
        previous ones. They hold for the later revisions of the plan."""
        char = self._mqc_check_technician(characteristic_id)
        Report = self.env["report.mrp_quality_control.report_spc_control_chart"]
        filters = Report._mqc_filters(filters)
        reason = client_input.text(self.env, reason, self.env._("Reason"), client_input.REASON_MAX)
        kind = Report._mqc_default_kind(char, filters)
        # Estimate from the data, ignoring the limits frozen so far.
        prepared = chart_input(
            char.result_type, kind, Report._mqc_data(char, filters), filters["subgroup_size"]
        )
        if prepared is None or not char.stream_id:
            raise UserError(self.env._("Not enough values to estimate limits."))
        chart = control_chart(
            kind, prepared.values, sizes=prepared.sizes, exclude=prepared.excluded
        )
        center = float(chart.center.ravel()[0])
        # A technician who may read the characteristic (checked above) freezes.
        limit = self.sudo().create(
            {
                "stream_id": char.stream_id.id,
                "characteristic_id": char.id,
                "kind": kind,
                "subgroup_size": filters["subgroup_size"],
                "center": center,
                "sigma": float(chart.sigma),
                "lcl": float(chart.lcl.ravel()[0]),
                "ucl": float(chart.ucl.ravel()[0]),
                "n_points": int((~chart.excluded).sum()),
                "reason": reason,
            }
        ).with_env(self.env)
        # The stream's chatter is the SPC log (the caller was checked above).
        char.stream_id.sudo().message_post(
            body=self.env._(
                "Control limits frozen (%(chart)s): centre %(center)s, LCL %(lcl)s, "
                "UCL %(ucl)s from %(n)s points. Reason: %(reason)s",
                chart=limit._mqc_kind_label(),
                center=_fmt(limit.center),
                lcl=_fmt(limit.lcl),
                ucl=_fmt(limit.ucl),
                n=limit.n_points,
                reason=limit.reason,
            )
        )
        return limit

    @api.model
    def _mqc_check_technician(self, characteristic_id):
        """The characteristic whose limits a Quality Technician (or Manager)
        who may read it freezes or releases."""
        require_group(
            self.env,
            TECHNICIAN,
            self.env._("Only a Quality Technician or Manager freezes or releases control limits."),
        )
        return self.env["mqc.characteristic"]._mqc_characteristic(characteristic_id)

    def _mqc_kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env)).get(self.kind, "")

    @api.model
    def mqc_unfreeze(self, characteristic_id, filters=None):
        """Back to phase I ("recompute the limits"): archives the active frozen
        limits of the characteristic for the chart kind of the filters. They are
        kept (archived, with their reason) and the change is logged on the
        characteristic; the chart estimates its limits from the data again."""
        char = self._mqc_check_technician(characteristic_id)
        Report = self.env["report.mrp_quality_control.report_spc_control_chart"]
        kind = Report._mqc_default_kind(char, Report._mqc_filters(filters))
        limits = self.search([("stream_id", "=", char.stream_id.id), ("kind", "=", kind)])
        if not limits:
            raise UserError(
                self.env._("No frozen limits to recompute for this chart (%(chart)s).", chart=kind)
            )
        # Checked above: a technician who may read the characteristic.
        limits.sudo().write({"active": False})
        char.stream_id.sudo().message_post(
            body=self.env._(
                "Frozen control limits (%(chart)s) released by %(user)s: the limits are "
                "estimated from the data again (phase I).",
                chart=limits[0]._mqc_kind_label(),
                user=self.env.user.name,
            )
        )
        return limits.ids


def _fmt(value):
    return f"{value:.6g}"
