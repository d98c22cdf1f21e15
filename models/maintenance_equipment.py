from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.misc import format_date, get_lang

from ..metrology.rounding import round_to_resolution

# A calibration due within this many days shows as "due soon".
CALIBRATION_DUE_SOON_DAYS = 30
CALIBRATION_STATES = [
    ("valid", "Valid"),
    ("due_soon", "Due Soon"),
    ("expired", "Expired"),
    ("unknown", "Unknown"),
]


class MaintenanceEquipment(models.Model):
    """Gauges are maintenance equipment: the calibration and the repairs of a
    micrometer follow the same path as those of a machine."""

    _inherit = "maintenance.equipment"
    _rec_names_search = ["name", "serial_no"]

    mqc_is_gauge = fields.Boolean(
        "Is a Gauge",
        tracking=True,
        help="Measuring equipment operators can pick when they record a check.",
    )
    mqc_gauge_family_id = fields.Many2one(
        "mqc.gauge.family", "Gauge Family", tracking=True, index="btree_not_null"
    )
    mqc_resolution = fields.Float(
        "Resolution",
        digits=(16, 6),
        help="Smallest step the gauge reads (0.01 for a caliper, 0.001 for a micrometer). "
        "Values typed with more decimals are rounded to it, ties to even.",
    )
    mqc_range_min = fields.Float("Range From", digits=(16, 6))
    mqc_range_max = fields.Float(
        "Range To",
        digits=(16, 6),
        help="Measuring range of the gauge; leave both bounds at 0 for no range check.",
    )
    mqc_calibration_due_date = fields.Date("Calibration Due Date", tracking=True)
    mqc_available = fields.Boolean(
        "Available",
        default=True,
        tracking=True,
        help="Untick while the gauge is lost, broken, lent or away for calibration.",
    )
    mqc_calibration_state = fields.Selection(
        CALIBRATION_STATES,
        "Calibration",
        compute="_compute_mqc_calibration_state",
        search="_search_mqc_calibration_state",
        help="Expired after the due date; due soon within 30 days of it; unknown without a "
        "due date.",
    )

    mqc_unsuitable_characteristic_ids = fields.Many2many(
        "mqc.characteristic",
        string="Not Suitable For",
        compute="_compute_mqc_unsuitable_characteristic_ids",
        groups="mrp_quality_control.group_mqc_auditor",
        help="Characteristics whose latest done gauge study of this gauge (or of its family) "
        "is not acceptable.",
    )
    mqc_study_count = fields.Integer(
        "Gauge Studies",
        compute="_compute_mqc_study_count",
        groups="mrp_quality_control.group_mqc_auditor",
    )

    @api.depends("mqc_gauge_family_id")
    def _compute_mqc_unsuitable_characteristic_ids(self):
        studies = self._mqc_latest_studies()
        for gauge in self:
            failed = [
                study.characteristic_id.id
                for study in studies.get(gauge.id, {}).values()
                if study.verdict == "unacceptable"
            ]
            gauge.mqc_unsuitable_characteristic_ids = [Command.set(failed)]

    def _compute_mqc_study_count(self):
        Study = self.env["mqc.gauge.study"]
        for gauge in self:
            gauge.mqc_study_count = Study.search_count(gauge._mqc_study_domain())

    def _mqc_study_domain(self):
        self.ensure_one()
        domain = [("gauge_id", "=", self.id)]
        if self.mqc_gauge_family_id:
            domain = expression.OR(
                [
                    domain,
                    [
                        ("gauge_id", "=", False),
                        ("gauge_family_id", "=", self.mqc_gauge_family_id.id),
                    ],
                ]
            )
        return domain

    def _mqc_latest_studies(self, characteristic=None):
        """{gauge id: {characteristic id: latest done study applying to the
        gauge}}: a study of the gauge itself, or of its family without a gauge.
        ``characteristic`` (one or several) limits the studies looked at."""
        gauges = self.filtered("id")
        if not gauges:
            return {}
        domain = [
            ("state", "=", "done"),
            "|",
            ("gauge_id", "in", gauges.ids),
            "&",
            ("gauge_id", "=", False),
            ("gauge_family_id", "in", gauges.mqc_gauge_family_id.ids),
        ]
        if characteristic:
            domain = expression.AND([domain, [("characteristic_id", "in", characteristic.ids)]])
        # Verdicts of the done studies of gauges the caller sees, to refuse an
        # unsuitable gauge: the refusal holds for readers of any rights.
        studies = self.env["mqc.gauge.study"].sudo().search(domain, order="done_date desc, id desc")
        latest = {}
        for gauge in gauges:
            per_char = latest.setdefault(gauge.id, {})
            for study in studies:
                if study._applies_to(gauge):
                    per_char.setdefault(study.characteristic_id.id, study)
        return latest

    def _mqc_study_refusal(self, characteristic):
        """Why this gauge is not suitable for ``characteristic`` (its latest
        done gauge study fails), as a translated sentence, or False."""
        self.ensure_one()
        if not characteristic:
            return False
        return self._mqc_study_refusals(characteristic).get((self.id, characteristic.id), False)

    def _mqc_study_refusals(self, characteristics):
        """{(gauge id, characteristic id): reason} for the gauges of self not
        suitable for one of ``characteristics`` (the latest done gauge study
        fails); one search of the studies whatever the number of gauges and
        characteristics."""
        if not characteristics:
            return {}
        refusals = {}
        for gauge_id, per_char in self._mqc_latest_studies(characteristics).items():
            gauge = self.browse(gauge_id)
            for char_id, study in per_char.items():
                if study.verdict != "unacceptable":
                    continue
                refusals[gauge_id, char_id] = self.env._(
                    "%(gauge)s is not suitable for %(char)s: gauge study %(study)s of %(date)s "
                    "is not acceptable.",
                    gauge=gauge.display_name,
                    char=study.characteristic_id.display_name,
                    study=study.name,
                    date=format_date(self.env, study.done_date),
                )
        return refusals

    def action_mqc_open_studies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_quality_control.mqc_gauge_study_action"
        )
        action["domain"] = self._mqc_study_domain()
        action["context"] = {
            "default_gauge_id": self.id,
        }
        return action

    @api.depends("mqc_calibration_due_date")
    def _compute_mqc_calibration_state(self):
        for equipment in self:
            equipment.mqc_calibration_state = equipment._mqc_calibration_state_on(
                fields.Date.context_today(equipment)
            )

    def _mqc_calibration_state_on(self, today):
        due = self.mqc_calibration_due_date
        if not due:
            return "unknown"
        if due < today:
            return "expired"
        if due <= today + timedelta(days=CALIBRATION_DUE_SOON_DAYS):
            return "due_soon"
        return "valid"

    def _mqc_calibration_state_domain(self, state):
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=CALIBRATION_DUE_SOON_DAYS)
        return {
            "unknown": [("mqc_calibration_due_date", "=", False)],
            "expired": [("mqc_calibration_due_date", "<", today)],
            "due_soon": [
                ("mqc_calibration_due_date", ">=", today),
                ("mqc_calibration_due_date", "<=", soon),
            ],
            "valid": [("mqc_calibration_due_date", ">", soon)],
        }[state]

    def _search_mqc_calibration_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._("Unsupported search on calibration: %(operator)s", operator=operator)
            )
        states = {value} if isinstance(value, str) or not value else set(value)
        if operator in ("!=", "not in"):
            # the complement, so that "not expired" keeps the gauges without a date
            states = {state for state, _label in CALIBRATION_STATES} - states
        domains = [self._mqc_calibration_state_domain(state) for state in states if state]
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    @api.constrains("mqc_resolution", "mqc_range_min", "mqc_range_max")
    def _check_mqc_metrology(self):
        for equipment in self:
            if equipment.mqc_resolution < 0:
                raise ValidationError(
                    self.env._(
                        "The resolution of %(gauge)s cannot be negative.",
                        gauge=equipment.display_name,
                    )
                )
            if equipment._mqc_has_range() and equipment.mqc_range_min >= equipment.mqc_range_max:
                raise ValidationError(
                    self.env._(
                        "The measuring range of %(gauge)s must go from a lower to a higher "
                        "value (%(low)s to %(high)s given).",
                        gauge=equipment.display_name,
                        low=equipment.mqc_range_min,
                        high=equipment.mqc_range_max,
                    )
                )

    def _mqc_has_range(self):
        self.ensure_one()
        return bool(self.mqc_range_min or self.mqc_range_max)

    def _mqc_unusable_reason(self, family=None):
        """Why this gauge cannot be used for a check requiring ``family``
        (a mqc.gauge.family, or nothing when any family will do), or False."""
        self.ensure_one()
        gauge = self.display_name
        if not self.mqc_is_gauge:
            return self.env._("%(gauge)s is not registered as a gauge.", gauge=gauge)
        if family and self.mqc_gauge_family_id != family:
            return self.env._(
                "%(gauge)s is of the family %(family)s; this check requires the family "
                "%(required)s.",
                gauge=gauge,
                family=self.mqc_gauge_family_id.name or self.env._("gauge without family"),
                required=family.name,
            )
        if not self.mqc_available:
            return self.env._(
                "%(gauge)s is unavailable (lost, broken, lent or away for calibration).",
                gauge=gauge,
            )
        if not self.mqc_calibration_due_date:
            return self.env._("%(gauge)s has no calibration date.", gauge=gauge)
        if self._mqc_calibration_state_on(fields.Date.context_today(self)) == "expired":
            return self.env._(
                "The calibration of %(gauge)s expired on %(date)s.",
                gauge=gauge,
                date=format_date(self.env, self.mqc_calibration_due_date),
            )
        return False

    @api.model
    def _mqc_usable_gauge(self, family):
        """The first gauge of ``family`` that may be used now (or none)."""
        gauges = self.search([("mqc_gauge_family_id", "=", family.id)])
        return gauges.filtered(lambda gauge: not gauge._mqc_unusable_reason(family))[:1]

    def _mqc_check_usable(self, family=None):
        """Raise a UserError naming the gauge and the reason when it cannot be
        used for a check requiring ``family``; return True otherwise."""
        self.ensure_one()
        reason = self._mqc_unusable_reason(family)
        if reason:
            raise UserError(reason)
        return True

    def _mqc_check_value(self, value):
        """Round a reading to the resolution of the gauge and check it lies in
        its measuring range.

        Returns ``(rounded_value, warning)``: ``warning`` is a message when the
        value had more decimals than the resolution, else False. Raises a
        UserError when the rounded value is outside the range of the gauge."""
        self.ensure_one()
        rounded, changed = round_to_resolution(value, self.mqc_resolution)
        if self._mqc_has_range() and not (self.mqc_range_min <= rounded <= self.mqc_range_max):
            raise UserError(
                self.env._(
                    "%(value)s is outside the measuring range of %(gauge)s (%(low)s to %(high)s).",
                    value=_format(self.env, value),
                    gauge=self.display_name,
                    low=_format(self.env, self.mqc_range_min),
                    high=_format(self.env, self.mqc_range_max),
                )
            )
        warning = False
        if changed:
            warning = self.env._(
                "%(value)s had more decimals than the resolution of %(gauge)s (%(resolution)s); "
                "it was rounded to %(rounded)s.",
                value=_format(self.env, value),
                gauge=self.display_name,
                resolution=_format(self.env, self.mqc_resolution),
                rounded=_format(self.env, rounded),
            )
        return rounded, warning

    def _mqc_tablet_values(self, family=None):
        """The gauges in ``self`` as the tablet lists them for a check requiring
        ``family``: [{id, name, serial_no, family_id, usable, reason}], usable
        ones first."""
        values = []
        for gauge in self:
            reason = gauge._mqc_unusable_reason(family)
            values.append(
                {
                    "id": gauge.id,
                    "name": gauge.name,
                    "serial_no": gauge.serial_no or "",
                    "family_id": gauge.mqc_gauge_family_id.id or False,
                    "usable": not reason,
                    "reason": reason or False,
                }
            )
        values.sort(key=lambda value: not value["usable"])
        return values

    @api.model
    def _mqc_find_gauge(self, barcode, char):
        """The gauge whose serial number (its barcode label) is ``barcode``,
        as {id, name, serial_no, family_id}, or False. With a characteristic
        ``char``, also {usable, reason}: whether it may measure it (family,
        calibration, latest gauge study). mqc.tablet.find_gauge checked the
        caller and the arguments."""
        gauge = self.search([("mqc_is_gauge", "=", True), ("serial_no", "=", barcode)], limit=1)
        if not gauge or not barcode:
            return False
        values = {
            "id": gauge.id,
            "name": gauge.name,
            "serial_no": gauge.serial_no,
            "family_id": gauge.mqc_gauge_family_id.id or False,
        }
        if char:
            reason = gauge._mqc_unusable_reason(char.gauge_family_id or None)
            reason = reason or gauge._mqc_study_refusal(char)
            values.update(usable=not reason, reason=reason or False)
        return values


def _format(env, number):
    """Shortest decimal writing of a float in the user's language: 20.012 (or
    20,012 in French), not 20.012000000000001; 25, not 25.0."""
    text = repr(float(number)).removesuffix(".0")
    # the language of the messages (env.lang), not the default one get_lang() falls back to
    point = get_lang(env, env.lang).decimal_point if env.lang else "."
    return text.replace(".", point or ".")
