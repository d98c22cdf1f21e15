import base64
import re
from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from ..report.charts import gauge_study as chart_module
from ..spc.tests.reference_data import AIAG_GRR
from .shop_common import MqcShopCommon

TYPE1_VALUES = [10.01, 9.99, 10.02, 10.00, 9.98, 10.01, 10.00, 9.99, 10.02, 10.00]


class GaugeStudyData(MqcShopCommon):
    """A plan of one gauge-measured characteristic, and ways to make studies of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.make_plan()
        cls.char = cls.plan.characteristic_ids
        cls.Study = cls.env["mqc.gauge.study"].with_context(tracking_disable=True)

    def make_grr(self, method="anova", user=None, **vals):
        Study = self.Study.with_user(user) if user else self.Study
        values = {
            "study_type": "grr_crossed",
            "gauge_id": self.mic_gauge.id,
            "characteristic_id": self.char.id,
            "method": method,
            "part_count": 10,
            "trial_count": 3,
            "appraiser_names": "A, B, C",
        }
        values.update(vals)
        return Study.create(values)

    def fill_aiag(self, study):
        study.action_prepare_grid()
        for line in study.line_ids:
            line.value = AIAG_GRR[line.appraiser][line.trial - 1][line.part - 1]

    def chart_images(self, study):
        """[(caption, PNG bytes)] of the study form's Charts page."""
        html = study.web_read({"charts_html": {}})[0]["charts_html"] or ""
        found = re.findall(
            r"<figcaption[^>]*>(.*?)</figcaption>"
            r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"',
            str(html),
        )
        return [(caption, base64.b64decode(data)) for caption, data in found]

    def printed_studies(self):
        """Two AIAG studies (done) and a type 1 study (computed), and their report."""
        report = self.env.ref("mrp_quality_control.action_report_gauge_study").with_context(
            lang="en_US"
        )
        studies = self.make_grr(method="average_range")
        self.fill_aiag(studies)
        studies.action_done()
        type1 = self.Study.create(
            {
                "study_type": "type1",
                "gauge_id": self.mic_gauge.id,
                "characteristic_id": self.char.id,
                "tolerance": 0.4,
                "reference_value": 10.0,
                "trial_count": 10,
                "appraiser_names": "A",
            }
        )
        type1.action_prepare_grid()
        for line, value in zip(type1.line_ids, TYPE1_VALUES, strict=True):
            line.value = value
        type1.action_compute()
        return studies | type1, report


@tagged("post_install", "-at_install")
class TestGaugeStudy(GaugeStudyData):
    def test_control_limit_labels_of_the_r_and_xbar_panels_come_from_the_titles(self):
        study = self.make_grr()
        self.fill_aiag(study)
        study.action_compute()
        Charts = self.env["mqc.gauge.study.charts"]
        cube, parts, appraisers, components, limits, titles = Charts._grr_data(
            study, study.line_ids
        )
        self.assertEqual((titles["ucl"], titles["lcl"]), ("UCL", "LCL"))
        titles = dict(titles, ucl="LSC", lcl="LIC")
        with patch.object(chart_module, "_limits", wraps=chart_module._limits) as limits_calls:
            for panel in ("r_chart", "xbar_chart"):
                chart_module.grr_panel(panel, cube, parts, appraisers, components, limits, titles)
        self.assertEqual(
            [call.args[4] for call in limits_calls.call_args_list],
            [("LSC", "R̄", "LIC"), ("LSC", "X̿", "LIC")],
        )

    def test_form_charts_one_per_panel_and_only_when_the_form_reads_them(self):
        study = self.make_grr()
        self.fill_aiag(study)
        png = patch.object(chart_module, "png", wraps=chart_module.png)
        panel = patch.object(chart_module, "grr_panel", wraps=chart_module.grr_panel)
        with png as png_calls, panel as panel_calls:
            # a draft study (filled, not computed) has no charts and draws nothing
            self.assertEqual(self.chart_images(study), [])
            self.assertEqual(png_calls.call_count, 0)
            study.action_compute()
            # the list of studies does not draw the charts
            arch = self.Study.get_views([(False, "list")])["views"]["list"]["arch"]
            names = {node.get("name") for node in etree.fromstring(arch).iter("field")}
            self.assertNotIn("charts_html", names)
            rows = self.Study.web_search_read(
                [("id", "=", study.id)], {name: {} for name in names}
            )["records"]
            self.assertEqual(rows[0]["verdict"], "unacceptable")
            self.assertEqual(png_calls.call_count, 0)
            # the form draws the six panels of the sixpack one by one
            images = self.chart_images(study)
            self.assertEqual(png_calls.call_count, 6)
        self.assertEqual(
            [caption for caption, _png in images],
            [
                "By part",
                "By appraiser",
                "Part × appraiser interaction",
                "Components of variation",
                "R chart by appraiser",
                "X̄ chart by appraiser",
            ],
        )
        self.assertEqual(
            [call.args[0] for call in panel_calls.call_args_list],
            ["by_part", "by_appraiser", "interaction", "components", "r_chart", "xbar_chart"],
        )
        for _caption, data in images:
            self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(len({data for _caption, data in images}), 6)
        # the sixpack of the report is still one figure
        sixpack = self.env["mqc.gauge.study.charts"]._charts(study)
        self.assertEqual(list(sixpack), ["sixpack"])

    def test_form_fills_family_and_tolerance(self):
        form = Form(self.env["mqc.gauge.study"].with_user(self.metrologist))
        form.gauge_id = self.mic_gauge
        form.characteristic_id = self.char
        self.assertEqual(form.gauge_family_id, self.micrometer)
        self.assertAlmostEqual(form.tolerance, 0.021, places=6)
        form.appraiser_names = "A, B"
        study = form.save()
        self.assertTrue(study.name.startswith("MSA/"))
        study.action_prepare_grid()
        self.assertEqual(len(study.line_ids), 60)
        form = Form(self.env["mqc.gauge.study"].with_user(self.metrologist))
        form.study_type = "type1"
        self.assertEqual((form.part_count, form.trial_count), (1, 25))
        # the gauge form (with its banner) opens (Maintenance's form itself reads stock
        # lots, which the auditor and the metrologist alone may not read)
        Form(self.mic_gauge.with_user(self.operator))
        Form(self.mic_gauge)

    def test_prepare_grid_order_and_size(self):
        study = self.make_grr()
        study.action_prepare_grid()
        self.assertEqual(len(study.line_ids), 90)
        first = study.line_ids[:11]
        # trial 1: appraiser A measures parts 1..10, then B starts
        self.assertEqual(first.mapped("trial"), [1] * 11)
        self.assertEqual(first.mapped("appraiser"), ["A"] * 10 + ["B"])
        self.assertEqual(first.mapped("part"), list(range(1, 11)) + [1])
        self.assertFalse(any(study.line_ids.mapped("has_value")))

    def test_aiag_anova_through_the_grid(self):
        study = self.make_grr()
        self.fill_aiag(study)
        study.action_compute()
        self.assertAlmostEqual(study.pct_grr_study_var, 27.86, delta=0.01)
        self.assertAlmostEqual(study.pct_grr_contribution, 7.76, delta=0.01)
        self.assertAlmostEqual(study.ev, 0.199933, delta=1e-6)
        self.assertAlmostEqual(study.av, 0.226838, delta=1e-6)
        self.assertAlmostEqual(study.grr, 0.302372, delta=1e-6)
        self.assertAlmostEqual(study.pv, 1.042327, delta=1e-6)
        self.assertEqual(study.ndc, 4)
        self.assertTrue(study.interaction_pooled)
        anova = {row["source"]: row for row in study.results["anova"]}
        self.assertEqual(anova["repeatability"]["df"], 78)
        self.assertAlmostEqual(anova["part"]["ss"], 88.3619, delta=1e-4)
        # %GRR is conditional, but 4 distinct categories are fewer than the 5 required
        self.assertEqual(study.verdict, "unacceptable")
        self.assertIn("ndc = 4", study.verdict_text)
        self.assertIn("at least 5", study.verdict_text)
        self.assertIn("27.86", study.results_html)

    def test_aiag_average_range_through_the_grid(self):
        study = self.make_grr(method="average_range")
        self.fill_aiag(study)
        study.action_compute()
        self.assertAlmostEqual(study.pct_grr_study_var, 26.68, delta=0.01)
        self.assertAlmostEqual(study.ev, 0.20188, delta=1e-4)
        self.assertAlmostEqual(study.av, 0.22963, delta=1e-4)
        self.assertAlmostEqual(study.pv, 1.10456, delta=1e-4)
        self.assertEqual(study.ndc, 5)
        self.assertEqual(study.verdict, "conditional")
        self.assertIn("Conditionally acceptable", study.verdict_text)
        # the tolerance of Ø20 h7 (0.021) is taken from the characteristic
        self.assertAlmostEqual(study.tolerance, 0.021, places=6)
        self.assertGreater(study.pct_grr_tolerance, 100)

    def test_tolerance_basis_without_tolerance_is_refused(self):
        study = self.make_grr(grr_basis="tolerance", characteristic_id=False, tolerance=0.0)
        self.fill_aiag(study)
        with self.assertRaisesRegex(UserError, "needs the tolerance"):
            study.action_compute()
        self.assertFalse(study.computed_at)

    def test_bad_grids_are_refused_and_nothing_is_computed(self):
        study = self.make_grr()
        self.fill_aiag(study)
        study.action_compute()
        self.assertTrue(study.computed_at)
        # a missing value
        line = study.line_ids.filtered(lambda line: line.part == 3 and line.appraiser == "B")[0]
        line.write({"value": False})
        self.assertFalse(study.computed_at, "a changed reading clears the results")
        with self.assertRaisesRegex(UserError, r"1 value\(s\) missing.*part 3, B"):
            study.action_compute()
        self.assertFalse(study.computed_at)
        self.assertFalse(study.verdict)
        # unbalanced: a reading removed
        line.unlink()
        with self.assertRaisesRegex(UserError, "unbalanced.*part 3 measured by B has 2"):
            study.action_compute()
        self.assertFalse(study.computed_at)
        # too few appraisers, parts or trials
        with self.assertRaisesRegex(UserError, "at least 2 appraisers"):
            self.make_grr(appraiser_names="A").action_prepare_grid()
        with self.assertRaisesRegex(UserError, "at least 2 parts"):
            self.make_grr(part_count=1).action_prepare_grid()
        with self.assertRaisesRegex(UserError, "at least 2 trials"):
            self.make_grr(trial_count=1).action_prepare_grid()
        with self.assertRaisesRegex(UserError, "no measurements"):
            self.make_grr().action_compute()

    def test_type1_hand_case(self):
        study = self.Study.create(
            {
                "study_type": "type1",
                "gauge_id": self.mic_gauge.id,
                "characteristic_id": self.char.id,
                "tolerance": 0.4,
                "reference_value": 10.0,
                "trial_count": 10,
                "appraiser_ids": [Command.link(self.metrologist.id)],
            }
        )
        self.assertAlmostEqual(study.tolerance, 0.4)
        study.action_prepare_grid()
        self.assertEqual(len(study.line_ids), 10)
        for line, value in zip(study.line_ids, TYPE1_VALUES, strict=True):
            line.value = value
        study.action_compute()
        # mean 10.002, s = 0.013166; Cg = 0.2*0.4/(6 s) = 1.013; Cgk = (0.04 - 0.002)/(3 s) = 0.962
        self.assertAlmostEqual(study.mean, 10.002, places=6)
        self.assertAlmostEqual(study.cg, 0.08 / (6 * study.std), places=2)
        self.assertAlmostEqual(study.cg, 1.01, places=2)
        self.assertAlmostEqual(study.cgk, 0.96, places=2)
        self.assertAlmostEqual(study.bias, 0.002, places=6)
        self.assertAlmostEqual(study.p_value, 0.64, places=2)
        self.assertEqual(study.verdict, "unacceptable")
        self.assertIn("1.33", study.verdict_text)
        images = self.chart_images(study)
        self.assertEqual([caption for caption, _png in images], ["Run chart and histogram"])

    def test_type1_load_from_measurements(self):
        study = self.Study.create(
            {
                "study_type": "type1",
                "gauge_id": self.mic_gauge.id,
                "characteristic_id": self.char.id,
                "trial_count": 10,
            }
        )
        with self.assertRaisesRegex(UserError, "0 measurement.*at least 10"):
            study.action_load_measurements()

    def test_type1_loads_recorded_measurements(self):
        self.char.control_type = "first_piece"  # a check at confirmation
        self.approve(self.plan)
        production = self.env["mrp.production"].create(
            {"product_id": self.shaft.product_variant_id.id, "bom_id": self.shaft_bom.id}
        )
        production.action_confirm()
        check = production.mqc_check_ids[:1]
        self.assertTrue(check)
        Measurement = self.env["mqc.measurement"]
        base = {
            "check_id": check.id,
            "characteristic_id": self.char.id,
            "plan_id": self.plan.id,
            "verdict": "ok",
            "gauge_id": self.mic_gauge.id,
        }
        users = (self.operator, self.operator_next)
        for i, value in enumerate(TYPE1_VALUES + [10.0, 10.01]):
            Measurement.create(dict(base, value=value, user_id=users[i % 2].id))
        # another gauge's measurement is not taken
        Measurement.create(dict(base, value=12.0, gauge_id=self.caliper.id))
        study = self.Study.create(
            {
                "study_type": "type1",
                "gauge_id": self.mic_gauge.id,
                "characteristic_id": self.char.id,
                "tolerance": 0.4,
                "reference_value": 10.0,
                "trial_count": 12,
            }
        )
        study.action_load_measurements()
        self.assertEqual(len(study.line_ids), 12)
        self.assertEqual(
            sorted(study.line_ids.mapped("value")), sorted(TYPE1_VALUES + [10.0, 10.01])
        )
        self.assertTrue(all(study.line_ids.mapped("measurement_id")))
        # readings by two operators: still one reference part, not an unbalanced grid
        study.action_compute()
        self.assertEqual(study.verdict, "unacceptable")

    def test_linearity_aiag(self):
        study = self.Study.create(
            {
                "study_type": "linearity",
                "gauge_id": self.mic_gauge.id,
                "characteristic_id": self.char.id,
                "part_count": 3,
                "trial_count": 3,
            }
        )
        study.action_prepare_grid()
        refs = {1: 2.0, 2: 4.0, 3: 6.0}
        meas = {1: [2.5, 2.4, 2.6], 2: [4.1, 4.0, 3.9], 3: [5.8, 5.9, 5.7]}
        for line in study.line_ids:
            line.write({"reference": refs[line.part], "value": meas[line.part][line.trial - 1]})
        study.action_compute()
        self.assertAlmostEqual(study.slope, -0.175, places=3)
        self.assertEqual(study.verdict, "unacceptable")
        self.assertEqual(len(study.results["biases"]), 3)
        images = self.chart_images(study)
        self.assertEqual([caption for caption, _png in images], ["Gauge linearity"])

    def test_attribute_agreement(self):
        study = self.Study.create(
            {
                "study_type": "attribute",
                "gauge_id": self.mic_gauge.id,
                "characteristic_id": self.char.id,
                "part_count": 3,
                "trial_count": 2,
                "appraiser_names": "A, B",
            }
        )
        study.action_prepare_grid()
        standard = {1: "OK", 2: "NOK", 3: "OK"}
        for line in study.line_ids:
            line.write({"rating": standard[line.part], "reference_rating": standard[line.part]})
        study.action_compute()
        self.assertEqual(study.pct_agreement, 100.0)
        self.assertAlmostEqual(study.kappa, 1.0)
        self.assertEqual(study.verdict, "acceptable")
        images = self.chart_images(study)
        self.assertEqual([caption for caption, _png in images], ["Assessment agreement"])

    def test_done_study_is_locked_and_replaced_by_a_new_one(self):
        study = self.make_grr(method="average_range")
        self.fill_aiag(study)
        study.action_done()
        self.assertEqual(study.state, "done")
        self.assertEqual(study.verdict, "conditional")
        self.assertEqual(study.done_by_id, self.env.user)
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            study.tolerance = 1.0
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            study.line_ids[0].value = 3.0
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            study.line_ids[0].unlink()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            study.action_compute()
        with self.assertRaisesRegex(UserError, "stays as evidence"):
            study.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            study.unlink()
        action = study.action_new_study()
        new = self.Study.browse(action["res_id"])
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.gauge_id, study.gauge_id)
        self.assertFalse(new.line_ids)
        self.assertNotEqual(new.name, study.name)

    def test_unsuitable_gauge_flag(self):
        self.assertFalse(self.mic_gauge.mqc_unsuitable_characteristic_ids)
        self.assertFalse(self.mic_gauge._mqc_study_refusal(self.char))
        failed = self.make_grr()
        self.fill_aiag(failed)
        failed.action_done()
        self.assertEqual(failed.verdict, "unacceptable")
        self.assertEqual(self.mic_gauge.mqc_unsuitable_characteristic_ids, self.char)
        reason = self.mic_gauge._mqc_study_refusal(self.char)
        self.assertIn(failed.name, reason)
        self.assertIn("not suitable", reason)
        # another gauge of the same family is not concerned by a study of this gauge
        other = self.make_gauge("Test micrometer 2", "T-MIC-02", self.micrometer)
        self.assertFalse(other._mqc_study_refusal(self.char))
        # a later study that passes replaces the failed one
        passed = self.make_grr(method="average_range")
        self.fill_aiag(passed)
        passed.action_done()
        self.mic_gauge.invalidate_recordset(["mqc_unsuitable_characteristic_ids"])
        self.assertFalse(self.mic_gauge.mqc_unsuitable_characteristic_ids)
        self.assertFalse(self.mic_gauge._mqc_study_refusal(self.char))
        # a failed study of the family (without a gauge) judges every gauge of it
        family = self.make_grr(gauge_id=False, gauge_family_id=self.micrometer.id)
        self.fill_aiag(family)
        family.action_done()
        self.assertTrue(other._mqc_study_refusal(self.char))
        self.assertTrue(self.mic_gauge._mqc_study_refusal(self.char))
        self.assertFalse(self.caliper._mqc_study_refusal(self.char))
        self.assertEqual(self.mic_gauge.mqc_study_count, 3)

    def test_roles(self):
        # metrologist and technician create, compute and finish studies
        for user in (self.metrologist, self.technician):
            study = self.make_grr(user=user, method="average_range")
            self.fill_aiag(study)
            study.action_done()
            self.assertEqual(study.state, "done")
        # the auditor and the operator read but cannot create nor change
        for user in (self.auditor, self.operator):
            self.assertTrue(study.with_user(user).read(["verdict", "pct_grr_study_var"]))
            self.assertTrue(study.line_ids.with_user(user).read(["value"]))
            with self.assertRaises(AccessError):
                self.make_grr(user=user)
        draft = self.make_grr()
        draft.action_prepare_grid()
        with self.assertRaises(AccessError):
            draft.with_user(self.auditor).write({"note": "x"})
        with self.assertRaises(AccessError):
            draft.line_ids[0].with_user(self.auditor).write({"value": 1.0})
        with self.assertRaises(AccessError):
            draft.with_user(self.metrologist).unlink()
        draft.with_user(self.manager).unlink()
        # the auditor sees the flag on the gauge
        self.assertTrue(self.mic_gauge.with_user(self.auditor).mqc_study_count)

    def test_report_shows_the_results(self):
        studies, report = self.printed_studies()
        html = report._render_qweb_html(report.report_name, studies.ids)[0].decode()
        for text in (studies[0].name, "Conditionally acceptable", "26.68", "Cg", "data:image/png"):
            self.assertIn(text, html)

    # ------------------------------------------------------------------
    # On the tablet
    # ------------------------------------------------------------------
    def report_pieces(self, production, pieces):
        """Reports the pieces on the grinding work order: a check every 5 pieces."""
        workorder = production.workorder_ids.filtered(lambda w: w.operation_id == self.op_grinding)
        self.env["mqc.tablet"].with_user(self.operator).set_pieces_done(workorder.id, pieces)
        return workorder, production.mqc_check_ids.filtered(lambda c: c.state == "todo")

    def fail_study(self):
        study = self.make_grr()
        self.fill_aiag(study)
        study.action_done()
        self.assertEqual(study.verdict, "unacceptable")
        return study

    def test_tablet_greys_and_refuses_a_gauge_whose_study_fails(self):
        self.approve(self.plan)
        other = self.make_gauge("Test micrometer 2", "T-MIC-02", self.micrometer)
        study = self.fail_study()
        production = self.make_mo(10)
        workorder, checks = self.report_pieces(production, 10)
        self.assertEqual(len(checks), 2)
        data = self.env["mqc.tablet"].with_user(self.operator).open(workorder.id)
        # the gauge itself is fine (calibrated, available, of the family)...
        listed = {g["id"]: g for g in data["gauges"]}
        self.assertTrue(listed[self.mic_gauge.id]["usable"])
        self.assertTrue(listed[other.id]["usable"])
        # ...but not suitable for this characteristic: each check says why
        for check in data["checks"]:
            self.assertEqual(list(check["gauge_refusals"]), [self.mic_gauge.id])
            reason = check["gauge_refusals"][self.mic_gauge.id]
            self.assertIn("Test micrometer 0-25", reason)
            self.assertIn(study.name, reason)
            self.assertIn("not suitable for Bearing seat", reason)
        # the server refuses it, names the gauge and the study, saves nothing
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        refused = Tablet.record(checks[0].id, {"value": 19.99, "gauge_id": self.mic_gauge.id})
        self.assertEqual(refused["status"], "error")
        self.assertEqual(refused["message"], reason)
        self.assertFalse(checks[0].measurement_ids)
        batch = Tablet.record_batch(
            [{"check_id": checks[0].id, "payload": {"value": 19.99, "gauge_id": other.id}},
             {"check_id": checks[1].id, "payload": {"value": 19.99, "gauge_id": self.mic_gauge.id}}]
        )["results"]  # fmt: skip
        self.assertEqual([a["status"] for a in batch], ["ok", "error"])
        self.assertEqual(checks[0].measurement_ids.gauge_id, other)
        # a serial typed or scanned on the tablet: refused with the same reason
        found = (
            self.env["mqc.tablet"]
            .with_user(self.operator)
            .find_gauge("T-MIC-01", self.char.id)
        )
        self.assertEqual(
            (found["id"], found["usable"], found["reason"]), (self.mic_gauge.id, False, reason)
        )
        found = self.env["mqc.tablet"].find_gauge("T-MIC-02", self.char.id)
        self.assertEqual((found["usable"], found["reason"]), (True, False))
        self.assertNotIn("usable", self.env["mqc.tablet"].find_gauge("T-MIC-02"))
        # a correction with that gauge is refused too
        with self.assertRaises(UserError):
            checks[0].with_user(self.technician).mqc_correct(
                {"value": 19.98, "gauge_id": self.mic_gauge.id}, "Typo"
            )

    def test_tablet_gauge_refusals_cost_the_same_for_2_or_50_checks(self):
        self.approve(self.plan)
        other = self.make_gauge("Test micrometer 2", "T-MIC-02", self.micrometer)
        self.fail_study()
        Tablet = self.env["mqc.tablet"].with_user(self.operator)

        def cost(pieces):
            workorder, checks = self.report_pieces(self.make_mo(pieces), pieces)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = Tablet.open(workorder.id)
            opening = self.env.cr.sql_log_count - before
            self.assertTrue(all(c["gauge_refusals"] for c in data["checks"]))
            entries = [
                {"check_id": c.id, "payload": {"value": 19.99, "gauge_id": gauge.id}}
                for c, gauge in zip(checks, [other, self.mic_gauge] * pieces, strict=False)
            ]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            answers = Tablet.record_batch(entries, workorder.id)["results"]
            recording = self.env.cr.sql_log_count - before
            self.assertEqual({a["status"] for a in answers}, {"ok", "error"})
            return len(checks), opening, recording

        cost(10)  # warm the caches
        few, open_few, record_few = cost(10)
        many, open_many, record_many = cost(250)
        self.assertEqual((few, many), (2, 50))
        self.assertEqual(open_many, open_few, "opening the tablet")
        self.assertEqual(record_many, record_few, "recording a batch")


@tagged("post_install", "-at_install")
class TestGaugeStudyPdf(GaugeStudyData, HttpCase):
    """The real PDFs: wkhtmltopdf fetches the report's assets from the test's
    server (the content is checked on the HTML, TestGaugeStudy)."""

    def test_pdf_renders(self):
        studies, report = self.printed_studies()
        for study in studies:
            self.assert_renders_pdf(report, study.ids)
