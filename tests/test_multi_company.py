from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_qweb import QWebException

from .access_common import DIAMETERS, QUALITY_ROLES, TYPE1_READINGS, AccessCommon

CHART = "report.mrp_quality_control.report_spc_control_chart"

# Plant B measures far from plant A (A: 9.8 to 10.2): a B value in an A
# figure shows at once.
B_VALUES = [30.0, 30.5, 29.5, 31.0, 29.0, 30.2, 29.8, 30.1, 29.9, 30.0]
REPORTS = {
    "plan_b": "mrp_quality_control.report_control_plan",
    "gauge_study_b": "mrp_quality_control.report_gauge_study",
    "char_b": "mrp_quality_control.report_spc_control_chart",
    "cap_study_b": "mrp_quality_control.report_capability_study",
}
# The capability report model, which also gives the dashboard its data.
CAPABILITY_REPORT = "report.mrp_quality_control.report_capability_study"


@tagged("post_install", "-at_install")
class TestMultiCompany(AccessCommon, HttpCase):
    """Plant B's records (plan, characteristic, order with checks and
    measurements, gauge, studies, drift, frozen limits) stay out of reach of
    plant A's users, whatever the road: ORM, tablet, charts, dashboard,
    reports, export. Plant B's plan even reuses plant A's plan reference and
    balloon numbers, as two plants may, to catch SQL that joins on them
    without the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        B = cls.company_b = cls.env["res.company"].create({"name": "Plant B"})
        groups = "mrp_quality_control.group_mqc_%s"
        cls.b_users = {
            role: new_test_user(
                cls.env,
                f"mqc_b_{role}",
                groups=groups % role,
                company_id=B.id,
                company_ids=[Command.set(B.ids)],
            )
            for role in ("operator", "technician", "metrologist", "manager")
        }
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=B.ids))
        cls.wc_b = env_b["mrp.workcenter"].create({"name": "Plant B lathe", "company_id": B.id})
        cls.product_b = env_b["product.template"].create(
            {"name": "Plant B shaft", "type": "consu", "company_id": B.id}
        )
        cls.bom_b = env_b["mrp.bom"].create(
            {
                "product_tmpl_id": cls.product_b.id,
                "company_id": B.id,
                "operation_ids": [
                    Command.create({"name": "10 Turning", "workcenter_id": cls.wc_b.id})
                ],
            }
        )
        technician_b = cls.b_users["technician"]
        cls.plan_b = (
            cls.env["mqc.control.plan"]
            .with_user(technician_b)
            .create(
                {
                    "code": cls.plan.code,  # the same reference as plant A's plan
                    "product_tmpl_id": cls.product_b.id,
                    "bom_id": cls.bom_b.id,
                    "characteristic_ids": [
                        Command.create(
                            {
                                "balloon": cls.diameter.balloon,
                                "name": "Diameter",
                                "nominal": 30.0,
                                "limit_source": "manual",
                                "lower_limit": 28.0,
                                "upper_limit": 32.0,
                                "operation_id": cls.bom_b.operation_ids.id,
                                "method_type": "lab",
                                "frequency_mode": "every_piece",
                            }
                        )
                    ],
                }
            )
        )
        cls.plan_b.action_submit()
        cls.plan_b.with_user(cls.b_users["manager"]).action_approve()
        cls.char_b = cls.plan_b.characteristic_ids
        cls.lot_b = env_b["stock.lot"].create(
            {
                "name": "B-LOT-1",
                "product_id": cls.product_b.product_variant_id.id,
                "company_id": B.id,
            }
        )
        form = Form(env_b["mrp.production"])
        form.product_id = cls.product_b.product_variant_id
        form.bom_id = cls.bom_b
        form.product_qty = len(B_VALUES)
        cls.production_b = form.save()
        cls.production_b.action_confirm()
        cls.production_b.lot_producing_id = cls.lot_b
        cls.workorder_b = cls.production_b.workorder_ids
        operator_b = cls.b_users["operator"]
        cls.env["mqc.tablet"].with_user(operator_b).set_pieces_done(
            cls.workorder_b.id, len(B_VALUES)
        )
        cls.checks_b = cls.production_b.mqc_check_ids.sorted("due_piece")
        for check, value in zip(cls.checks_b, B_VALUES, strict=True):
            cls.env["mqc.tablet"].with_user(operator_b).record(check.id, {"value": value})
        cls.check_b = cls.checks_b[0]
        cls.measurements_b = cls.production_b.sudo().mqc_check_ids.measurement_ids
        cls.gauge_b = env_b["maintenance.equipment"].create(
            {
                "name": "Plant B micrometer",
                "serial_no": "B-MIC-01",
                "company_id": B.id,
                "mqc_is_gauge": True,
                "mqc_gauge_family_id": cls.micrometer.id,
                "mqc_resolution": 0.001,
                "mqc_range_max": 50.0,
                "mqc_calibration_due_date": fields.Date.today() + timedelta(days=90),
                "mqc_available": True,
            }
        )
        cls.cap_study_b = (
            cls.env["mqc.capability.study"]
            .with_user(technician_b)
            .create({"characteristic_id": cls.char_b.id, "kind": "process"})
        )
        cls.cap_study_b.action_compute()
        cls.cap_study_b.action_validate()
        metrologist_b = cls.b_users["metrologist"]
        cls.gauge_study_b = (
            cls.env["mqc.gauge.study"]
            .with_user(metrologist_b)
            .create(
                {
                    "study_type": "type1",
                    "gauge_id": cls.gauge_b.id,
                    "characteristic_id": cls.char_b.id,
                    "tolerance": 4.0,
                    "reference_value": 10.0,
                    "trial_count": len(TYPE1_READINGS),
                    "appraiser_ids": [Command.link(metrologist_b.id)],
                }
            )
        )
        cls.gauge_study_b.action_prepare_grid()
        for line, value in zip(cls.gauge_study_b.line_ids, TYPE1_READINGS, strict=True):
            line.value = value
        cls.gauge_study_b.action_done()
        cls.drift_b = (
            cls.env["mqc.drift.event"]
            .sudo()
            .create(
                {
                    "characteristic_id": cls.char_b.id,
                    "measurement_id": cls.measurements_b[0].id,
                    "company_id": B.id,
                    "production_id": cls.production_b.id,
                    "workorder_id": cls.workorder_b.id,
                    "rules": "1",
                    "phase": "I",
                }
            )
        )
        cls.limit_b = (
            cls.env["mqc.spc.limit"]
            .with_user(technician_b)
            .mqc_freeze(cls.char_b.id, "Plant B stable")
        )
        cls.note_b = (
            cls.env["mqc.shift.note"]
            .with_user(operator_b)
            .create({"workcenter_id": cls.wc_b.id, "todo": "Plant B handover"})
        )
        cls.alert_b = cls.env["mqc.alert"].sudo()._raise_for(cls.measurements_b[-1]).sudo(False)
        cls.change_b = cls.env["mqc.frequency.change"].sudo().create(
            {"characteristic_id": cls.char_b.id, "old_interval": 5, "new_interval": 1,
             "reason": "tightened"}
        ).sudo(False)  # fmt: skip
        # plant A: its study validated, for the dashboard
        cls.cap_study.with_user(cls.technician).action_validate()

    def b_records(self):
        return {
            "plan_b": self.plan_b,
            "char_b": self.char_b,
            "production_b": self.production_b,
            "workorder_b": self.workorder_b,
            "check_b": self.check_b,
            "measurement_b": self.measurements_b[:1],
            "gauge_b": self.gauge_b,
            "cap_study_b": self.cap_study_b,
            "gauge_study_b": self.gauge_study_b,
            "gauge_study_line_b": self.gauge_study_b.line_ids[:1],
            "drift_b": self.drift_b,
            "limit_b": self.limit_b,
            "note_b": self.note_b,
            "alert_b": self.alert_b,
            "frequency_change_b": self.change_b,
            "lot_b": self.lot_b,
            "workcenter_b": self.wc_b,
        }

    def test_fixture(self):
        # plant B's data is there and its own users see it
        self.assertEqual(self.plan_b.company_id, self.company_b)
        self.assertEqual(self.plan_b.code, self.plan.code)
        self.assertEqual(self.plan_b.state, "approved")
        self.assertEqual(len(self.measurements_b), len(B_VALUES))
        self.assertEqual(set(self.measurements_b.company_id.ids), {self.company_b.id})
        self.assertEqual(self.cap_study_b.state, "done")
        self.assertEqual(self.gauge_study_b.state, "done")
        self.assertEqual(self.alert_b.company_id, self.company_b)
        chart = self.env[CHART].with_user(self.b_users["technician"])
        self.assertEqual(chart.get_chart_data(self.char_b.id)["n_measurements"], len(B_VALUES))

    # --- a user of both plants ---------------------------------------------
    def test_gauge_of_the_other_plant_refused_for_its_entry_only(self):
        """An operator of both plants records on plant A's order, one entry with
        plant B's gauge: that entry is refused, naming both companies, and the
        other entry of the batch is recorded. Plant A's tablet offers them plant
        A's gauges only (both plants' gauges are readable to them). Private code
        is held too: the measurements' company check refuses plant B's gauge on
        a plant A measurement."""
        both = (self.company | self.company_b).ids
        operator = new_test_user(
            self.env,
            "mqc_ab_operator",
            groups="mrp_quality_control.group_mqc_operator",
            company_id=self.company.id,
            company_ids=[Command.set(both)],
        )
        env = self.env(user=operator, context=dict(self.env.context, allowed_company_ids=both))
        production = self.make_mo_cls(len(DIAMETERS))
        workorder = production.workorder_ids.filtered(lambda w: w.operation_id == self.op_grinding)
        env["mqc.tablet"].set_pieces_done(workorder.id, len(DIAMETERS))
        # the gauges the tablet of plant A's work order offers (the micrometers)
        Workorder = env["mrp.workorder"]
        self.assertIn(self.gauge_b, Workorder._mqc_gauges_of(self.micrometer))
        offered = Workorder._mqc_gauges_of(self.micrometer, workorder.company_id)
        self.assertIn(self.gauge, offered)
        self.assertNotIn(self.gauge_b, offered)
        first, second = production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == self.diameter
        ).sorted("due_piece")[:2]
        answers = env["mqc.tablet"].record_batch(
            [
                {"check_id": first.id, "payload": {"value": 10.0, "gauge_id": self.gauge_b.id}},
                {"check_id": second.id, "payload": {"value": 10.0, "gauge_id": self.gauge.id}},
            ]
        )["results"]
        self.assertEqual([a["status"] for a in answers], ["error", "ok"])
        self.assertIn(self.gauge_b.display_name, answers[0]["message"])
        self.assertIn("Plant B", answers[0]["message"])
        self.assertIn(self.company.name, answers[0]["message"])
        self.assertEqual(first.state, "todo")
        self.assertFalse(first.measurement_ids)
        self.assertEqual(second.current_measurement_id.gauge_id, self.gauge)
        values = first._measurement_values({"value": 10.0})
        values["gauge_id"] = self.gauge_b.id
        with self.assertRaisesRegex(UserError, r"\(gauge_id"):
            self.env["mqc.measurement"].sudo().create(values)

    # --- ORM -------------------------------------------------------------
    def test_orm_search_and_read(self):
        leaks = []
        for role in QUALITY_ROLES:
            user = self.users[role]
            for label, record in self.b_records().items():
                Model = self.env[record._name].with_user(user)
                self.env.invalidate_all()
                try:
                    found = Model.search([("id", "=", record.id)])
                except AccessError:
                    found = Model
                if found:
                    leaks.append(f"{role} finds {label}")
                self.env.invalidate_all()
                if Model.browse(record.id).has_access("read"):
                    leaks.append(f"{role} reads {label}")
        self.assertFalse(leaks, "\n".join(leaks))

    # --- tablet ------------------------------------------------------------
    def test_tablet_calls(self):
        measurements = self.env["mqc.measurement"].sudo().search_count([])
        calls = {
            "tablet data": lambda env: env["mqc.tablet"].open(self.workorder_b.id),
            "pieces done": lambda env: env["mqc.tablet"].set_pieces_done(
                self.workorder_b.id, 20
            ),
            "tool change": lambda env: env["mqc.tablet"].tool_change(
                self.workorder_b.id, "Insert"
            ),
            "record": lambda env: env["mqc.tablet"].record(self.checks_b[-1].id, {"value": 30}),
            "record batch": lambda env: env["mqc.tablet"].record_batch(
                [{"check_id": self.checks_b[-1].id, "payload": {"value": 30}}]
            ),
            "plant B's screen with a batch": lambda env: env["mqc.tablet"].record_batch(
                [], self.workorder_b.id
            ),
            "correct": lambda env: (
                env["mqc.check"].browse(self.check_b.id).mqc_correct({"value": 30.0}, "Typing")
            ),
            "disposition": lambda env: env["mqc.tablet"].set_disposition(
                self.check_b.id, "scrap", "Burr"
            ),
            "first piece": lambda env: env["mqc.tablet"].approve_first_piece(self.workorder_b.id),
            "drift answer": lambda env: env["mqc.tablet"].answer_drift(
                self.drift_b.id, self.cause.id, self.drift_action.id
            ),
            "checklist": lambda env: env["mqc.machine.checklist"].mqc_tablet_checklist(
                self.wc_b.id
            ),
            "note acknowledge": lambda env: env["mqc.tablet"].acknowledge_note(self.note_b.id),
            "alert acknowledge": lambda env: env["mqc.tablet"].acknowledge_alert(self.alert_b.id),
            "finish": lambda env: env["mqc.tablet"].finish(self.workorder_b.id),
            "chart": lambda env: env["mqc.tablet"].chart(self.char_b.id),
            "note create": lambda env: env["mqc.shift.note"].mqc_tablet_note_create(
                self.wc_b.id, "Plant A writes on plant B"
            ),
        }
        for role in ("operator", "technician", "manager"):
            env = self.env(user=self.users[role])
            for label, call in calls.items():
                self.assertRefused(lambda call=call, env=env: call(env), msg=f"{label} ({role})")
        self.assertEqual(self.env["mqc.measurement"].sudo().search_count([]), measurements)
        self.assertEqual(self.workorder_b.mqc_pieces_done, len(B_VALUES))

    def test_tablet_lists_show_nothing_of_plant_b(self):
        env = self.env(user=self.operator)
        kiosk = env["mqc.tablet"].kiosk()
        self.assertNotIn(self.workorder_b.id, [w["id"] for c in kiosk for w in c["workorders"]])
        # plant B's work centre: refused, or nothing of it
        try:
            notes = env["mqc.shift.note"].mqc_open_notes(self.wc_b.id)
        except AccessError:
            notes = []
        self.assertEqual(notes, [])
        self.assertFalse(env["mqc.tablet"].find_gauge("B-MIC-01"))
        try:
            events = env["mqc.drift.event"].mqc_open_events(self.workorder_b.id)["events"]
        except AccessError:
            events = []
        self.assertEqual(events, [])
        # plant A's own tablet: the last values are plant A's only
        data = env["mqc.tablet"].open(self.workorder.id)
        last_values = {check["characteristic_id"]: check["last_values"] for check in data["checks"]}
        values = [v["value"] for v in last_values[self.diameter.id]]
        self.assertEqual(values, DIAMETERS)
        gauge_ids = [gauge["id"] for gauge in data["gauges"]]
        self.assertNotIn(self.gauge_b.id, gauge_ids)

    # --- charts, SPC, studies -------------------------------------------
    def test_chart_of_plant_b_refused(self):
        for role in QUALITY_ROLES:
            Char = self.env[CHART].with_user(self.users[role])
            self.assertRefused(lambda Char=Char: Char.get_chart_data(self.char_b.id), msg=role)
            self.assertRefused(lambda Char=Char: Char.get_filter_options(self.char_b.id), msg=role)

    def test_chart_of_plant_a_holds_plant_a_only(self):
        # same plan reference, same balloon in plant B: its values stay out
        Char = self.env[CHART].with_user(self.auditor)
        chart = Char.get_chart_data(self.diameter.id)
        self.assertEqual(chart["n_measurements"], len(DIAMETERS))
        self.assertEqual(sorted(chart["points"]["value"]), sorted(DIAMETERS))
        self.assertNotIn(str(self.production_b.id), chart["productions"])
        # filters naming plant B's lot, work centre, order: nothing of B comes out
        for filters in (
            {"lot_id": self.lot_b.id},
            {"workcenter_id": self.wc_b.id},
            {"production_id": self.production_b.id},
            {"plan_id": self.plan_b.id},
        ):
            chart = Char.get_chart_data(self.diameter.id, filters)
            self.assertEqual(chart["n_measurements"], 0, filters)
            self.assertEqual(chart["lots"], {}, filters)
            self.assertEqual(chart["productions"], {}, filters)
        options = Char.get_filter_options(self.diameter.id)
        self.assertEqual(options["count"], len(DIAMETERS))
        self.assertNotIn(self.wc_b.id, [w["id"] for w in options["workcenters"]])
        self.assertNotIn(self.plan_b.id, [p["id"] for p in options["plans"]])
        self.assertNotIn(self.lot_b.id, [lot["id"] for lot in options["lots"]])

    def test_capability_study_of_plant_a_holds_plant_a_only(self):
        self.assertEqual(self.cap_study.n, len(DIAMETERS))
        self.assertEqual(sorted(self.cap_study._values().tolist()), sorted(DIAMETERS))
        self.assertFalse(self.cap_study._gauges() & self.gauge_b)

    def test_spc_acts_on_plant_b_refused(self):
        technician = self.env(user=self.technician)
        exclusions = self.env["mqc.spc.exclusion"].sudo().search_count([])
        calls = {
            "freeze": lambda: technician["mqc.spc.limit"].mqc_freeze(self.char_b.id, "A on B"),
            "unfreeze": lambda: technician["mqc.spc.limit"].mqc_unfreeze(self.char_b.id),
            "exclude B on B": lambda: technician["mqc.spc.exclusion"].mqc_exclude(
                self.char_b.id, self.measurements_b[:1].ids, "A on B"
            ),
            "exclude B on A": lambda: technician["mqc.spc.exclusion"].mqc_exclude(
                self.diameter.id, self.measurements_b[:1].ids, "A on B"
            ),
            "capability study": lambda: technician["mqc.capability.study"].create(
                {"characteristic_id": self.char_b.id}
            ),
            "validate B": lambda: (
                technician["mqc.capability.study"].browse(self.cap_study_b.id).action_validate()
            ),
            "gauge study": lambda: (
                self.env(user=self.metrologist)["mqc.gauge.study"]
                .browse(self.gauge_study_b.id)
                .action_draft()
            ),
        }
        for label, call in calls.items():
            self.assertRefused(call, msg=label)
        self.assertEqual(self.env["mqc.spc.exclusion"].sudo().search_count([]), exclusions)
        self.assertTrue(self.limit_b.active)

    def test_wizards_on_plant_b_refused(self):
        release = (
            self.env["mqc.release"]
            .with_user(self.manager)
            .create({"production_id": self.production_b.id, "reason": "A releases B"})
        )
        self.assertRefused(release.action_confirm)
        self.assertFalse(self.production_b.mqc_released_by_id)
        revise = (
            self.env["mqc.control.plan.revise"]
            .with_user(self.technician)
            .create({"plan_id": self.plan_b.id, "reason": "A revises B"})
        )
        plans = self.env["mqc.control.plan"].sudo().search_count([])
        self.assertRefused(revise.action_confirm)
        self.assertEqual(self.env["mqc.control.plan"].sudo().search_count([]), plans)
        wizard = (
            self.env["mqc.spc.report.wizard"]
            .with_user(self.auditor)
            .create({"characteristic_id": self.char_b.id})
        )
        action = wizard.action_print()
        Report = self.env[CHART]
        self.assertRefused(
            lambda: Report.with_user(self.auditor)._get_report_values([], action["data"])
        )

    def test_capability_dashboard(self):
        def studies(env):
            return {
                line["study_id"]
                for line in env[CAPABILITY_REPORT].get_dashboard()["lines"]
            }

        for role in QUALITY_ROLES:
            seen = studies(self.env(user=self.users[role]))
            self.assertIn(self.cap_study.id, seen, role)
            self.assertNotIn(self.cap_study_b.id, seen, role)
        # a user of both plants working in plant A only: plant A's lines only
        both = new_test_user(
            self.env,
            "mqc_both_plants",
            groups="mrp_quality_control.group_mqc_auditor",
            company_ids=[Command.set([self.company.id, self.company_b.id])],
        )
        seen = studies(self.env(user=both, context={"allowed_company_ids": self.company.ids}))
        self.assertIn(self.cap_study.id, seen)
        self.assertNotIn(self.cap_study_b.id, seen)
        seen = studies(self.env(user=both, context={"allowed_company_ids": self.company_b.ids}))
        self.assertEqual(seen, {self.cap_study_b.id})
        # a company the user is not in cannot be asked for
        env = self.env(user=self.auditor, context={"allowed_company_ids": self.company_b.ids})
        self.assertRefused(lambda: studies(env))

    # --- reports and exports ------------------------------------------------
    def assertRenderRefused(self, render, msg=None):
        """QWeb wraps the access error a template meets in a QWebException."""
        try:
            self.env.cr.clear()
            with self.env.cr.savepoint():
                render()
        except UserError:
            return
        except QWebException as error:
            self.assertIsInstance(error.__cause__, UserError, msg)
            return
        self.fail(f"rendered: {msg}")

    def test_reports_rendered_by_the_orm(self):
        Report = self.env["ir.actions.report"]
        for attr, report in REPORTS.items():
            record = getattr(self, attr)
            for role in ("auditor", "manager"):
                self.assertRenderRefused(
                    lambda report=report, record=record, role=role: Report.with_user(
                        self.users[role]
                    )._render_qweb_pdf(report, record.ids),
                    msg=f"{report} ({role})",
                )
        # the xlsx export
        xlsx = self.env["report.mrp_quality_control.control_plan_xlsx"].with_user(self.manager)
        self.assertRefused(lambda: xlsx.render(self.plan_b.with_user(self.manager)))

    def test_reports_over_http(self):
        self.authenticate(self.manager.login, self.manager.login)
        for attr, report in REPORTS.items():
            record = getattr(self, attr)
            # The refusal, wrapped by QWeb for the reports that read plant B's
            # records in the template, is logged as an error of the request:
            # expected here (a log checker such as OCA's would take it for a
            # failure).
            with mute_logger("odoo.http"):
                response = self.url_open(f"/report/pdf/{report}/{record.id}")
            self.assertNotEqual(response.status_code, 200, report)
            self.assertNotIn(b"Plant B", response.content, report)
        response = self.url_open(f"/mrp_quality_control/control_plan/{self.plan_b.id}/xlsx")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.content[:2], b"PK")
        # plant A's own plan comes out
        response = self.url_open(f"/mrp_quality_control/control_plan/{self.plan.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")

    def test_spc_report_of_plant_a_holds_plant_a_only(self):
        Report = self.env[CHART].with_user(self.auditor)
        values = Report._get_report_values(self.diameter.ids, {"filters": {}})
        chart = values["pages"][0]["chart"]
        self.assertEqual(chart["n_measurements"], len(DIAMETERS))
        first, last = values["pages"][0]["period"]
        measured = self.production.mqc_check_ids.measurement_ids.filtered(
            lambda m: m.characteristic_id == self.diameter
        )
        recorded = measured.mapped("recorded_at")
        self.assertEqual((first, last), (min(recorded), max(recorded)))
        self.assertRefused(
            lambda: Report._get_report_values([], {"characteristic_ids": self.char_b.ids})
        )
        # the filters of the report come from the client: naming plant B's
        # lot, work centre or plan must not print their names
        for key, record in (
            ("lot_id", self.lot_b),
            ("workcenter_id", self.wc_b),
            ("plan_id", self.plan_b),
            ("production_id", self.production_b),
            ("product_id", self.product_b.product_variant_id),
        ):
            try:
                self.env.invalidate_all()
                values = Report._get_report_values(self.diameter.ids, {"filters": {key: record.id}})
            except UserError:
                continue
            labels = " ".join(str(value) for _label, value in values["pages"][0]["filters"])
            self.assertNotIn("Plant B", labels, key)
            self.assertNotIn("B-LOT-1", labels, key)
