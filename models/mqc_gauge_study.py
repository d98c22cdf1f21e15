from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..spc import SpcInputError, attribute_agreement, gauge_rr, linearity, type1_study
from ..tools import client_input

STUDY_TYPES = [
    ("type1", "Type 1 (Cg, Cgk)"),
    ("grr_crossed", "Gauge R&R (crossed)"),
    ("linearity", "Linearity and bias"),
    ("attribute", "Attribute agreement"),
]
VERDICTS = [
    ("acceptable", "Acceptable"),
    ("conditional", "Conditionally acceptable"),
    ("unacceptable", "Not acceptable"),
]
# AIAG MSA 4th ed. / VDA 5: %GRR below 10 % acceptable, 10-30 % conditional, above not.
GRR_ACCEPTABLE = 10.0
GRR_CONDITIONAL = 30.0
NDC_MIN = 5
CG_MIN = 1.33
# AIAG attribute agreement: kappa above 0.75 good, 0.40-0.75 marginal.
KAPPA_GOOD = 0.75
KAPPA_MARGINAL = 0.40
# Fields a done or cancelled study still lets change (chatter, computed flags).
UNLOCKED_FIELDS = {"state", "message_main_attachment_id"}
RESULT_FIELDS = [
    "ev",
    "av",
    "interaction_sd",
    "grr",
    "pv",
    "tv",
    "pct_grr_contribution",
    "pct_grr_study_var",
    "pct_grr_tolerance",
    "ndc",
    "interaction_pooled",
    "mean",
    "std",
    "bias",
    "t_value",
    "p_value",
    "cg",
    "cgk",
    "slope",
    "intercept",
    "r_squared",
    "pct_linearity",
    "p_slope",
    "kappa",
    "pct_agreement",
    "results",
    "verdict",
    "verdict_text",
    "computed_at",
]


class MqcGaugeStudy(models.Model):
    """A measurement-system analysis of a gauge (or a gauge family) on a
    characteristic: type 1, crossed gauge R&R, linearity or attribute
    agreement. Once done, a study is evidence and is no longer changed; a new
    study replaces it."""

    _name = "mqc.gauge.study"
    _description = "Gauge Study (MSA)"
    _inherit = ["mqc.guarded.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True
    # Results and verdict follow Compute; the state follows the buttons.
    _mqc_guarded_fields = frozenset(RESULT_FIELDS) | {"state", "done_date", "done_by_id"}

    name = fields.Char(
        "Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    study_type = fields.Selection(STUDY_TYPES, required=True, default="grr_crossed", tracking=True)
    gauge_id = fields.Many2one(
        "maintenance.equipment",
        domain=[("mqc_is_gauge", "=", True)],
        check_company=True,
        index="btree_not_null",
        tracking=True,
    )
    gauge_family_id = fields.Many2one(
        "mqc.gauge.family",
        compute="_compute_gauge_family_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        help="A study of the family (without a gauge) judges every gauge of the family that "
        "has no study of its own.",
    )
    characteristic_id = fields.Many2one(
        "mqc.characteristic", check_company=True, index=True, tracking=True
    )
    unit = fields.Char(related="characteristic_id.unit")
    tolerance = fields.Float(
        digits=(16, 6),
        compute="_compute_tolerance",
        store=True,
        readonly=False,
        precompute=True,
        help="Width of the tolerance (upper minus lower limit), from the characteristic.",
    )
    grr_basis = fields.Selection(
        [("study_var", "% of study variation"), ("tolerance", "% of tolerance")],
        "Judge %GRR On",
        default="study_var",
        required=True,
        help="% of study variation judges the gauge for process control (SPC); % of tolerance "
        "judges it for sorting good from bad parts.",
    )
    method = fields.Selection(
        [("anova", "ANOVA"), ("average_range", "Average and range (AIAG)")],
        "R&R Method",
        default="anova",
        required=True,
    )
    alpha = fields.Float(
        "Interaction Pooling Alpha",
        default=0.25,
        digits=(16, 3),
        help="The part x appraiser interaction is pooled into repeatability when its p-value "
        "exceeds this value (0.25: Minitab, AIAG).",
    )
    part_count = fields.Integer("Parts", default=10)
    trial_count = fields.Integer("Trials", default=3)
    appraiser_ids = fields.Many2many("res.users", string="Appraisers")
    appraiser_names = fields.Char(
        "Other Appraisers", help="Appraisers without a user, separated by commas."
    )
    reference_value = fields.Float(digits=(16, 6), help="Value of the reference part (type 1).")
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    done_date = fields.Datetime("Done On", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    line_ids = fields.One2many("mqc.gauge.study.line", "study_id", "Measurements", copy=True)
    line_count = fields.Integer(compute="_compute_line_count")

    # results (standard deviations, percentages)
    ev = fields.Float("Repeatability (EV)", digits=(16, 6), readonly=True, copy=False)
    av = fields.Float("Reproducibility (AV)", digits=(16, 6), readonly=True, copy=False)
    interaction_sd = fields.Float("Interaction", digits=(16, 6), readonly=True, copy=False)
    grr = fields.Float("Gauge R&R (GRR)", digits=(16, 6), readonly=True, copy=False)
    pv = fields.Float("Part Variation (PV)", digits=(16, 6), readonly=True, copy=False)
    tv = fields.Float("Total Variation (TV)", digits=(16, 6), readonly=True, copy=False)
    pct_grr_contribution = fields.Float(
        "%Contribution GRR", digits=(16, 2), readonly=True, copy=False
    )
    pct_grr_study_var = fields.Float("%Study Var GRR", digits=(16, 2), readonly=True, copy=False)
    pct_grr_tolerance = fields.Float("%Tolerance GRR", digits=(16, 2), readonly=True, copy=False)
    ndc = fields.Integer("Distinct Categories (ndc)", readonly=True, copy=False)
    interaction_pooled = fields.Boolean(readonly=True, copy=False)
    mean = fields.Float(digits=(16, 6), readonly=True, copy=False)
    std = fields.Float("Standard Deviation", digits=(16, 6), readonly=True, copy=False)
    bias = fields.Float(digits=(16, 6), readonly=True, copy=False)
    t_value = fields.Float("t", digits=(16, 3), readonly=True, copy=False)
    p_value = fields.Float("p", digits=(16, 4), readonly=True, copy=False)
    cg = fields.Float(digits=(16, 2), readonly=True, copy=False)
    cgk = fields.Float(digits=(16, 2), readonly=True, copy=False)
    slope = fields.Float(digits=(16, 6), readonly=True, copy=False)
    intercept = fields.Float(digits=(16, 6), readonly=True, copy=False)
    r_squared = fields.Float("R²", digits=(16, 4), readonly=True, copy=False)
    pct_linearity = fields.Float("%Linearity", digits=(16, 2), readonly=True, copy=False)
    p_slope = fields.Float("p (slope)", digits=(16, 4), readonly=True, copy=False)
    kappa = fields.Float(
        digits=(16, 3), readonly=True, copy=False, help="Lowest kappa of the study."
    )
    pct_agreement = fields.Float(
        "% Agreement", digits=(16, 1), readonly=True, copy=False, help="Between appraisers."
    )
    results = fields.Json(readonly=True, copy=False)
    results_html = fields.Html("Details", compute="_compute_results_html", sanitize=False)
    charts_html = fields.Html(
        "Charts",
        compute="_compute_charts_html",
        sanitize=False,
        help="Drawn when the form shows them (not stored, never read by lists).",
    )
    verdict = fields.Selection(VERDICTS, readonly=True, copy=False, tracking=True)
    verdict_text = fields.Text("Conclusion", readonly=True, copy=False)
    computed_at = fields.Datetime("Computed On", readonly=True, copy=False)

    _check_mqc_text_lengths = client_input.max_lengths(
        appraiser_names=client_input.CHAR_MAX,
        note=client_input.NOTE_MAX,
    )

    @api.depends("gauge_id")
    def _compute_gauge_family_id(self):
        for study in self:
            if study.gauge_id:
                study.gauge_family_id = study.gauge_id.mqc_gauge_family_id

    @api.depends("characteristic_id")
    def _compute_tolerance(self):
        for study in self:
            char = study.characteristic_id
            if char.result_type == "measure" and char.tolerance_type == "bilateral":
                study.tolerance = char.upper_limit - char.lower_limit
            elif char and char.tolerance_type == "upper":
                study.tolerance = char.upper_limit - char.lower_limit
            elif not char:
                study.tolerance = study.tolerance or 0.0
            else:
                study.tolerance = 0.0

    @api.depends("line_ids")
    def _compute_line_count(self):
        for study in self:
            study.line_count = len(study.line_ids)

    @api.onchange("study_type")
    def _onchange_study_type(self):
        # the usual designs: type 1 on 25 readings (VDA 5 asks 25 to 50), R&R 10 x 3 x 3,
        # linearity 5 references x 12 (AIAG), attribute 3 trials
        parts, trials = {
            "type1": (1, 25),
            "grr_crossed": (10, 3),
            "linearity": (5, 12),
            "attribute": (10, 3),
        }[self.study_type or "grr_crossed"]
        self.part_count, self.trial_count = parts, trials

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("mqc.gauge.study") or "/"
        return super().create(vals_list)

    def write(self, vals):
        # The inputs of a done or cancelled study no longer change, for anyone.
        if set(vals) - UNLOCKED_FIELDS - self._mqc_guarded_fields:
            self._check_editable()
        return super().write(vals)

    def _mqc_internal_write(self, vals):
        # Private: the buttons calling it checked the caller's write access to
        # these studies (metrologists, technicians and managers of their company).
        return self.sudo().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for study in self:
            if study.state == "done":
                raise UserError(
                    self.env._(
                        "%(study)s is done: a done study is evidence and cannot be deleted.",
                        study=study.name,
                    )
                )

    def _check_editable(self):
        for study in self:
            if study.state != "draft":
                raise UserError(
                    self.env._(
                        "%(study)s is %(state)s and can no longer be changed: create a new "
                        "study instead.",
                        study=study.name,
                        state=dict(study._fields["state"]._description_selection(self.env))[
                            study.state
                        ],
                    )
                )

    # ------------------------------------------------------------------
    # Grid
    # ------------------------------------------------------------------

    def _appraiser_labels(self):
        self.ensure_one()
        labels = [user.name for user in self.appraiser_ids]
        labels += [name.strip() for name in (self.appraiser_names or "").split(",") if name.strip()]
        return list(dict.fromkeys(labels))

    def _grid_shape(self):
        """(parts, appraisers, trials) the grid of this study must have."""
        self.ensure_one()
        if self.study_type in ("type1", "linearity"):
            appraisers = self._appraiser_labels()[:1] or [self.env.user.name]
        else:
            appraisers = self._appraiser_labels()
        parts = 1 if self.study_type == "type1" else self.part_count
        return parts, appraisers, self.trial_count

    def _check_grid_shape(self, parts, appraisers, trials):
        self.ensure_one()
        if self.study_type in ("grr_crossed", "attribute") and len(appraisers) < 2:
            raise UserError(
                self.env._(
                    "%(study)s: a %(type)s needs at least 2 appraisers (%(count)s given): add "
                    "users or names of appraisers.",
                    study=self.name,
                    type=self._type_label(),
                    count=len(appraisers),
                )
            )
        if self.study_type != "type1" and parts < 2:
            raise UserError(
                self.env._(
                    "%(study)s: at least 2 parts are needed (%(count)s given).",
                    study=self.name,
                    count=parts,
                )
            )
        minimum = 10 if self.study_type == "type1" else 2
        if trials < minimum:
            raise UserError(
                self.env._(
                    "%(study)s: at least %(minimum)s trials are needed (%(count)s given).",
                    study=self.name,
                    minimum=minimum,
                    count=trials,
                )
            )

    def _type_label(self):
        return dict(self._fields["study_type"]._description_selection(self.env))[self.study_type]

    def action_prepare_grid(self):
        """Replace the lines by the empty grid, in the order the appraisers
        measure: trial by trial, each appraiser measuring every part."""
        for study in self:
            study._check_editable()
            parts, appraisers, trials = study._grid_shape()
            study._check_grid_shape(parts, appraisers, trials)
            commands = [Command.clear()]
            sequence = 0
            for trial in range(1, trials + 1):
                for appraiser in appraisers:
                    for part in range(1, parts + 1):
                        sequence += 1
                        commands.append(
                            Command.create(
                                {
                                    "sequence": sequence,
                                    "part": part,
                                    "appraiser": appraiser,
                                    "trial": trial,
                                }
                            )
                        )
            study.write({"line_ids": commands})
            study._reset_results()
        return True

    def action_load_measurements(self):
        """Type 1: take the latest recorded measurements of the characteristic
        made with the gauge, as the trials of the reference part."""
        for study in self:
            study._check_editable()
            if study.study_type != "type1":
                raise UserError(
                    self.env._("Loading recorded measurements is for type 1 studies only.")
                )
            if not study.characteristic_id or not study.gauge_id:
                raise UserError(
                    self.env._(
                        "%(study)s: choose the characteristic and the gauge whose measurements "
                        "are loaded.",
                        study=study.name,
                    )
                )
            measures = self.env["mqc.measurement"].search(
                [
                    ("characteristic_id", "=", study.characteristic_id.id),
                    ("gauge_id", "=", study.gauge_id.id),
                    ("is_current", "=", True),
                ],
                order="recorded_at desc, id desc",
                limit=max(study.trial_count, 10),
            )
            if len(measures) < 10:
                raise UserError(
                    self.env._(
                        "%(study)s: %(count)s measurement(s) of %(char)s with %(gauge)s are "
                        "recorded; a type 1 study needs at least 10.",
                        study=study.name,
                        count=len(measures),
                        char=study.characteristic_id.display_name,
                        gauge=study.gauge_id.display_name,
                    )
                )
            commands = [Command.clear()]
            for trial, measure in enumerate(reversed(measures), start=1):
                commands.append(
                    Command.create(
                        {
                            "sequence": trial,
                            "part": 1,
                            "appraiser": measure.user_id.name,
                            "trial": trial,
                            "value": measure.value,
                            "measurement_id": measure.id,
                        }
                    )
                )
            study.write({"line_ids": commands, "trial_count": len(measures)})
            study._reset_results()
        return True

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    def _reset_results(self):
        empty = {}
        for name in RESULT_FIELDS:
            field = self._fields[name]
            empty[name] = False if field.type not in ("float", "integer") else 0
        self._mqc_internal_write(empty)

    def _checked_lines(self):
        """The lines, after refusing a grid with missing values or fewer than
        2 parts / appraisers / trials."""
        self.ensure_one()
        lines = self.line_ids
        if not lines:
            raise UserError(
                self.env._(
                    "%(study)s has no measurements: prepare the grid and fill it in first.",
                    study=self.name,
                )
            )
        attribute = self.study_type == "attribute"
        missing = lines.filtered(lambda line: not line.rating if attribute else not line.has_value)
        if missing:
            raise UserError(
                self.env._(
                    "%(study)s: %(count)s value(s) missing, the first one: %(line)s.",
                    study=self.name,
                    count=len(missing),
                    line=missing[0].display_name,
                )
            )
        parts = set(lines.mapped("part"))
        crossed = self.study_type in ("grr_crossed", "attribute")
        # type 1 and linearity: the readings of a part may come from several people
        appraisers = set(lines.mapped("appraiser")) if crossed else {""}
        cells = {}
        for line in lines:
            key = (line.part, line.appraiser if crossed else "")
            cells[key] = cells.get(key, 0) + 1
        trials = max(cells.values())
        self._check_grid_shape(len(parts), sorted(appraisers), trials)
        for part in sorted(parts):
            for appraiser in sorted(appraisers):
                count = cells.get((part, appraiser), 0)
                if count != trials and not crossed:
                    raise UserError(
                        self.env._(
                            "%(study)s: the grid is unbalanced - part %(part)s has %(count)s "
                            "reading(s), every part needs %(trials)s.",
                            study=self.name,
                            part=part,
                            count=count,
                            trials=trials,
                        )
                    )
                if count != trials:
                    raise UserError(
                        self.env._(
                            "%(study)s: the grid is unbalanced - part %(part)s measured by "
                            "%(appraiser)s has %(count)s trial(s), every part and appraiser "
                            "needs %(trials)s.",
                            study=self.name,
                            part=part,
                            appraiser=appraiser,
                            count=count,
                            trials=trials,
                        )
                    )
        return lines.sorted(lambda line: (line.part, line.appraiser, line.trial, line.id))

    def _check_tolerance(self, reason):
        self.ensure_one()
        if self.tolerance <= 0:
            raise UserError(
                self.env._(
                    "%(study)s: %(reason)s needs the tolerance; the characteristic gives none, "
                    "type it on the study.",
                    study=self.name,
                    reason=reason,
                )
            )

    def action_compute(self):
        self.check_access("write")
        for study in self:
            study._check_editable()
            lines = study._checked_lines()
            try:
                values = getattr(study, f"_compute_{study.study_type}")(lines)
            except SpcInputError as exc:
                raise UserError(
                    self.env._(
                        "%(study)s cannot be computed: %(error)s", study=study.name, error=exc
                    )
                ) from None
            values["computed_at"] = fields.Datetime.now()
            study._reset_results()
            study._mqc_internal_write(values)
        return True

    def _compute_grr_crossed(self, lines):
        if self.grr_basis == "tolerance":
            self._check_tolerance(self.env._("judging %GRR on the tolerance"))
        result = gauge_rr(
            lines.mapped("value"),
            parts=lines.mapped("part"),
            operators=lines.mapped("appraiser"),
            tolerance=self.tolerance if self.tolerance > 0 else None,
            method=self.method,
            alpha=self.alpha,
        )
        pct_tol = result.pct_tolerance or {}
        pct = pct_tol.get("grr") if self.grr_basis == "tolerance" else result.pct_study_var["grr"]
        verdict, text = self._grr_verdict(pct, result.ndc)
        anova = (
            result.anova_without_interaction
            if result.interaction_pooled
            else result.anova_with_interaction
        )
        return {
            "ev": result.ev,
            "av": result.av,
            "interaction_sd": result.interaction,
            "grr": result.grr,
            "pv": result.pv,
            "tv": result.tv,
            "pct_grr_contribution": result.pct_contribution["grr"],
            "pct_grr_study_var": result.pct_study_var["grr"],
            "pct_grr_tolerance": pct_tol.get("grr", 0.0),
            "ndc": result.ndc,
            "interaction_pooled": result.interaction_pooled,
            "verdict": verdict,
            "verdict_text": text,
            "results": {
                "sd": {
                    k: getattr(result, k) for k in ("ev", "av", "interaction", "grr", "pv", "tv")
                },
                "pct_contribution": result.pct_contribution,
                "pct_study_var": result.pct_study_var,
                "pct_tolerance": result.pct_tolerance,
                "interaction_p": _finite(result.interaction_p),
                "anova": [
                    {
                        "source": row.source,
                        "df": row.df,
                        "ss": row.ss,
                        "ms": row.ms,
                        "f": _finite(row.f),
                        "p": _finite(row.p),
                    }
                    for row in anova
                ]
                if self.method == "anova"
                else [],
            },
        }

    def _grr_verdict(self, pct, ndc):
        basis = dict(self._fields["grr_basis"]._description_selection(self.env))[self.grr_basis]
        figures = self.env._(
            "%%GRR = %(pct).1f %% (%(basis)s), ndc = %(ndc)s.", pct=pct, basis=basis, ndc=ndc
        )
        if pct > GRR_CONDITIONAL:
            return "unacceptable", self.env._(
                "%(figures)s Not acceptable: the gauge uses more than 30 %% of the variation; "
                "improve or replace the measurement system.",
                figures=figures,
            )
        if ndc < NDC_MIN:
            return "unacceptable", self.env._(
                "%(figures)s Not acceptable: the gauge tells only %(ndc)s categories of parts "
                "apart, at least 5 are required.",
                figures=figures,
                ndc=ndc,
            )
        if pct >= GRR_ACCEPTABLE:
            return "conditional", self.env._(
                "%(figures)s Conditionally acceptable (10 to 30 %%): usable depending on the "
                "importance of the characteristic and the cost of improving the gauge.",
                figures=figures,
            )
        return "acceptable", self.env._("%(figures)s Acceptable: below 10 %%.", figures=figures)

    def _compute_type1(self, lines):
        self._check_tolerance(self.env._("a type 1 study"))
        resolution = self.gauge_id.mqc_resolution or None
        result = type1_study(
            lines.mapped("value"),
            reference=self.reference_value,
            tolerance=self.tolerance,
            resolution=resolution,
        )
        figures = self.env._(
            "Cg = %(cg).2f, Cgk = %(cgk).2f, bias = %(bias).4g (p = %(p).3f).",
            cg=result.cg,
            cgk=result.cgk,
            bias=result.bias,
            p=result.p,
        )
        if result.capable:
            verdict = "acceptable"
            text = self.env._(
                "%(figures)s Acceptable: Cg and Cgk are at least 1.33.", figures=figures
            )
        else:
            verdict = "unacceptable"
            text = self.env._(
                "%(figures)s Not acceptable: Cg and Cgk must both be at least 1.33; the gauge "
                "scatters or is biased too much for this tolerance.",
                figures=figures,
            )
        if result.resolution_ok is False:
            text += " " + self.env._(
                "The resolution of the gauge is %(pct).1f %% of the tolerance (5 %% at most).",
                pct=result.pct_resolution,
            )
        return {
            "mean": result.mean,
            "std": result.std,
            "bias": result.bias,
            "t_value": _finite(result.t) or 0.0,
            "p_value": result.p,
            "cg": _finite(result.cg) or 0.0,
            "cgk": _finite(result.cgk) or 0.0,
            "verdict": verdict,
            "verdict_text": text,
            "results": {
                "pct_resolution": result.pct_resolution,
                "resolution_ok": result.resolution_ok,
                "k": result.k,
                "L": result.L,
            },
        }

    def _compute_linearity(self, lines):
        references = {}
        for line in lines:
            references.setdefault(line.part, set()).add(line.reference)
        for part, refs in references.items():
            if len(refs) != 1:
                raise UserError(
                    self.env._(
                        "%(study)s: part %(part)s has several reference values; every line of a "
                        "part carries the same reference.",
                        study=self.name,
                        part=part,
                    )
                )
        result = linearity(
            lines.mapped("reference"),
            lines.mapped("value"),
            process_variation=self.tolerance if self.tolerance > 0 else None,
        )
        significant = [b for b in result.biases if b.p is not None and b.p < 0.05]
        figures = self.env._(
            "Slope = %(slope).4g (p = %(p).3f), %%linearity = %(pct).1f %%, R² = %(r2).2f.",
            slope=result.slope,
            p=result.p_slope,
            pct=result.pct_linearity,
            r2=result.r_squared,
        )
        if result.p_slope < 0.05:
            verdict = "unacceptable"
            text = self.env._(
                "%(figures)s Not acceptable: the bias changes significantly along the range "
                "(slope different from 0).",
                figures=figures,
            )
        elif significant:
            verdict = "unacceptable"
            text = self.env._(
                "%(figures)s Not acceptable: significant bias at the reference %(ref)s.",
                figures=figures,
                ref=significant[0].reference,
            )
        else:
            verdict = "acceptable"
            text = self.env._(
                "%(figures)s Acceptable: no significant linearity nor bias.", figures=figures
            )
        return {
            "slope": result.slope,
            "intercept": result.intercept,
            "r_squared": result.r_squared,
            "pct_linearity": result.pct_linearity,
            "p_slope": result.p_slope,
            "bias": result.average_bias,
            "verdict": verdict,
            "verdict_text": text,
            "results": {
                "biases": [
                    {
                        "reference": b.reference,
                        "n": b.n,
                        "bias": b.bias,
                        "t": _finite(b.t),
                        "p": _finite(b.p),
                    }
                    for b in result.biases
                ],
            },
        }

    def _compute_attribute(self, lines):
        standard = None
        if all(lines.mapped("reference_rating")):
            standard = {}
            for line in lines:
                if standard.setdefault(line.part, line.reference_rating) != line.reference_rating:
                    raise UserError(
                        self.env._(
                            "%(study)s: part %(part)s has several reference ratings.",
                            study=self.name,
                            part=line.part,
                        )
                    )
        result = attribute_agreement(
            [line.rating.strip().upper() for line in lines],
            parts=lines.mapped("part"),
            appraisers=lines.mapped("appraiser"),
            standard={k: v.strip().upper() for k, v in standard.items()} if standard else None,
        )

        def stat(s):
            return {
                "label": s.label,
                "inspected": s.inspected,
                "matched": s.matched,
                "percent": s.percent,
                "ci_low": s.ci_low,
                "ci_high": s.ci_high,
                "kappa": _finite(s.kappa),
            }

        stats = [result.between, *(result.each_vs_standard or ())]
        kappas = [s.kappa for s in stats if s.kappa is not None and _finite(s.kappa) is not None]
        kappa = min(kappas) if kappas else 0.0
        figures = self.env._(
            "Agreement between appraisers %(pct).0f %%, lowest kappa %(kappa).2f.",
            pct=result.between.percent,
            kappa=kappa,
        )
        if kappa >= KAPPA_GOOD:
            verdict, text = (
                "acceptable",
                self.env._("%(figures)s Acceptable: kappa above 0.75.", figures=figures),
            )
        elif kappa >= KAPPA_MARGINAL:
            verdict, text = (
                "conditional",
                self.env._(
                    "%(figures)s Conditionally acceptable: kappa between 0.40 and 0.75; train the "
                    "appraisers or clarify the criteria.",
                    figures=figures,
                ),
            )
        else:
            verdict, text = (
                "unacceptable",
                self.env._(
                    "%(figures)s Not acceptable: kappa below 0.40, the appraisers do not agree.",
                    figures=figures,
                ),
            )
        return {
            "kappa": kappa,
            "pct_agreement": result.between.percent,
            "verdict": verdict,
            "verdict_text": text,
            "results": {
                "within": [stat(s) for s in result.within],
                "each_vs_standard": [stat(s) for s in result.each_vs_standard or ()],
                "between": stat(result.between),
                "all_vs_standard": stat(result.all_vs_standard) if result.all_vs_standard else None,
            },
        }

    @api.depends("results", "study_type")
    @api.depends("computed_at")
    def _compute_charts_html(self):
        charts = self.env["mqc.gauge.study.charts"]
        for study in self:
            study.charts_html = charts._form_charts_html(study)

    def _compute_results_html(self):
        for study in self:
            study.results_html = self.env["ir.qweb"]._render(
                "mrp_quality_control.mqc_gauge_study_results_table", {"study": study}
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_done(self):
        self.check_access("write")
        for study in self:
            if not study.gauge_id and not study.gauge_family_id:
                raise UserError(
                    self.env._(
                        "%(study)s: choose the gauge or the gauge family it judges.",
                        study=study.name,
                    )
                )
            if not study.characteristic_id:
                raise UserError(
                    self.env._(
                        "%(study)s: choose the characteristic the gauge is judged for.",
                        study=study.name,
                    )
                )
            study.action_compute()
            study._mqc_internal_write(
                {
                    "state": "done",
                    "done_date": fields.Datetime.now(),
                    "done_by_id": self.env.user.id,
                }
            )
        self.env["maintenance.equipment"].invalidate_model(["mqc_unsuitable_characteristic_ids"])
        return True

    def action_cancel(self):
        self.check_access("write")
        for study in self:
            if study.state == "done":
                raise UserError(
                    self.env._(
                        "%(study)s is done and stays as evidence; a new study replaces it.",
                        study=study.name,
                    )
                )
        self._mqc_internal_write({"state": "cancelled"})
        return True

    def action_draft(self):
        for study in self:
            if study.state != "cancelled":
                raise UserError(self.env._("Only a cancelled study can be set back to draft."))
        self.check_access("write")
        self._mqc_internal_write({"state": "draft"})
        return True

    def action_new_study(self):
        """A new draft study of the same gauge and characteristic, with the
        same settings and an empty grid."""
        self.ensure_one()
        new = self.copy({"line_ids": [], "note": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def _applies_to(self, gauge):
        self.ensure_one()
        if self.gauge_id:
            return self.gauge_id == gauge
        return bool(self.gauge_family_id) and self.gauge_family_id == gauge.mqc_gauge_family_id


def _finite(value):
    """A float fit for JSON: None for NaN, infinite or missing values."""
    if value is None:
        return None
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value
