from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression

from ..spc import SpcInputError, control_chart
from ..tools import client_input
from .mqc_guarded_mixin import ALL
from .mqc_spc_stream import fill_stream

HISTORY = 50  # current values of the characteristic the rules look at
ANSWERED_ON_TABLET = 20  # answered drifts of the work order the tablet shows as a trace


class MqcDriftEvent(models.Model):
    """A run rule broken by a new measurement: the process drifts although
    the part may be within tolerance. The operator answers with a cause and
    an action; the supervisor is told."""

    _name = "mqc.drift.event"
    _description = "Drift Event"
    _inherit = ["mqc.guarded.mixin", "mail.thread", "mail.activity.mixin"]
    # Opened by the recording of a value (_mqc_detect), answered on the tablet
    # (mqc.tablet.answer_drift).
    _mqc_guarded_fields = ALL
    _mail_post_access = "read"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    stream_id = fields.Many2one(
        "mqc.spc.stream", "Process Stream", required=True, readonly=True, ondelete="restrict",
        index=True,
    )  # fmt: skip
    characteristic_id = fields.Many2one(
        "mqc.characteristic",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    measurement_id = fields.Many2one(
        "mqc.measurement", required=True, readonly=True, ondelete="restrict", check_company=True
    )
    check_id = fields.Many2one(related="measurement_id.check_id")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    production_id = fields.Many2one(
        "mrp.production", readonly=True, index=True, check_company=True
    )
    workorder_id = fields.Many2one(
        "mrp.workorder", readonly=True, index=True, check_company=True
    )
    value = fields.Float(related="measurement_id.value")
    rules = fields.Char("Rules Broken", readonly=True, help="Numbers of the run rules broken.")
    rules_text = fields.Text("Rules Broken (Details)", readonly=True)
    phase = fields.Selection([("I", "Estimated limits"), ("II", "Frozen limits")], readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("answered", "Answered")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    cause_id = fields.Many2one("mqc.drift.cause", tracking=True, check_company=True)
    action_id = fields.Many2one(
        "mqc.drift.action", "Action Taken", tracking=True, check_company=True
    )
    note = fields.Text()
    answered_by_id = fields.Many2one("res.users", readonly=True)
    answered_date = fields.Datetime(readonly=True)
    supervisor_id = fields.Many2one("res.users", readonly=True)
    alert_id = fields.Many2one("mqc.alert", readonly=True, check_company=True)

    _check_mqc_text_lengths = client_input.max_lengths(note=client_input.NOTE_MAX)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(fill_stream(self.env, vals_list))

    @api.depends("characteristic_id", "rules")
    def _compute_display_name(self):
        for event in self:
            label = f"{event.characteristic_id.balloon} {event.characteristic_id.name}"
            event.display_name = self.env._(
                "Drift on %(char)s (rules %(rules)s)", char=label, rules=event.rules or ""
            )

    # ------------------------------------------------------------------
    # Detection
    # ------------------------------------------------------------------
    @api.model
    def _mqc_detect(self, measurements):
        """Runs the run rules of each measured characteristic of
        ``measurements`` on the last values of its process stream (across the
        plan's revisions, as the chart shows them); returns {measurement id:
        event} for the new points that complete a pattern. One query for the
        histories, whatever the number of measurements."""
        measured = measurements.filtered(
            lambda m: m.result_type == "measure" and m.is_current and m.stream_id
        )
        if not measured:
            return {}
        streams = measured.stream_id
        histories = streams._mqc_split_by_stream(streams._series(last=HISTORY))
        if not histories:
            return {}
        limits = {
            limit.stream_id.id: limit
            # The frozen limits of the streams just recorded (the recorder may
            # read them): the rules run on every limit in force.
            for limit in self.env["mqc.spc.limit"]
            .sudo()
            .search([("stream_id", "in", streams.ids), ("kind", "=", "imr")])
        }
        new_by_stream = {}
        for measurement in measured:
            new_by_stream.setdefault(measurement.stream_id.id, {})[measurement.id] = measurement
        vals_list = []
        for stream_id, news in new_by_stream.items():
            history = histories.get(stream_id)
            if history is None:
                continue
            # The rules of the revision being produced (the newest of the batch).
            char = max(news.values(), key=lambda m: m.id).characteristic_id
            broken = self._mqc_broken(
                history["value"], history["excluded"], limits.get(stream_id), char
            )
            if not broken:
                continue
            signals, phase = broken
            for position, measure_id in enumerate(history["id"].tolist()):
                if measure_id not in news:
                    continue
                tests = [t for t, idx in signals.violations.items() if position in idx]
                if not tests:
                    continue
                vals_list.append(
                    {
                        "stream_id": stream_id,
                        "characteristic_id": news[measure_id].characteristic_id.id,
                        "measurement_id": measure_id,
                        "rules": ", ".join(str(t) for t in tests),
                        "rules_text": "\n".join(char._mqc_rule_label(signals, t) for t in tests),
                        "phase": phase,
                    }
                )
        if not vals_list:
            return {}
        by_id = {m.id: m for m in measured}
        for vals in vals_list:
            measurement = by_id[vals["measurement_id"]]
            vals.update(
                company_id=measurement.company_id.id,
                production_id=measurement.production_id.id,
                workorder_id=measurement.workorder_id.id,
                supervisor_id=self.env["mqc.alert"]._supervisor_for(measurement.check_id).id,
            )
        # Opened by the recording of values whose caller was checked
        # (mqc.check._mqc_check_recorder); users have no create access.
        events = self.sudo().create(vals_list)
        events._mqc_notify()
        return {event.measurement_id.id: event.with_env(self.env) for event in events}

    @api.model
    def _mqc_broken(self, values, excluded, limit, char):
        """(RuleViolations, phase) of an individuals history, or None."""
        try:
            if limit:
                center, sigma, phase = limit.center, limit.sigma, "II"
            else:
                if values.size < 2 or (~excluded).sum() < 2:
                    return None
                chart = control_chart("imr", values, exclude=excluded)
                center, sigma, phase = float(chart.center.ravel()[0]), chart.sigma, "I"
            if not sigma or sigma <= 0:
                return None
            signals = char._mqc_run_rules(values, center, sigma)
        except SpcInputError:
            return None
        return signals, phase

    def _mqc_notify(self):
        """Activity for the supervisor; a quality alert when the reaction plan asks."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for event in self:
            char = event.characteristic_id
            label = f"{char.balloon} {char.name}"
            summary = self.env._(
                "%(char)s drifts: %(value)s on %(mo)s (%(rules)s). Reaction: %(reaction)s",
                char=label,
                value=event.measurement_id._value_text(),
                mo=event.production_id.name or "-",
                rules=event.rules_text.replace("\n", "; "),
                reaction=char.reaction_drift or self.env._("see the reaction plan"),
            )
            if event.supervisor_id:
                event.activity_schedule(
                    activity_type_id=todo.id,
                    user_id=event.supervisor_id.id,
                    summary=self.env._("Drift on %s", label),
                    note=summary,
                )
            if char.drift_opens_alert:
                measurement = event.measurement_id
                # As above: raised by the checked recording, not by the user.
                alert = (
                    self.env["mqc.alert"]
                    .sudo()
                    .create(
                        {
                            "company_id": event.company_id.id,
                            "check_id": measurement.check_id.id,
                            "measurement_id": measurement.id,
                            "production_id": event.production_id.id,
                            "workorder_id": event.workorder_id.id,
                            "product_id": event.production_id.product_id.id,
                            "lot_id": measurement.lot_id.id,
                            "characteristic_id": char.id,
                            "gauge_id": measurement.gauge_id.id,
                            "operator_id": measurement.user_id.id,
                            "summary": summary,
                            "responsible_id": event.supervisor_id.id,
                        }
                    )
                )
                event.alert_id = alert
            event.message_post(body=Markup("<p>%s</p>") % summary, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Tablet
    # ------------------------------------------------------------------
    def _mqc_message(self):
        """The rules broken, in plain words, and what the operator has to do."""
        self.ensure_one()
        return self.env._(
            "The process drifts (%(rules)s): say what you found and what you did. %(reaction)s",
            rules=(self.rules_text or "").replace("\n", "; "),
            reaction=self.characteristic_id.reaction_drift or "",
        ).strip()

    def _mqc_values(self):
        return [
            {
                "id": event.id,
                "characteristic_id": event.characteristic_id.id,
                "characteristic": f"{event.characteristic_id.balloon} "
                f"{event.characteristic_id.name}",
                "balloon": event.characteristic_id.balloon,
                "name": event.characteristic_id.name,
                "unit": event.characteristic_id.unit or "",
                "value": event.value,
                "rules": event.rules,
                "rules_text": event.rules_text,
                "message": event._mqc_message(),
                "reaction": event.characteristic_id.reaction_drift or "",
                "state": event.state,
                "date": fields.Datetime.to_string(event.create_date),
                "cause": event.cause_id.name or "",
                "action": event.action_id.name or "",
                "note": event.note or "",
                "answered_by": event.answered_by_id.name or "",
                "answered_date": fields.Datetime.to_string(event.answered_date)
                if event.answered_date
                else False,
            }
            for event in self
        ]

    @api.model
    def _mqc_choices_domain(self, company):
        """Active causes or actions offered in ``company`` (or shared)."""
        return [("company_id", "in", [company.id, False])]

    @api.model
    def _mqc_choices(self, company):
        """The cause and action lists the operator picks from, for ``company``."""
        domain = self._mqc_choices_domain(company)
        return {
            "causes": [
                {"id": c.id, "name": c.name} for c in self.env["mqc.drift.cause"].search(domain)
            ],
            "actions": [
                {"id": a.id, "name": a.name} for a in self.env["mqc.drift.action"].search(domain)
            ],
        }

    @api.model
    def _mqc_tablet_values(self, workorder, answered_limit=ANSWERED_ON_TABLET):
        """What the tablet shows of the drifts of ``workorder``: the open events
        to answer, the lists to answer them and the last answered ones (the
        trace). A fixed number of queries, whatever the number of checks."""
        events = self.search(
            [("workorder_id", "=", workorder.id), ("state", "=", "open")], order="id"
        )
        answered = self.search(
            [("workorder_id", "=", workorder.id), ("state", "=", "answered")],
            order="answered_date desc, id desc",
            limit=answered_limit,
        )
        return {
            "events": events._mqc_values(),
            "answered": answered._mqc_values(),
            **self._mqc_choices(workorder.company_id or self.env.company),
        }

    @api.model
    def mqc_open_events(self, workorder_id):
        """Open drift events of a work order, and the lists to answer them."""
        workorder = self.env["mrp.workorder"]._mqc_workorder(workorder_id)
        events = self.search([("workorder_id", "=", workorder.id), ("state", "=", "open")])
        return {
            "events": events._mqc_values(),
            **self._mqc_choices(workorder.company_id or self.env.company),
        }

    def _mqc_answer(self, cause_id, action_id, note):
        """Answers this open drift with a cause and an action of the lists
        offered in its company (ids, or False) and a note (stripped);
        mqc.tablet.answer_drift checked the caller: an operator (or above) who
        may read the event."""
        self.ensure_one()
        if self.state != "open":
            return {
                "status": "error",
                "message": self.env._(
                    "This drift was already answered by %s.", self.answered_by_id.name
                ),
            }
        # Only the active entries offered in the company of the event.
        domain = self._mqc_choices_domain(self.company_id)
        cause = self.env["mqc.drift.cause"].search(
            expression.AND([domain, [("id", "=", cause_id)]])
        )
        action = self.env["mqc.drift.action"].search(
            expression.AND([domain, [("id", "=", action_id)]])
        )
        if not cause:
            return {"status": "error", "message": self.env._("Cause: choose one of the list.")}
        if not action:
            return {"status": "error", "message": self.env._("Action: choose one of the list.")}
        # An operator who may read the event (so of their company): the caller checked.
        self.sudo().write(
            {
                "cause_id": cause.id,
                "action_id": action.id,
                "note": note or False,
                "state": "answered",
                "answered_by_id": self.env.uid,
                "answered_date": fields.Datetime.now(),
            }
        )
        # The supervisor's to-do of this event is done, whoever it was assigned to.
        self.sudo().activity_ids.action_feedback(
            feedback=self.env._(
                "%(cause)s / %(action)s (%(user)s)",
                cause=cause.name,
                action=action.name,
                user=self.env.user.name,
            )
        )
        return {
            "status": "ok",
            "message": self.env._("Drift answered: %(cause)s, %(action)s.",
                                  cause=cause.name, action=action.name),
        }  # fmt: skip
