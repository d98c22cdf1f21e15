import base64
import math
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..spc import SpcInputError, capability
from ..spc.constants import constant
from ..spc.frequency import capability_interval
from ..spc.process_capability import capability_method

MR_D2 = constant("d2", 2)  # moving ranges of two values
# What the user chooses while the study is a draft.
INPUT_FIELDS = frozenset(
    {"characteristic_id", "kind", "production_ids", "date_from", "date_to", "subgroup_size",
     "method", "method_reason"}
)  # fmt: skip
# Set by Compute (figures) and Validate / Cancel (state) only.
GUARDED_FIELDS = frozenset(
    {"n", "mean", "sigma_within", "sigma_overall", "cp", "cpk", "pp", "ppk", "cm", "cmk",
     "index_value", "index_low", "index_high", "ppm", "ad_statistic", "ad_pvalue",
     "histogram", "target", "verdict", "explanation", "state", "date_done",
     "validated_by_id", "method_used", "method_note", "distribution"}
)  # fmt: skip


class MqcCapabilityStudy(models.Model):
    """Machine (Cm/Cmk on a dedicated run) or process (Cp/Cpk/Pp/Ppk over a
    period) capability study of a measured characteristic."""

    _name = "mqc.capability.study"
    _description = "Capability Study"
    _inherit = ["mqc.guarded.mixin", "mail.thread"]
    _mqc_guarded_fields = GUARDED_FIELDS
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    characteristic_id = fields.Many2one(
        "mqc.characteristic", required=True, ondelete="restrict", index=True,
        check_company=True, domain=[("result_type", "=", "measure")],
    )  # fmt: skip
    stream_id = fields.Many2one(
        related="characteristic_id.stream_id", store=True, index=True, string="Process Stream"
    )
    company_id = fields.Many2one(related="characteristic_id.company_id", store=True, index=True)
    criticality = fields.Selection(related="characteristic_id.criticality")
    tolerance_type = fields.Selection(related="characteristic_id.tolerance_type")
    kind = fields.Selection(
        [("machine", "Machine (Cm, Cmk)"), ("process", "Process (Cp, Cpk, Pp, Ppk)")],
        required=True,
        default="process",
    )
    production_ids = fields.Many2many(
        "mrp.production",
        string="Production Orders",
        help="Machine study: the dedicated run.",
        check_company=True,
    )
    date_from = fields.Datetime("From")
    date_to = fields.Datetime("To")
    subgroup_size = fields.Integer(default=1)
    method = fields.Selection(
        [
            ("auto", "Automatic"),
            ("normal", "Normal distribution"),
            ("percentile", "Non-normal (ISO 22514-2 percentiles)"),
        ],
        required=True,
        default="auto",
        tracking=True,
        help="Automatic: normal unless Anderson-Darling rejects normality (p < 0.05) or the "
        "tolerance is one-sided and bounded at zero (run-out, flatness, roughness); then the "
        "ISO 22514-2 percentile method on the best-fitting distribution. Choosing another "
        "method than the automatic one needs a reason, kept with the study.",
    )
    method_reason = fields.Char(
        "Reason for the Method", tracking=True,
        help="Why the technician overrides the automatic choice of method.",
    )  # fmt: skip
    method_used = fields.Selection(
        [("normal", "Normal distribution"), ("percentile", "Non-normal (ISO 22514-2 percentiles)")],
        readonly=True,
    )
    method_note = fields.Text("Choice of Method", readonly=True)
    distribution = fields.Char("Distribution Fitted", readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Validated"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
    )
    n = fields.Integer("Values", readonly=True)
    mean = fields.Float(digits=(16, 6), readonly=True)
    sigma_within = fields.Float(digits=(16, 6), readonly=True)
    sigma_overall = fields.Float(digits=(16, 6), readonly=True)
    cp = fields.Float(digits=(16, 3), readonly=True)
    cpk = fields.Float(digits=(16, 3), readonly=True)
    pp = fields.Float(digits=(16, 3), readonly=True)
    ppk = fields.Float(digits=(16, 3), readonly=True)
    cm = fields.Float(digits=(16, 3), readonly=True)
    cmk = fields.Float(digits=(16, 3), readonly=True)
    index_value = fields.Float("Index Judged", digits=(16, 3), readonly=True)
    index_low = fields.Float("Lower Confidence Bound", digits=(16, 3), readonly=True)
    index_high = fields.Float("Upper Confidence Bound", digits=(16, 3), readonly=True)
    ppm = fields.Float("Expected ppm", digits=(16, 1), readonly=True)
    ad_statistic = fields.Float("Anderson-Darling A²", digits=(16, 4), readonly=True)
    ad_pvalue = fields.Float("Normality p-value", digits=(16, 4), readonly=True)
    histogram = fields.Json(readonly=True)
    target = fields.Float(digits=(16, 2), readonly=True)
    verdict = fields.Selection(
        [("capable", "Capable"), ("not_capable", "Not capable")], readonly=True
    )
    explanation = fields.Text(readonly=True)
    histogram_image = fields.Binary(
        "Histogram Chart",
        compute="_compute_histogram_image",
        help="Histogram of the values with the fitted normal curves and the specification "
        "limits, drawn when the form is opened.",
    )
    date_done = fields.Datetime("Validated On", readonly=True)
    validated_by_id = fields.Many2one("res.users", readonly=True)

    @api.depends("characteristic_id", "kind")
    def _compute_name(self):
        for study in self:
            char = study.characteristic_id
            study.name = f"{char.plan_id.code or ''} {char.balloon or ''} {char.name or ''}".strip()

    def _compute_histogram_image(self):
        # Not stored and in no list view: drawn only when a form reads it.
        charts = self.env["report.mrp_quality_control.report_capability_study"]
        for study in self:
            png = charts._histogram_png(study) if study.n and study.state != "cancel" else False
            study.histogram_image = base64.b64encode(png) if png else False

    def _target(self):
        company = self.company_id or self.env.company
        if self.kind == "machine":
            return company.mqc_target_machine
        return {
            "critical": company.mqc_target_critical,
            "major": company.mqc_target_major,
            "minor": company.mqc_target_minor,
        }.get(self.criticality or "major", company.mqc_target_major)

    def _history(self):
        """The study's current values of the stream, not excluded, oldest
        first, with their gauges (the stream's one reader)."""
        self.ensure_one()
        filters = {"date_from": self.date_from, "date_to": self.date_to}
        if self.kind == "machine" and self.production_ids:
            filters["production_ids"] = self.production_ids.ids
        data = self.stream_id._series(filters, ("value", "gauge"))
        kept = ~data["excluded"]
        return data["value"][kept], data["gauge"][kept]

    def _values(self):
        """Current, not excluded values of the study (one query)."""
        return self._history()[0]

    def _gauges(self):
        """Gauges used for the values of the study (one query)."""
        gauges = np.unique(self._history()[1])
        return self.env["maintenance.equipment"].browse([int(g) for g in gauges if g])

    def write(self, vals):
        if not set(vals) & INPUT_FIELDS:
            return super().write(vals)
        done = self.filtered(lambda s: s.state != "draft")
        if done:
            raise UserError(
                self.env._(
                    "%s is validated or cancelled: its figures are evidence and its inputs "
                    "no longer change. Start a new study.",
                    done[0].display_name,
                )
            )
        result = super().write(vals)
        # New inputs: the figures computed from the old ones no longer hold
        # (Validate asks for a computed study).
        self._mqc_internal_write({"n": 0, "verdict": False})
        return result

    def _mqc_internal_write(self, vals):
        # Private: the buttons calling it checked the caller (a Quality
        # Technician or Manager with write access to these studies).
        return self.sudo().write(vals)

    def _check_study_writer(self):
        if not self.env.user.has_group("mrp_quality_control.group_mqc_technician"):
            raise AccessError(self.env._("Only a Quality Technician or Manager runs a study."))
        self.check_access("write")

    def action_compute(self):
        self._check_study_writer()
        for study in self:
            if study.state != "draft":
                raise UserError(self.env._("Only a draft study is computed."))
            char = study.characteristic_id
            values = study._values()
            size = max(study.subgroup_size, 1)
            values = values[: values.size - values.size % size]
            lsl, usl = char._mqc_spec_limits()
            try:
                choice = capability_method(
                    values, lsl, usl, bounded_zero=char._mqc_bounded_at_zero()
                )
                method = choice.method if study.method == "auto" else study.method
                if method != choice.method and not (study.method_reason or "").strip():
                    raise UserError(
                        self.env._(
                            "Reason for the Method: the automatic choice is %(auto)s (%(why)s); "
                            "say why this study uses another method.",
                            auto=study._method_label(choice.method),
                            why=study._method_why(choice),
                        )
                    )
                result = capability(values, lsl=lsl, usl=usl, subgroup_size=size, method=method)
            except SpcInputError as error:
                raise UserError(self.env._("The study cannot be computed: %s", error)) from None
            vals = study._result_values(result, values)
            vals.update(
                method_used=method,
                distribution=result.distribution,
                method_note=study._method_text(choice, method),
            )
            study._mqc_internal_write(vals)
        return True

    def _method_label(self, method):
        return dict(self._fields["method_used"]._description_selection(self.env)).get(method, "")

    def _method_why(self, choice):
        """The reason of the automatic choice, in words."""
        if choice.reason == "zero_bounded":
            return self.env._("one-sided tolerance bounded at zero")
        pvalue = f"{choice.ad_pvalue:.3f}" if choice.ad_pvalue is not None else "-"
        if choice.reason == "normality_rejected":
            return self.env._("Anderson-Darling rejects normality, p = %s", pvalue)
        return self.env._("Anderson-Darling does not reject normality, p = %s", pvalue)

    def _method_text(self, choice, method):
        """What the study says of its method: the automatic choice and why, or
        the technician's override and its reason."""
        auto = self.env._(
            "Automatic choice: %(method)s (%(why)s).",
            method=self._method_label(choice.method),
            why=self._method_why(choice),
        )
        if method == choice.method:
            return auto
        return self.env._(
            "%(auto)s Overridden by %(user)s: %(method)s. Reason: %(reason)s",
            auto=auto,
            user=self.env.user.name,
            method=self._method_label(method),
            reason=self.method_reason.strip(),
        )

    def _result_values(self, result, values):
        # Judged on Cpk; a machine study on Cmk (its overall Ppk); the
        # percentile method (ISO 22514-2) gives the performance index only.
        index_name = "ppk" if self.kind == "machine" or result.method == "percentile" else "cpk"
        index = getattr(result, index_name)
        low, high = result.ci.get(index_name, (None, None))
        counts, edges = np.histogram(values, bins=min(max(int(math.sqrt(values.size)), 5), 30))
        target = self._target()
        # Machine: the overall spread; the percentile method has one fitted
        # distribution, hence overall figures only.
        within = result.ppm_within if "total" in (result.ppm_within or {}) else None
        ppm = result.ppm_overall if self.kind == "machine" or within is None else within
        vals = {
            "n": result.n,
            "mean": result.mean,
            "sigma_within": result.sigma_within,
            "sigma_overall": result.sigma_overall,
            "cp": result.cp or 0.0,
            "cpk": result.cpk or 0.0,
            "pp": result.pp or 0.0,
            "ppk": result.ppk or 0.0,
            # Machine capability: the short dedicated run, overall spread.
            "cm": (result.pp or 0.0) if self.kind == "machine" else 0.0,
            "cmk": (result.ppk or 0.0) if self.kind == "machine" else 0.0,
            "index_value": index or 0.0,
            "index_low": low or 0.0,
            "index_high": high or 0.0,
            "ppm": ppm["total"],
            "ad_statistic": result.normality["statistic"] if result.normality else 0.0,
            "ad_pvalue": result.normality["p_value"] if result.normality else 0.0,
            "histogram": {"counts": counts.tolist(), "edges": edges.tolist()},
            "target": target,
            "verdict": "capable" if (index or 0.0) >= target else "not_capable",
        }
        vals["explanation"] = self._explain(index_name, index or 0.0, ppm["total"])
        return vals

    def _explain(self, index_name, index, ppm):
        char = self.characteristic_id
        label = "Cmk" if self.kind == "machine" else {"cpk": "Cpk", "ppk": "Ppk"}[index_name]
        if index <= 0:
            return self.env._(
                "%(label)s %(index).2f: the process is not centred within the tolerance; "
                "every part must be checked.",
                label=label,
                index=index,
            )
        if ppm >= 1:
            outside = self.env._(
                "out of a million parts, about %(ppm)s would be out of tolerance.", ppm=round(ppm)
            )
        else:
            outside = self.env._("fewer than one part in a million would be out of tolerance.")
        text = self.env._(
            "%(label)s %(index).2f: the process uses about %(share)d %% of the tolerance; "
            "%(outside)s",
            label=label,
            index=index,
            share=round(100.0 / index),
            outside=outside,
        )
        if char.frequency_mode == "capability":
            interval = capability_interval(
                index, max(char.reference_interval, 1), criticality=char.criticality
            ).interval
            text += " " + (
                self.env._("Your checks must stay on every piece.")
                if interval == 1
                else self.env._("Your checks can be spaced every %s pieces.", interval)
            )
        return text

    def action_validate(self):
        if not self.env.user.has_group("mrp_quality_control.group_mqc_technician"):
            raise AccessError(self.env._("Only a Quality Technician or Manager validates a study."))
        self.check_access("write")
        for study in self:
            if study.state != "draft" or not study.n:
                raise UserError(self.env._("Compute the study before validating it."))
            char = study.characteristic_id
            old = char.effective_interval
            study.stream_id._mqc_write_state(
                {"current_cpk": study.index_value, "current_cpk_valid": True}
            )
            study._mqc_internal_write(
                {
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                    "validated_by_id": self.env.uid,
                }
            )
            new = char.effective_interval
            if char.frequency_mode == "capability" and new != old:
                # The log of the change the validation (checked above) made.
                self.env["mqc.frequency.change"].sudo().create(
                    {
                        "stream_id": study.stream_id.id,
                        "characteristic_id": char.id,
                        "old_interval": old,
                        "new_interval": new,
                        "reason": "study",
                        "note": study.explanation,
                    }
                )
        return True

    def action_cancel(self):
        self._check_study_writer()
        if self.filtered(lambda s: s.state == "done"):
            raise UserError(
                self.env._("A validated study is evidence and stays; a new study replaces it.")
            )
        self._mqc_internal_write({"state": "cancel"})
        return True

    @api.model
    def _mqc_demo_studies(self, specs):
        """Demo data: a validated process study for each (characteristic id,
        position of the mean in the tolerance, Cpk aimed at) of ``specs``, on
        125 parts recorded over the last 25 days by a capability run order
        (one passed check per part). The values are a normal sample drawn with
        a fixed seed (the same on every install), scaled so that the Cpk from
        the within sigma (moving ranges) is the one aimed at."""
        n = 125
        technician = self.env.ref("mrp_quality_control.user_technician_demo")
        operator = self.env.ref("mrp_quality_control.user_operator_demo")
        start = fields.Datetime.now() - timedelta(days=25)
        productions = {}
        # Demo data only: loaded by the installation as superuser (private).
        Check = self.env["mqc.check"].sudo()
        Measurement = self.env["mqc.measurement"].sudo()
        for seed, (char_id, position, cpk) in enumerate(specs):
            char = self.env["mqc.characteristic"].browse(char_id)
            plan = char.plan_id
            if plan not in productions:
                production = self.env["mrp.production"].create(
                    {
                        "product_id": plan.product_tmpl_id.product_variant_id.id,
                        "bom_id": plan.bom_id.id,
                        "product_qty": n,
                        "origin": self.env._("Capability run"),
                    }
                )
                production.action_confirm()
                productions[plan] = production
            production = productions[plan]
            lsl = char.lower_limit if char.tolerance_type != "upper" else None
            usl = char.upper_limit
            low = lsl if lsl is not None else 0.0
            mean = low + position * (usl - low)
            room = min(usl - mean, mean - lsl) if lsl is not None else usl - mean
            sample = np.random.default_rng(2026 + seed).standard_normal(n)
            sample = (sample - sample.mean()) / sample.std(ddof=1)
            within = np.abs(np.diff(sample)).mean() / MR_D2
            values = np.round(mean + room / (3 * cpk * within) * sample, 5)
            workorder = production.workorder_ids.filtered(
                lambda w, char=char: w.operation_id == char.operation_id
            )[:1]
            checks = Check.create(
                [
                    {
                        "production_id": production.id,
                        "workorder_id": workorder.id,
                        "characteristic_id": char.id,
                        "plan_id": plan.id,
                        "trigger": "piece",
                        "due_piece": piece,
                    }
                    for piece in range(1, n + 1)
                ]
            )
            measurements = Measurement.create(
                [
                    {
                        "check_id": check.id,
                        "characteristic_id": char.id,
                        "plan_id": plan.id,
                        "production_id": production.id,
                        "workorder_id": workorder.id,
                        "value": value,
                        "verdict": check._verdict(value),
                        "user_id": operator.id,
                        "recorded_at": start + timedelta(days=index // 5, hours=6 + index % 5 * 2),
                    }
                    for index, (check, value) in enumerate(
                        zip(checks, values.tolist(), strict=True)
                    )
                ]
            )
            for check, measurement in zip(checks, measurements, strict=True):
                check.write({"state": "pass", "current_measurement_id": measurement.id})
            # Computed in the technician's language: the explanation is stored as text.
            study = self.with_user(technician).with_context(lang=technician.lang).create(
                {
                    "characteristic_id": char.id,
                    "kind": "process",
                    "date_from": start,
                    "date_to": max(measurements.mapped("recorded_at")),
                }
            )
            study.action_compute()
            study.action_validate()
        return True
