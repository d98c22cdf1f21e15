from odoo import api, fields, models

from ..tools import client_input


class MqcGaugeStudyLine(models.Model):
    """One reading of a gauge study: a part, measured by an appraiser, at a
    trial. ``has_value`` tells a typed 0 from a value not yet entered."""

    _name = "mqc.gauge.study.line"
    _description = "Gauge Study Reading"
    _order = "study_id, sequence, id"
    _check_company_auto = True

    study_id = fields.Many2one("mqc.gauge.study", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="study_id.company_id", store=True, index=True)
    study_type = fields.Selection(related="study_id.study_type")
    sequence = fields.Integer(default=10)
    part = fields.Integer(required=True, default=1)
    appraiser = fields.Char(required=True)
    trial = fields.Integer(required=True, default=1)
    value = fields.Float(digits=(16, 6))
    has_value = fields.Boolean("Entered", readonly=True)
    reference = fields.Float(digits=(16, 6), help="Reference value of the part (linearity).")
    rating = fields.Char(help="Attribute rating: OK / NOK, or a class.")
    reference_rating = fields.Char(help="Rating of the part by the standard (attribute study).")
    measurement_id = fields.Many2one(
        "mqc.measurement", "Recorded Measurement", readonly=True, check_company=True
    )

    _check_mqc_text_lengths = client_input.max_lengths(
        appraiser=client_input.CHAR_MAX,
        rating=client_input.CHAR_MAX,
        reference_rating=client_input.CHAR_MAX,
    )

    @api.depends("part", "appraiser", "trial")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "part %(part)s, %(appraiser)s, trial %(trial)s",
                part=line.part,
                appraiser=line.appraiser or "",
                trial=line.trial,
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "value" in vals and vals["value"] is not False:
                vals["has_value"] = True
        lines = super().create(vals_list)
        lines.study_id._check_editable()
        return lines

    def write(self, vals):
        self.study_id._check_editable()
        if "value" in vals:
            vals = dict(vals, has_value=vals["value"] is not False)
        result = super().write(vals)
        if "value" in vals or "rating" in vals or "reference" in vals:
            self.study_id._reset_results()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        self.study_id._check_editable()
