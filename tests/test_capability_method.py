import numpy as np

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..spc import capability
from .spc_common import SpcCommon
from .test_spc_capability import BORES


@tagged("post_install", "-at_install")
class TestCapabilityMethod(SpcCommon):
    """The method of a capability study: normal unless Anderson-Darling
    rejects normality or the tolerance is one-sided and bounded at zero, then
    ISO 22514-2 percentiles; the technician's override is traced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Revision B of the housing plan adds a flatness (one approved plan
        # per product); the bore carries on in B.
        wizard = Form(
            cls.env["mqc.control.plan.revise"]
            .with_user(cls.technician)
            .with_context(default_plan_id=cls.housing_plan.id)
        )
        wizard.reason = "Flatness added"
        plan = cls.env["mqc.control.plan"].browse(wizard.save().action_confirm()["res_id"])
        plan.with_user(cls.technician).write(
            {
                "characteristic_ids": [
                    Command.create(
                        cls.char_vals(
                            balloon="3", name="Flatness", kind="geometric",
                            limit_source="geometric", geometric_tolerance="flatness",
                            upper_limit=0.05, nominal=0.0, fit_designation=False,
                            method_type="lab", gauge_family_id=False,
                            operation_id=cls.op_boring.id, frequency_mode="every_piece",
                        )
                    )
                ]
            }
        )  # fmt: skip
        cls.approve_cls(plan)
        cls.flatness = plan.characteristic_ids.filtered(lambda c: c.balloon == "3")
        cls.bore = plan.characteristic_ids.filtered(lambda c: c.balloon == "1")
        # 60 flatness values, lognormal (median 0.010 mm), seeded
        cls.skewed = np.round(np.random.default_rng(7).lognormal(np.log(0.01), 0.5, 60), 5)

    def load(self, char, values):
        production = self.make_mo(len(values), self.housing)
        self.report(production, 1, self.op_boring)
        check = self.todo(production, char)[0]
        self.env["mqc.measurement"].sudo().create(
            [
                {"check_id": check.id, "characteristic_id": char.id, "plan_id": char.plan_id.id,
                 "production_id": production.id, "value": float(value), "verdict": "ok"}
                for value in values
            ]
        )  # fmt: skip

    def study(self, char, **vals):
        return (
            self.env["mqc.capability.study"]
            .with_user(self.technician)
            .create(dict({"characteristic_id": char.id, "kind": "process"}, **vals))
        )

    def test_normal_values_are_studied_as_normal(self):
        self.load(self.bore, BORES)
        study = self.study(self.bore)
        study.action_compute()
        self.assertEqual(study.method_used, "normal")
        self.assertIn("does not reject normality", study.method_note)
        self.assertAlmostEqual(study.cpk, 14.3474, places=3)

    def test_a_one_sided_tolerance_bounded_at_zero_uses_percentiles(self):
        self.load(self.flatness, self.skewed)
        study = self.study(self.flatness)
        study.action_compute()
        self.assertEqual(study.method_used, "percentile")
        self.assertIn("bounded at zero", study.method_note)
        direct = capability(self.skewed, usl=0.05, method="percentile")
        self.assertEqual(study.distribution, direct.distribution)
        # ISO 22514-2 gives the performance index only: Ppk, judged
        self.assertAlmostEqual(study.index_value, direct.ppk, places=3)
        self.assertIn("Ppk", study.explanation)
        # the normal model would overstate this process: its 3 sigma fall
        # short of the long right tail's real 99.865 % percentile
        normal = capability(self.skewed, usl=0.05)
        self.assertGreater(normal.cpk, study.index_value + 1.0)
        # the PDF says the same: Ppk judged, no within-sigma figures
        page = self.env["report.mrp_quality_control.report_capability_study"]._page(study)
        index = {i["label"]: i for i in page["indices"]}
        self.assertTrue(index["Ppk"]["judged"])
        self.assertAlmostEqual(index["Ppk"]["value"], direct.ppk, places=3)
        self.assertEqual([index[k]["value"] for k in ("Cp", "Cpk", "Pp")], [None] * 3)
        self.assertEqual(
            [line["label"] for line in page["ppm"]], ["Observed", "Expected, fitted distribution"]
        )
        self.assertAlmostEqual(page["ppm"][1]["total"], direct.ppm_overall["total"], places=3)

    def test_overriding_the_method_needs_a_reason_kept_with_the_study(self):
        self.load(self.flatness, self.skewed)
        study = self.study(self.flatness, method="normal")
        with self.assertRaisesRegex(UserError, "Reason for the Method"):
            study.action_compute()
        self.assertEqual(study.n, 0)
        study.write({"method_reason": "Customer asks for the normal model (PPAP)"})
        study.action_compute()
        self.assertEqual(study.method_used, "normal")
        self.assertIn("Overridden by", study.method_note)
        self.assertIn("PPAP", study.method_note)
        self.assertAlmostEqual(study.cpk, capability(self.skewed, usl=0.05).cpk, places=3)
        study.action_validate()
        self.assertIn("PPAP", study.method_note)
