from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_repr

from ..metrology import MetrologyInputError, iso286
from ..metrology.fits import MAX_NOMINAL_MM as ISO286_MAX_SIZE
from ..metrology.fits import SIZED_TOLERANCE_CLASS_PATTERN as SIZED_FIT_PATTERN
from ..metrology.fits import TOLERANCE_CLASS_PATTERN as FIT_PATTERN
from ..spc.frequency import capability_interval
from ..spc.precontrol import zones
from ..spc.rules import RULE_SETS
from ..tools import client_input
from .mqc_guarded_mixin import require_quality_user

GEOMETRIC_TOLERANCES = [
    ("straightness", "Straightness"),
    ("flatness", "Flatness"),
    ("roundness", "Roundness"),
    ("cylindricity", "Cylindricity"),
    ("line_profile", "Profile of a line"),
    ("surface_profile", "Profile of a surface"),
    ("parallelism", "Parallelism"),
    ("perpendicularity", "Perpendicularity"),
    ("angularity", "Angularity"),
    ("position", "Position"),
    ("concentricity", "Concentricity / coaxiality"),
    ("symmetry", "Symmetry"),
    ("circular_runout", "Circular run-out"),
    ("total_runout", "Total run-out"),
]
# The process state lives on the stream (mqc.spc.stream); the characteristic
# shows it. Written by the server only, whatever the plan's state.
SPC_STATE_FIELDS = frozenset(
    {"stream_id", "current_cpk", "current_cpk_valid", "mqc_tightened", "mqc_tightened_band",
     "mqc_conforming_subgroups"}
)  # fmt: skip
RULE_SET_NAMES = {"nelson": "Nelson", "western_electric": "Western Electric"}
AQL_VALUES = [
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40",
    "0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
    "100", "150", "250", "400", "650", "1000",
]  # fmt: skip


class MqcCharacteristic(models.Model):
    """A characteristic to control, as numbered (ballooned) on the drawing."""

    _name = "mqc.characteristic"
    _inherit = ["mqc.guarded.mixin"]
    _description = "Controlled Characteristic"
    _order = "plan_id, sequence, id"
    _check_company_auto = True
    # The process state follows the validated capability studies and the
    # recorded checks (on its stream, mqc.spc.stream._mqc_write_state), never a user's write.
    _mqc_guarded_fields = SPC_STATE_FIELDS

    plan_id = fields.Many2one(
        "mqc.control.plan", "Control Plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    plan_state = fields.Selection(related="plan_id.state")
    product_tmpl_id = fields.Many2one(related="plan_id.product_tmpl_id")
    bom_id = fields.Many2one(related="plan_id.bom_id")
    sequence = fields.Integer(default=10)
    balloon = fields.Char(
        "Balloon No.", required=True, help="Number of the characteristic on the drawing."
    )
    name = fields.Char("Characteristic", required=True, translate=True)
    kind = fields.Selection(
        [
            ("dimensional", "Dimensional"),
            ("geometric", "Geometric"),
            ("surface", "Surface finish"),
            ("cleanliness", "Cleanliness"),
            ("mechanical", "Mechanical property"),
            ("functional", "Functional"),
            ("appearance", "Colour / appearance"),
            ("other", "Other"),
        ],
        required=True,
        default="dimensional",
    )
    criticality = fields.Selection(
        [("critical", "Critical"), ("major", "Major"), ("minor", "Minor")],
        "Class",
        required=True,
        default="major",
    )
    result_type = fields.Selection(
        [
            ("measure", "Measured value"),
            ("attribute", "Pass / fail"),
            ("defects", "Count of defects"),
        ],
        "Type of Result",
        required=True,
        default="measure",
    )
    unit = fields.Char(default="mm")
    limit_source = fields.Selection(
        [
            ("manual", "Typed limits"),
            ("iso286", "ISO 286 fit"),
            ("geometric", "Geometric tolerance (ISO 1101)"),
        ],
        "Limits From",
        required=True,
        default="manual",
    )
    fit_designation = fields.Char(
        "ISO 286 Fit", help="Tolerance class such as h7, H7, g6, js6 (ISO 286-1)."
    )
    geometric_tolerance = fields.Selection(GEOMETRIC_TOLERANCES)
    tolerance_type = fields.Selection(
        [
            ("bilateral", "Lower and upper limits"),
            ("upper", "Upper limit only"),
            ("lower", "Lower limit only"),
        ],
        "Limits",
        compute="_compute_limits",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    nominal = fields.Float(digits=(16, 4))
    lower_limit = fields.Float(
        digits=(16, 4), compute="_compute_limits", store=True, readonly=False, precompute=True
    )
    upper_limit = fields.Float(
        digits=(16, 4), compute="_compute_limits", store=True, readonly=False, precompute=True
    )
    max_defects = fields.Integer("Defects Allowed", default=0)
    tolerance_display = fields.Char("Tolerance", compute="_compute_tolerance_display")
    operation_id = fields.Many2one(
        "mrp.routing.workcenter",
        check_company=True,
        domain="[('bom_id', '=', bom_id)]",
        index=True,
    )
    pass_stage = fields.Selection(
        [
            ("before_finish", "Before finishing pass"),
            ("after_finish", "After finishing pass"),
        ],
        "When in the Operation",
        default="after_finish",
    )
    control_type = fields.Selection(
        [
            ("self_inspection", "Self-inspection (operator)"),
            ("first_piece", "First-piece / setup approval"),
            ("in_process", "In-process (quality inspector)"),
            ("final", "Final inspection"),
            ("lab", "Laboratory"),
        ],
        "Who Controls",
        required=True,
        default="self_inspection",
    )
    method_type = fields.Selection(
        [
            ("gauge", "Measurement with a gauge"),
            ("visual", "Visual inspection"),
            ("ndt", "Non-destructive test"),
            ("destructive", "Destructive test"),
            ("lab", "Laboratory"),
            ("subcontracted", "Subcontracted control"),
        ],
        "Method of Control",
        required=True,
        default="gauge",
    )
    gauge_family_id = fields.Many2one("mqc.gauge.family")
    ndt_method = fields.Selection(
        [
            ("visual", "Visual (VT)"),
            ("radiography", "Radiography (RT)"),
            ("magnetic_particle", "Magnetic particle (MT)"),
            ("penetrant", "Dye penetrant (PT)"),
            ("ultrasonic", "Ultrasonic (UT)"),
            ("eddy_current", "Eddy current (ET)"),
        ],
        "NDT Method",
    )
    destructive_test = fields.Selection(
        [
            ("rockwell", "Rockwell hardness"),
            ("vickers", "Vickers hardness"),
            ("brinell", "Brinell hardness"),
            ("charpy", "Charpy impact"),
            ("tensile", "Tensile test"),
            ("macro_section", "Weld macro-section"),
        ],
    )
    method_notes = fields.Text("Method Details", translate=True)
    frequency_mode = fields.Selection(
        [
            ("every_piece", "Every piece"),
            ("every_n", "Every N pieces"),
            ("every_t", "Every T minutes"),
            ("batch_start", "At start of batch"),
            ("batch_end", "At end of batch"),
            ("batch_start_end", "At start and end of batch"),
            ("tool_change", "After tool change or adjustment"),
            ("aql", "Sampling by ISO 2859-1 AQL"),
            ("capability", "Driven by capability (Cpk)"),
        ],
        "Frequency",
        required=True,
        default="every_piece",
    )
    frequency_n = fields.Integer("Every N Pieces", default=1)
    frequency_minutes = fields.Integer("Every T Minutes", default=60)
    aql = fields.Selection([(v, v) for v in AQL_VALUES], "AQL")
    inspection_level = fields.Selection(
        [
            ("S-1", "S-1"),
            ("S-2", "S-2"),
            ("S-3", "S-3"),
            ("S-4", "S-4"),
            ("I", "I"),
            ("II", "II"),
            ("III", "III"),
        ],
        default="II",
    )
    reference_interval = fields.Integer(
        default=20,
        help="Pieces between two checks when the process is just capable "
        "(1.67 ≤ Cpk < 2.00); the capability bands scale it.",
    )
    relax_after = fields.Integer(
        "Relax After Subgroups",
        default=5,
        help="Conforming subgroups needed before a tightened frequency relaxes by one band.",
    )
    stream_id = fields.Many2one(
        "mqc.spc.stream",
        "Process Stream",
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        help="The history of this characteristic across the plan's revisions: limits, Cpk, "
        "tightening and drift rules follow it. Set on approval from the previous revision.",
    )
    current_cpk = fields.Float(related="stream_id.current_cpk")
    current_cpk_valid = fields.Boolean(related="stream_id.current_cpk_valid")
    mqc_tightened = fields.Boolean(related="stream_id.tightened")
    mqc_tightened_band = fields.Integer(related="stream_id.tightened_band")
    mqc_conforming_subgroups = fields.Integer(related="stream_id.conforming_subgroups")
    spc_limit_ids = fields.One2many(related="stream_id.limit_ids")
    frequency_change_ids = fields.One2many(related="stream_id.frequency_change_ids")
    capability_study_ids = fields.One2many(related="stream_id.capability_study_ids")
    effective_interval = fields.Integer(
        "Current Interval", compute="_compute_effective_interval"
    )
    drift_opens_alert = fields.Boolean(
        "Drift Opens an Alert",
        compute="_compute_drift_opens_alert",
        store=True,
        readonly=False,
        help="A drift event (broken run rule) also opens a quality alert. "
        "Ticked by default for critical characteristics.",
    )
    spc_rule_set = fields.Selection(
        [("nelson", "Nelson (8 tests)"), ("western_electric", "Western Electric (4 rules)")],
        "Run Rules",
        required=True,
        default="nelson",
        help="The run rules the control chart and the drift detection apply.",
    )
    spc_rule_tests = fields.Char(
        "Tests Applied",
        help="Numbers of the tests of the rule set to apply, e.g. 1, 2, 3, 5; empty: all.",
    )
    frequency_display = fields.Char("Frequency Rule", compute="_compute_frequency_display")
    reaction_out_of_tolerance = fields.Text("Reaction: Out of Tolerance", translate=True)
    reaction_drift = fields.Text("Reaction: Drift", translate=True)
    notify_user_ids = fields.Many2many("res.users", string="Who Is Told")
    instruction = fields.Html(translate=True)
    image = fields.Image(max_width=1024, max_height=1024)

    _check_mqc_text_lengths = client_input.max_lengths(
        balloon=client_input.CHAR_MAX,
        name=client_input.CHAR_MAX,
        unit=client_input.CHAR_MAX,
        fit_designation=client_input.CHAR_MAX,
        method_notes=client_input.REASON_MAX,
        reaction_out_of_tolerance=client_input.REASON_MAX,
        reaction_drift=client_input.REASON_MAX,
        instruction=client_input.HTML_MAX,
    )

    _sql_constraints = [
        (
            "balloon_unique",
            "unique(plan_id, balloon)",
            "A balloon number is used once per control plan revision.",
        ),
    ]

    @api.depends(
        "limit_source", "fit_designation", "nominal", "geometric_tolerance", "result_type"
    )
    def _compute_limits(self):
        for char in self:
            if char.result_type == "measure" and char.limit_source == "iso286":
                lower, upper = char._iso286_limits()
                char.lower_limit, char.upper_limit = lower, upper
                char.tolerance_type = "bilateral"
            elif char.limit_source == "geometric":
                char.lower_limit = 0.0
                char.upper_limit = char.upper_limit
                char.tolerance_type = "upper"
            else:
                char.lower_limit = char.lower_limit
                char.upper_limit = char.upper_limit
                char.tolerance_type = char.tolerance_type or "bilateral"

    def _iso286_limits(self):
        self.ensure_one()
        designation = (self.fit_designation or "").strip()
        field_fit = self.env._("ISO 286 Fit")
        if not designation:
            raise ValidationError(
                self.env._(
                    "%(field)s: give a tolerance class (e.g. h7) for characteristic "
                    "%(balloon)s.",
                    field=field_fit,
                    balloon=self.balloon or self.name or "",
                )
            )
        if not FIT_PATTERN.match(designation):
            raise ValidationError(
                self.env._(
                    "%(field)s: '%(fit)s' is not an ISO 286 tolerance class (one or two "
                    "letters, capital for a hole, small for a shaft, then a grade 01, "
                    "0 or 1 to 18).",
                    field=field_fit,
                    fit=designation,
                )
            )
        if not 0.0 < self.nominal <= ISO286_MAX_SIZE:
            raise ValidationError(
                self.env._(
                    "Nominal: %(size)s mm is outside the ISO 286 range of sizes "
                    "(above 0 up to %(max)s mm).",
                    size=float_repr(self.nominal, 4),
                    max=int(ISO286_MAX_SIZE),
                )
            )
        try:
            fit = iso286(self.nominal, designation)
        except MetrologyInputError as error:
            raise ValidationError(
                self.env._(
                    "%(field)s: %(fit)s is not defined by ISO 286 for %(size)s mm "
                    "(%(reason)s).",
                    field=field_fit,
                    fit=designation,
                    size=float_repr(self.nominal, 4),
                    reason=str(error),
                )
            ) from error
        return fit.lower_limit, fit.upper_limit

    @api.depends(
        "result_type", "tolerance_type", "lower_limit", "upper_limit", "nominal",
        "fit_designation", "limit_source", "geometric_tolerance", "max_defects", "unit",
    )  # fmt: skip
    def _compute_tolerance_display(self):
        selection = dict(self._fields["geometric_tolerance"]._description_selection(self.env))
        for char in self:
            unit = char.unit or ""
            if char.result_type == "attribute":
                text = self.env._("OK / NOK")
            elif char.result_type == "defects":
                text = self.env._("≤ %s defects", char.max_defects)
            elif char.limit_source == "geometric":
                symbol = selection.get(char.geometric_tolerance, "")
                text = f"{symbol} ≤ {char.upper_limit:g} {unit}"
            elif char.tolerance_type == "upper":
                text = f"≤ {char.upper_limit:g} {unit}"
            elif char.tolerance_type == "lower":
                text = f"≥ {char.lower_limit:g} {unit}"
            else:
                # Both limits with the same number of decimals, as on a drawing.
                decimals = max(_decimals(char.lower_limit), _decimals(char.upper_limit))
                text = f"{char.lower_limit:.{decimals}f} – {char.upper_limit:.{decimals}f} {unit}"
                if char.limit_source == "iso286":
                    text = f"Ø{char.nominal:g} {char.fit_designation} ({text})"
            char.tolerance_display = text.strip()

    @api.depends(
        "frequency_mode", "frequency_n", "frequency_minutes", "aql", "inspection_level",
        "effective_interval",
    )  # fmt: skip
    def _compute_frequency_display(self):
        labels = dict(self._fields["frequency_mode"]._description_selection(self.env))
        for char in self:
            mode = char.frequency_mode
            if mode == "every_n":
                text = self.env._("Every %s pieces", char.frequency_n)
            elif mode == "every_t":
                text = self.env._("Every %s minutes", char.frequency_minutes)
            elif mode == "aql":
                text = self.env._(
                    "ISO 2859-1, AQL %(aql)s, level %(level)s",
                    aql=char.aql or "",
                    level=char.inspection_level or "",
                )
            elif mode == "capability":
                text = self.env._(
                    "Capability-driven: now every %s pieces", char.effective_interval
                )
            else:
                text = labels.get(mode, "")
            char.frequency_display = text

    @api.constrains(
        "result_type", "tolerance_type", "lower_limit", "upper_limit", "nominal",
        "max_defects", "limit_source", "geometric_tolerance",
    )  # fmt: skip
    def _check_limits(self):
        for char in self:
            label = char.balloon or char.name or ""
            if char.result_type == "defects" and char.max_defects < 0:
                raise ValidationError(
                    self.env._(
                        "Defects Allowed: characteristic %(c)s cannot allow a negative "
                        "number of defects (%(n)s).",
                        c=label,
                        n=char.max_defects,
                    )
                )
            if char.result_type != "measure":
                continue
            if char.limit_source == "geometric":
                if not char.geometric_tolerance:
                    raise ValidationError(
                        self.env._(
                            "Geometric Tolerance: choose the ISO 1101 tolerance of "
                            "characteristic %s.",
                            label,
                        )
                    )
                if float_compare(char.upper_limit, 0.0, precision_digits=6) <= 0:
                    raise ValidationError(
                        self.env._(
                            "Upper limit: the geometric tolerance of characteristic "
                            "%(c)s must be above 0 (got %(v)s).",
                            c=label,
                            v=char.upper_limit,
                        )
                    )
                continue
            if char.tolerance_type == "bilateral":
                if float_compare(char.lower_limit, char.upper_limit, precision_digits=6) >= 0:
                    raise ValidationError(
                        self.env._(
                            "Lower limit: %(low)s must be below the upper limit %(up)s "
                            "(characteristic %(c)s).",
                            low=char.lower_limit,
                            up=char.upper_limit,
                            c=label,
                        )
                    )
                # With an ISO 286 fit the nominal is the basic size, which a
                # g6 or P7 zone does not contain: only typed limits are checked.
                if char.limit_source == "manual" and char.nominal and not (
                    char.lower_limit - 1e-9 <= char.nominal <= char.upper_limit + 1e-9
                ):
                    raise ValidationError(
                        self.env._(
                            "Nominal: %(nom)s lies outside the limits %(low)s – %(up)s "
                            "(characteristic %(c)s).",
                            nom=char.nominal,
                            low=char.lower_limit,
                            up=char.upper_limit,
                            c=label,
                        )
                    )
            elif char.tolerance_type == "upper" and char.nominal > char.upper_limit + 1e-9:
                raise ValidationError(
                    self.env._(
                        "Nominal: %(nom)s is above the upper limit %(up)s "
                        "(characteristic %(c)s).",
                        nom=char.nominal,
                        up=char.upper_limit,
                        c=label,
                    )
                )
            elif (
                char.tolerance_type == "lower"
                and char.nominal
                and char.nominal < char.lower_limit - 1e-9
            ):
                raise ValidationError(
                    self.env._(
                        "Nominal: %(nom)s is below the lower limit %(low)s "
                        "(characteristic %(c)s).",
                        nom=char.nominal,
                        low=char.lower_limit,
                        c=label,
                    )
                )

    @api.constrains(
        "frequency_mode", "frequency_n", "frequency_minutes", "aql", "reference_interval",
        "relax_after",
    )  # fmt: skip
    def _check_frequency(self):
        for char in self:
            label = char.balloon or char.name or ""
            mode = char.frequency_mode
            if mode == "every_n" and char.frequency_n < 1:
                raise ValidationError(
                    self.env._(
                        "Every N Pieces: must be at least 1 (got %(n)s, characteristic "
                        "%(c)s).",
                        n=char.frequency_n,
                        c=label,
                    )
                )
            if mode == "every_t" and char.frequency_minutes < 1:
                raise ValidationError(
                    self.env._(
                        "Every T Minutes: must be at least 1 minute (got %(n)s, "
                        "characteristic %(c)s).",
                        n=char.frequency_minutes,
                        c=label,
                    )
                )
            if mode == "aql" and not (char.aql and char.inspection_level):
                raise ValidationError(
                    self.env._(
                        "AQL: choose the AQL and inspection level of characteristic %s.",
                        label,
                    )
                )
            if mode == "capability" and (char.reference_interval < 1 or char.relax_after < 1):
                raise ValidationError(
                    self.env._(
                        "Reference Interval and Relax After Subgroups: both must be at "
                        "least 1 (characteristic %s).",
                        label,
                    )
                )

    @api.constrains("operation_id", "plan_id")
    def _check_operation_product(self):
        for char in self.filtered("operation_id"):
            operation_product = char.operation_id.bom_id.product_tmpl_id
            if operation_product != char.plan_id.product_tmpl_id:
                raise ValidationError(
                    self.env._(
                        "Operation: %(op)s belongs to the routing of %(other)s, not of "
                        "%(product)s (characteristic %(c)s).",
                        op=char.operation_id.display_name,
                        other=operation_product.display_name,
                        product=char.plan_id.product_tmpl_id.display_name,
                        c=char.balloon or char.name,
                    )
                )

    @api.constrains("method_type", "gauge_family_id", "ndt_method", "destructive_test")
    def _check_method(self):
        for char in self:
            label = char.balloon or char.name or ""
            if char.method_type == "gauge" and not char.gauge_family_id:
                raise ValidationError(
                    self.env._(
                        "Gauge Family: characteristic %s is measured with a gauge; say "
                        "which family.",
                        label,
                    )
                )
            if char.method_type == "ndt" and not char.ndt_method:
                raise ValidationError(
                    self.env._("NDT Method: choose it for characteristic %s.", label)
                )
            if char.method_type == "destructive" and not char.destructive_test:
                raise ValidationError(
                    self.env._("Destructive Test: choose it for characteristic %s.", label)
                )

    @api.model
    def _split_sized_fit(self, vals):
        """Accept the drawing's notation in the fit field: "Ø20 h7" sets the
        nominal to 20 and the fit to h7."""
        match = SIZED_FIT_PATTERN.match(vals.get("fit_designation") or "")
        if match:
            vals["nominal"] = float(match.group(1).replace(",", "."))
            vals["fit_designation"] = match.group(2)
            vals["limit_source"] = "iso286"
        return vals

    @api.onchange("fit_designation")
    def _onchange_fit_designation(self):
        vals = self._split_sized_fit({"fit_designation": self.fit_designation})
        if "nominal" in vals:
            self.nominal = vals["nominal"]
            self.fit_designation = vals["fit_designation"]

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._split_sized_fit(dict(vals)) for vals in vals_list]
        plan_ids = {vals.get("plan_id") for vals in vals_list if vals.get("plan_id")}
        self.env["mqc.control.plan"].browse(plan_ids)._check_editable({"characteristic_ids": 1})
        return super().create(vals_list)

    def write(self, vals):
        if self.env.su and set(vals) <= SPC_STATE_FIELDS:
            # The process (its stream and state) is not the plan definition.
            return super().write(vals)
        vals = self._split_sized_fit(dict(vals))
        self.plan_id._check_editable({"characteristic_ids": 1})
        if "plan_id" in vals:
            self.env["mqc.control.plan"].browse(vals["plan_id"])._check_editable(
                {"characteristic_ids": 1}
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_on_draft_plans(self):
        self.plan_id._check_editable({"characteristic_ids": 1})

    def _mqc_set_stream(self, stream_id):
        """Private: the stream the characteristic follows (see mqc.spc.stream)."""
        return self.sudo().write({"stream_id": stream_id})

    def _mqc_spec_limits(self):
        """(LSL, USL) of a measured characteristic, None for a missing side:
        the one rule for typed limits, ISO 286 fits (both limits) and ISO 1101
        geometric tolerances (upper limit only, zero is the natural bound)."""
        self.ensure_one()
        if self.result_type != "measure":
            return None, None
        if self.limit_source == "geometric":
            return None, self.upper_limit
        lower = None if self.tolerance_type == "upper" else self.lower_limit
        upper = None if self.tolerance_type == "lower" else self.upper_limit
        return lower, upper

    def _mqc_bounded_at_zero(self):
        """One-sided upper tolerance of a size that cannot be negative (run-out,
        flatness, roughness...): its distribution is skewed by nature."""
        self.ensure_one()
        lower, upper = self._mqc_spec_limits()
        return lower is None and upper is not None and (
            self.limit_source == "geometric" or self.kind in ("geometric", "surface")
        )

    @api.depends("criticality")
    def _compute_drift_opens_alert(self):
        for char in self:
            char.drift_opens_alert = char.criticality == "critical"

    @api.constrains("spc_rule_set", "spc_rule_tests")
    def _check_rule_tests(self):
        for char in self:
            char._mqc_rule_tests()

    def _mqc_rule_tests(self):
        """The test ids of the rule set to apply (None: all), from the typed list."""
        self.ensure_one()
        text = (self.spc_rule_tests or "").replace(";", ",").replace(" ", ",")
        tests = RULE_SETS[self.spc_rule_set or "nelson"]
        chosen = []
        for item in filter(None, text.split(",")):
            if not item.isdigit() or int(item) not in tests:
                raise ValidationError(
                    self.env._(
                        "Tests Applied: %(item)s is not a test of %(set)s (1 to %(max)s), "
                        "characteristic %(c)s.",
                        item=item,
                        set=RULE_SET_NAMES[self.spc_rule_set or "nelson"],
                        max=max(tests),
                        c=self.balloon or self.name or "",
                    )
                )
            chosen.append(int(item))
        return sorted(set(chosen)) or None

    def _mqc_run_rules(self, values, center, sigma):
        """The run rules of this characteristic on a plotted statistic."""
        from ..spc import run_rules

        return run_rules(
            values, center, sigma, rules=self.spc_rule_set or "nelson",
            tests=self._mqc_rule_tests(),
        )  # fmt: skip

    def _mqc_rule_label(self, signals, test):
        """"Nelson 2: 9 points in a row..." in the user's language."""
        return self.env._(
            "%(set)s %(test)s: %(text)s",
            set=RULE_SET_NAMES.get(signals.rule_set, signals.rule_set),
            test=test,
            text=self._mqc_rule_text(signals, test),
        )

    @api.model
    def _mqc_rule_text(self, signals, test):
        """Translated text of run rule ``test`` of ``signals`` (a
        RuleViolations), with the parameters actually used: the engine's
        descriptions are plain English."""
        kind = RULE_SETS[signals.rule_set][test][0]
        param = signals.parameters[test]
        # Arguments computed outside the translation calls (babel reads them).
        if kind == "k_of":
            k, m, z = param[0], param[0] + 1, f"{param[1]:g}"
            return self.env._(
                "%(k)s out of %(k1)s points more than %(z)s sigma from the centre line (same side)",
                k=k,
                k1=m,
                z=z,
            )
        p = f"{param:g}" if isinstance(param, float) else param
        if kind == "beyond":
            return self.env._("1 point more than %(p)s sigma from the centre line", p=p)
        if kind == "side":
            return self.env._("%(p)s points in a row on the same side of the centre line", p=p)
        if kind == "trend":
            return self.env._("%(p)s points in a row, all increasing or all decreasing", p=p)
        if kind == "alt":
            return self.env._("%(p)s points in a row, alternating up and down", p=p)
        if kind == "within":
            return self.env._(
                "%(p)s points in a row within 1 sigma of the centre line (either side)", p=p
            )
        if kind == "outside":
            return self.env._(
                "%(p)s points in a row more than 1 sigma from the centre line (either side)", p=p
            )
        return signals.descriptions[test]

    # ------------------------------------------------------------------
    # Capability-driven frequency (the state is the stream's)
    # ------------------------------------------------------------------
    @api.depends(
        "frequency_mode", "frequency_n", "reference_interval", "criticality", "relax_after",
        "stream_id.current_cpk", "stream_id.current_cpk_valid", "stream_id.tightened",
        "stream_id.tightened_band", "stream_id.conforming_subgroups",
    )  # fmt: skip
    def _compute_effective_interval(self):
        for char in self:
            if char.frequency_mode == "capability" and char.reference_interval >= 1:
                char.effective_interval = char._mqc_frequency_decision().interval
            elif char.frequency_mode == "every_n":
                char.effective_interval = char.frequency_n
            elif char.frequency_mode == "every_piece":
                char.effective_interval = 1
            else:
                char.effective_interval = 0

    def _mqc_frequency_decision(self, **state):
        self.ensure_one()
        stream = self.stream_id
        tightened = state.get("tightened", stream.tightened)
        return capability_interval(
            stream.current_cpk if stream.current_cpk_valid else None,
            max(self.reference_interval, 1),
            criticality=self.criticality,
            tightened_band=state.get("band", stream.tightened_band) if tightened else None,
            conforming_subgroups=state.get("conforming", stream.conforming_subgroups),
            relax_after=max(self.relax_after, 1),
        )

    def _mqc_frequency_feedback(self, failed, conforming):
        """Updates the tightening state of the streams after recorded checks.

        ``failed``: characteristics with a failed check or a drift event
        (tightened to every piece); ``conforming``: {characteristic id: number
        of passed checks (subgroups)}. Every change of the interval is logged
        on the stream."""
        # The log of the changes made by the recorded checks or the study whose
        # callers were checked; users have no create access on the log.
        Change = self.env["mqc.frequency.change"].sudo()
        logs = []
        for char in self.filtered(lambda c: c.frequency_mode == "capability" and c.stream_id):
            stream = char.stream_id
            old = char.effective_interval
            if char in failed:
                new_state = {"tightened": True, "band": 0, "conforming": 0}
                reason = "tightened"
            elif stream.tightened and conforming.get(char.id):
                count = stream.conforming_subgroups + conforming[char.id]
                decision = char._mqc_frequency_decision(conforming=count)
                new_state = {"tightened": decision.reason == "tightened", "conforming": count}
                if not new_state["tightened"]:
                    new_state.update(band=0, conforming=0)
                reason = "relaxed"
            else:
                continue
            stream._mqc_write_state(
                {
                    "tightened": new_state["tightened"],
                    "tightened_band": new_state.get("band", stream.tightened_band),
                    "conforming_subgroups": new_state["conforming"],
                }
            )
            new = char.effective_interval
            if new != old or reason == "tightened":
                logs.append(
                    {
                        "stream_id": stream.id,
                        "characteristic_id": char.id,
                        "old_interval": old,
                        "new_interval": new,
                        "reason": reason,
                    }
                )
        if logs:
            Change.create(logs)

    # ------------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------------
    @api.model
    def _mqc_characteristic(self, characteristic_id):
        """The characteristic of id ``characteristic_id`` sent by a client,
        refused when it does not exist or the user may not read it."""
        return client_input.existing(
            self.env,
            "mqc.characteristic",
            characteristic_id,
            self.env._("Characteristic"),
            message=self.env._("This characteristic does not exist."),
        )

    def action_mqc_open_chart(self):
        """The control-chart screen of this characteristic's stream."""
        self.ensure_one()
        require_quality_user(self)
        action = self.env["ir.actions.actions"]._for_xml_id(
            "mrp_quality_control.mqc_spc_chart_action"
        )
        action["params"] = {"characteristic_id": self.id}
        action["context"] = {"characteristic_id": self.id}
        return action

    def action_mqc_open_stream(self):
        """The process stream of this characteristic."""
        self.ensure_one()
        require_quality_user(self)
        if not self.stream_id:
            raise UserError(
                self.env._("This characteristic gets its process stream when its plan is approved.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mqc.spc.stream",
            "res_id": self.stream_id.id,
            "view_mode": "form",
        }

    def _mqc_zones(self):
        """Pre-control zones of a measured characteristic (None otherwise)."""
        self.ensure_one()
        if self.result_type != "measure":
            return None
        lower, upper = self._mqc_spec_limits()
        return zones(lower=lower, upper=upper, nominal=self.nominal or None)

    def _display_value(self, field_name):
        """Human-readable value of a field, to compare two revisions."""
        self.ensure_one()
        field = self._fields[field_name]
        value = self[field_name]
        if field.type == "many2one":
            return value.display_name or ""
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type == "float":
            return f"{value:g}"
        if not value:
            return ""
        return str(value)

    def action_open_plan(self):
        self.ensure_one()
        require_quality_user(self)
        if not self.plan_id:
            raise UserError(self.env._("This characteristic has no control plan."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "mqc.control.plan",
            "res_id": self.plan_id.id,
            "view_mode": "form",
        }


def _decimals(value):
    """Decimals needed to write a limit (at most 4, the field's precision)."""
    text = f"{value:.4f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0
