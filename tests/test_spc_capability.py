import numpy as np

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from ..spc import capability
from .spc_common import SpcCommon

# The capability report model, which also gives the dashboard its data.
CAPABILITY_REPORT = "report.mrp_quality_control.report_capability_study"

# 30 bores around 10.000 (tolerance 9 - 11); by hand: mean 10.000, the 29
# moving ranges sum to 0.76, MR-bar 0.0262069, sigma within 0.0232331,
# Cp = 2 / (6 x 0.0232331) = 14.3474 = Cpk (centred).
BORES = [10.0, 10.02, 9.98, 10.01, 9.99, 10.03, 9.97, 10.0, 10.02, 9.98,
         10.01, 10.0, 9.99, 10.02, 9.98, 10.0, 10.01, 9.99, 10.0, 10.03,
         9.97, 10.01, 9.99, 10.0, 10.02, 9.98, 10.0, 10.01, 9.99, 10.0]  # fmt: skip


@tagged("post_install", "-at_install")
class TestSpcCapability(SpcCommon):
    def load_bores(self):
        """The 30 values straight into the history of one bore check."""
        production = self.make_mo(30, self.housing)
        self.report(production, 1, self.op_boring)
        check = self.todo(production, self.bore)[0]
        self.env["mqc.measurement"].sudo().create(
            [
                {"check_id": check.id, "characteristic_id": self.bore.id,
                 "plan_id": self.housing_plan.id, "production_id": production.id,
                 "value": value, "verdict": "ok"}
                for value in BORES
            ]
        )  # fmt: skip
        return production

    def study(self, **vals):
        return (
            self.env["mqc.capability.study"]
            .with_user(self.technician)
            .create(dict({"characteristic_id": self.bore.id, "kind": "process"}, **vals))
        )

    def test_process_study_numbers_verdict_and_explanation(self):
        self.load_bores()
        with self.assertRaises(AccessError):
            self.env["mqc.capability.study"].with_user(self.auditor).create(
                {"characteristic_id": self.bore.id}
            )
        study = self.study()
        study.action_compute()
        direct = capability(np.array(BORES), lsl=9.0, usl=11.0)
        self.assertEqual(study.n, 30)
        self.assertAlmostEqual(study.sigma_within, 0.76 / 29 / 1.128, places=6)
        self.assertAlmostEqual(study.cp, 14.3474, places=3)
        self.assertAlmostEqual(study.cp, direct.cp, places=3)
        self.assertAlmostEqual(study.cpk, direct.cpk, places=3)
        self.assertAlmostEqual(study.ppk, direct.ppk, places=3)
        self.assertAlmostEqual(study.index_low, direct.ci["cpk"][0], places=3)
        self.assertAlmostEqual(study.ad_statistic, direct.normality["statistic"], places=4)
        self.assertEqual(sum(study.histogram["counts"]), 30)
        self.assertEqual(study.target, 1.33)  # major
        self.assertEqual(study.verdict, "capable")
        self.assertIn("about 7 % of the tolerance", study.explanation)
        self.assertIn("every 40 pieces", study.explanation)
        # Cpk 14: the expected ppm is far below one.
        self.assertIn("fewer than one part in a million", study.explanation)

    def test_machine_study_uses_the_chosen_run_and_the_machine_target(self):
        production = self.load_bores()
        study = self.study(kind="machine", production_ids=[production.id])
        study.action_compute()
        direct = capability(np.array(BORES), lsl=9.0, usl=11.0)
        self.assertAlmostEqual(study.cmk, direct.ppk, places=3)
        self.assertEqual(study.target, 1.67)
        other = self.study(kind="machine", production_ids=[self.make_mo(5, self.housing).id])
        with self.assertRaisesRegex(Exception, "cannot be computed"):
            other.action_compute()

    def test_validation_drives_the_frequency_tightening_and_relaxation(self):
        self.load_bores()
        study = self.study()
        study.action_compute()
        with self.assertRaises(AccessError):
            study.with_user(self.operator).action_validate()
        self.assertEqual(self.bore.effective_interval, 1)  # no valid study yet
        study.action_validate()
        self.assertEqual(study.state, "done")
        self.assertAlmostEqual(self.bore.current_cpk, 14.35, places=2)
        self.assertTrue(self.bore.current_cpk_valid)
        self.assertEqual(self.bore.effective_interval, 40)  # Cpk >= 2: 2 N
        log = self.bore.frequency_change_ids
        self.assertEqual([(c.old_interval, c.new_interval, c.reason) for c in log],
                         [(1, 40, "study")])  # fmt: skip
        dashboard = self.env[CAPABILITY_REPORT].with_user(self.auditor)
        lines = dashboard.get_dashboard()["lines"]
        line = next(line for line in lines if line["characteristic_id"] == self.bore.id)
        self.assertEqual((line["band"], line["interval_factor"]), (4, 2.0))
        # Frozen limits so that only the failed check and its own drift count.
        self.env["mqc.spc.limit"].with_user(self.technician).sudo().create(
            {"characteristic_id": self.bore.id, "center": 10.0, "sigma": 0.02,
             "reason": "Study"}
        )  # fmt: skip
        production = self.make_mo(100, self.housing)
        self.report(production, 40, self.op_boring)
        self.assertEqual(self.todo(production, self.bore).mapped("due_piece"), [40])
        answer = self.record(self.todo(production, self.bore), value=12.0)
        self.assertEqual(answer["status"], "nok")
        self.assertTrue(self.bore.mqc_tightened)
        self.assertEqual(self.bore.effective_interval, 1)
        self.report(production, 45, self.op_boring)
        checks = self.todo(production, self.bore)
        self.assertEqual(checks.mapped("due_piece"), [41, 42, 43, 44, 45])
        # The drift of 12.0 locks the bore until the operator answers it.
        self.assertTrue(answer["drift_event_id"])
        self.assertEqual(self.record(checks[0], value=10.0)["status"], "error")
        self.env["mqc.tablet"].with_user(self.operator).answer_drift(
            answer["drift_event_id"],
            self.env.ref("mrp_quality_control.drift_cause_offset").id,
            self.env.ref("mrp_quality_control.drift_action_offset").id,
        )
        for check in checks[:4]:
            self.assertEqual(self.record(check, value=10.0)["status"], "ok")
        self.assertEqual(self.bore.effective_interval, 1)
        self.record(checks[4], value=10.0)
        # 5 conforming subgroups: one band up, N / 4 = 5 pieces.
        self.assertEqual(self.bore.effective_interval, 5)
        self.report(production, 52, self.op_boring)
        self.assertEqual(self.todo(production, self.bore).mapped("due_piece"), [50])
        log = self.bore.frequency_change_ids.sorted("id")
        self.assertEqual(
            [(c.old_interval, c.new_interval, c.reason) for c in log],
            [(1, 40, "study"), (40, 1, "tightened"), (1, 5, "relaxed")],
        )

    def test_a_correction_to_out_of_tolerance_tightens_the_frequency(self):
        self.bore.stream_id._mqc_write_state({"current_cpk": 1.8, "current_cpk_valid": True})
        self.assertEqual(self.bore.effective_interval, 20)  # 1.67 <= Cpk < 2: N
        production = self.make_mo(40, self.housing)
        self.report(production, 20, self.op_boring)
        check = self.todo(production, self.bore)
        self.assertEqual(check.due_piece, 20)
        self.assertEqual(self.record(check, value=10.0)["status"], "ok")
        self.assertFalse(self.bore.mqc_tightened)
        check.with_user(self.technician).mqc_correct({"value": 12.0}, "Misread the dial")
        self.assertEqual(check.state, "fail")
        self.assertTrue(self.bore.mqc_tightened)
        self.assertEqual(self.bore.effective_interval, 1)
        change = self.bore.frequency_change_ids
        self.assertEqual((change.old_interval, change.new_interval, change.reason),
                         (20, 1, "tightened"))  # fmt: skip

    def test_dashboard_shows_the_judged_index_once_per_balloon(self):
        self.load_bores()
        process = self.study()
        process.action_compute()
        process.action_validate()
        # a later machine study of the same bore: the dashboard shows its Cmk
        # (sigma overall: sample s of the 30 bores = 0.016400, by hand;
        # Cmk = 1 / (3 s) = 20.32 against Cpk 14.35), the index it is judged on
        machine = self.study(kind="machine")
        machine.action_compute()
        machine.action_validate()
        self.assertAlmostEqual(machine.sigma_overall, 0.016400, places=6)
        self.assertAlmostEqual(machine.cmk, 20.325, places=2)
        self.assertAlmostEqual(machine.cpk, 14.35, places=2)
        # a new revision of the housing plan: its bore is the same balloon
        wizard = Form(
            self.env["mqc.control.plan.revise"]
            .with_user(self.technician)
            .with_context(default_plan_id=self.housing_plan.id)
        )
        wizard.reason = "Drawing ind. B"
        rev_b = self.env["mqc.control.plan"].browse(wizard.save().action_confirm()["res_id"])
        self.assertNotEqual(rev_b.characteristic_ids, self.bore)
        Dashboard = self.env[CAPABILITY_REPORT].with_user(self.auditor)
        Dashboard.get_dashboard()  # access rights cached
        with self.assertQueryCount(__system__=1):
            result = Dashboard.get_dashboard()
        lines = [line for line in result["lines"] if line["plan"] == self.housing_plan.code]
        self.assertEqual(len(lines), 1)
        line = lines[0]
        self.assertEqual((line["study_id"], line["kind"]), (machine.id, "machine"))
        self.assertAlmostEqual(line["cpk"], 20.325, places=2)
        self.assertEqual((line["target"], line["verdict"]), (1.67, "capable"))
        self.assertEqual((line["name"], line["balloon"], line["revision"]), ("Bore", "1", "A"))
        self.assertEqual(line["product"], self.housing.name)
        self.assertEqual((line["band"], line["cpk_band"], line["interval_factor"]), (4, 4, 2.0))
        self.assertEqual(len(result["bands"]), 5)
