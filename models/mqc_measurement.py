from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index

from ..tools import client_input
from .mqc_guarded_mixin import ALL


class MqcMeasurement(models.Model):
    """A recorded result: evidence, never edited nor deleted. A correction is a
    new measurement pointing to the one it replaces."""

    _name = "mqc.measurement"
    _inherit = ["mqc.guarded.mixin"]
    _description = "Recorded Measurement"
    # Created by mqc.check's recording and correction methods only.
    _mqc_guarded_fields = ALL
    _order = "recorded_at desc, id desc"
    _check_company_auto = True

    check_id = fields.Many2one("mqc.check", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True, index=True)
    characteristic_id = fields.Many2one(
        "mqc.characteristic", required=True, ondelete="restrict", index=True, check_company=True
    )
    stream_id = fields.Many2one(
        "mqc.spc.stream",
        "Process Stream",
        required=True,
        ondelete="restrict",
        check_company=True,
        help="The characteristic's history across the plan's revisions, set once when the "
        "value is recorded.",
    )
    plan_id = fields.Many2one(
        "mqc.control.plan", required=True, ondelete="restrict", check_company=True
    )
    production_id = fields.Many2one(
        "mrp.production", ondelete="restrict", index=True, check_company=True
    )
    workorder_id = fields.Many2one("mrp.workorder", ondelete="restrict", check_company=True)
    lot_id = fields.Many2one("stock.lot", "Lot/Serial", check_company=True)
    result_type = fields.Selection(related="characteristic_id.result_type")
    value = fields.Float(digits=(16, 6))
    attribute_ok = fields.Boolean("Attribute OK")
    defects = fields.Integer()
    verdict = fields.Selection(
        [("ok", "Within tolerance"), ("warning", "Drift warning"), ("nok", "Out of tolerance")],
        required=True,
    )
    gauge_id = fields.Many2one(
        "maintenance.equipment", "Gauge Used", ondelete="restrict", check_company=True
    )
    user_id = fields.Many2one(
        "res.users", "Recorded By", required=True, default=lambda self: self.env.user
    )
    recorded_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    note = fields.Text()
    sample_reference = fields.Char(help="Consumed sample of a destructive test.")
    ndt_inspector_id = fields.Many2one("res.users", "NDT Inspector")
    replaces_id = fields.Many2one("mqc.measurement", ondelete="restrict", check_company=True)
    replaced_by_id = fields.Many2one("mqc.measurement", ondelete="restrict", check_company=True)
    correction_reason = fields.Text()
    is_current = fields.Boolean(default=True, index=True)
    client_uid = fields.Char(
        "Client Entry Id", index=True, copy=False, help="Makes a retried entry idempotent."
    )
    rounding_note = fields.Char()

    _check_mqc_text_lengths = client_input.max_lengths(
        note=client_input.NOTE_MAX,
        sample_reference=client_input.CHAR_MAX,
        correction_reason=client_input.REASON_MAX,
        client_uid=client_input.CHAR_MAX,
    )

    _sql_constraints = [
        ("client_uid_unique", "unique(client_uid)", "This entry was already recorded."),
    ]

    def init(self):
        # The history reader (mqc.spc.stream._series: chart, drift rules,
        # studies, tablet) reads the current history of a stream in time order.
        create_index(
            self.env.cr,
            "mqc_measurement_stream_history_idx",
            self._table,
            ["stream_id", "recorded_at", "id"],
            where="is_current",
        )
        # Read per characteristic before the process stream existed.
        self.env.cr.execute("DROP INDEX IF EXISTS mqc_measurement_spc_history_idx")

    @api.model_create_multi
    def create(self, vals_list):
        # The stream of the characteristic when the value is recorded; a
        # characteristic recorded before its plan's approval gets one now.
        # Private callers only (the model is guarded: see mqc.check).
        missing = [vals for vals in vals_list if not vals.get("stream_id")]
        if missing:
            chars = self.env["mqc.characteristic"].browse(
                {vals["characteristic_id"] for vals in missing if vals.get("characteristic_id")}
            )
            self.env["mqc.spc.stream"]._mqc_link(chars)
            streams = {char.id: char.stream_id.id for char in chars}
            for vals in missing:
                vals["stream_id"] = streams.get(vals.get("characteristic_id"), False)
        return super().create(vals_list)

    @api.depends("characteristic_id", "value", "verdict", "recorded_at")
    def _compute_display_name(self):
        for measure in self:
            measure.display_name = (
                f"{measure.characteristic_id.balloon or ''} "
                f"{measure._value_text()} ({measure.recorded_at or ''})"
            ).strip()

    def _value_text(self):
        self.ensure_one()
        if self.result_type == "attribute":
            return self.env._("OK") if self.attribute_ok else self.env._("NOK")
        if self.result_type == "defects":
            return self.env._("%s defects", self.defects)
        return f"{self.value:g} {self.characteristic_id.unit or ''}".strip()

    def write(self, vals):
        # Only the link to a correction may be set, by the correction itself
        # (mqc.check.mqc_correct, in superuser mode), once.
        allowed = {"replaced_by_id", "is_current"}
        if not self.env.su or set(vals) - allowed or self.filtered("replaced_by_id"):
            raise UserError(
                self.env._(
                    "A recorded measurement is evidence and cannot be changed: record a "
                    "correction instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A recorded measurement is evidence and cannot be deleted."))
