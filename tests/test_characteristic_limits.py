from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MqcCommon


@tagged("post_install", "-at_install")
class TestCharacteristicLimits(MqcCommon):
    def test_limits_from_iso286_fits(self):
        # ISO 286-2 tables: 20 h7 = 0/-21 µm, 32 H7 = +25/0 µm, 10 g6 = -5/-14 µm,
        # 16 g6 = -6/-17 µm.
        plan = self.make_plan(
            [
                self.char_vals(balloon="1", nominal=20, fit_designation="h7"),
                self.char_vals(balloon="2", nominal=32, fit_designation="H7"),
                self.char_vals(balloon="3", nominal=10, fit_designation="g6"),
                self.char_vals(balloon="4", nominal=16, fit_designation="g6"),
            ]
        )
        limits = [(c.lower_limit, c.upper_limit) for c in plan.characteristic_ids]
        expected = [(19.979, 20.0), (32.0, 32.025), (9.986, 9.995), (15.983, 15.994)]
        for (low, up), (exp_low, exp_up) in zip(limits, expected, strict=True):
            self.assertAlmostEqual(low, exp_low, places=6)
            self.assertAlmostEqual(up, exp_up, places=6)
        self.assertEqual(
            plan.characteristic_ids[0].tolerance_display, "Ø20 h7 (19.979 – 20.000 mm)"
        )

    def test_fit_written_as_on_the_drawing(self):
        # 32 H7 = +25/0 µm; "Ø16 g6" = -6/-17 µm.
        char = self.make_plan(
            [self.char_vals(nominal=0, fit_designation="Ø32 H7", limit_source="manual")]
        ).characteristic_ids
        self.assertEqual(
            (char.nominal, char.fit_designation, char.limit_source), (32, "H7", "iso286")
        )
        self.assertAlmostEqual(char.upper_limit, 32.025, places=6)
        char.write({"fit_designation": "16g6"})
        self.assertEqual((char.nominal, char.fit_designation), (16, "g6"))
        self.assertAlmostEqual(char.lower_limit, 15.983, places=6)
        self.assertAlmostEqual(char.upper_limit, 15.994, places=6)

    def test_changing_the_fit_recomputes_the_limits(self):
        char = self.make_plan().characteristic_ids
        char.fit_designation = "h6"  # 20 h6 = 0/-13 µm
        self.assertAlmostEqual(char.lower_limit, 19.987, places=6)
        self.assertAlmostEqual(char.upper_limit, 20.0, places=6)

    def test_geometric_tolerance_is_one_sided(self):
        char = self.make_plan(
            [
                self.char_vals(
                    limit_source="geometric",
                    geometric_tolerance="circular_runout",
                    upper_limit=0.02,
                    nominal=0,
                    fit_designation=False,
                )
            ]
        ).characteristic_ids
        self.assertEqual(char.tolerance_type, "upper")
        self.assertEqual(char.lower_limit, 0.0)
        self.assertEqual(char.upper_limit, 0.02)
        self.assertEqual(char.tolerance_display, "Circular run-out ≤ 0.02 mm")

    def assert_refused(self, vals, field_label):
        Char = self.env["mqc.characteristic"]
        before = Char.search_count([])
        plans_before = self.env["mqc.control.plan"].search_count([])
        with self.assertRaises(ValidationError) as caught:
            self.make_plan([self.char_vals(**vals)])
        self.assertIn(field_label, str(caught.exception))
        self.assertEqual(Char.search_count([]), before, "a characteristic was saved")
        self.assertEqual(
            self.env["mqc.control.plan"].search_count([]), plans_before, "a plan was saved"
        )

    def test_bad_input_is_refused_and_nothing_is_saved(self):
        manual = {"limit_source": "manual", "fit_designation": False}
        self.assert_refused(
            dict(manual, lower_limit=120.1, upper_limit=119.9, nominal=120), "Lower limit"
        )
        self.assert_refused(
            dict(manual, lower_limit=119.9, upper_limit=120.1, nominal=121), "Nominal"
        )
        self.assert_refused({"fit_designation": "q7"}, "ISO 286 Fit")
        self.assert_refused({"fit_designation": "h19"}, "ISO 286 Fit")
        self.assert_refused({"nominal": 4000}, "3150")
        self.assert_refused({"nominal": 0.5, "fit_designation": "a11"}, "ISO 286 Fit")
        self.assert_refused({"frequency_mode": "every_n", "frequency_n": 0}, "Every N Pieces")
        self.assert_refused(
            {"frequency_mode": "every_t", "frequency_minutes": 0}, "Every T Minutes"
        )
        self.assert_refused({"operation_id": self.op_boring.id}, "Operation")
        self.assert_refused({"gauge_family_id": False}, "Gauge Family")

    def test_french_user_gets_french_message(self):
        self.load_french()
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        values = {
            "product_tmpl_id": self.shaft.id,
            "characteristic_ids": [(0, 0, self.char_vals(frequency_n=0))],
        }
        with self.assertRaises(ValidationError) as caught:
            french["mqc.control.plan"].create(values)
        self.assertIn("Toutes les N pièces", str(caught.exception))
        self.assertIn("au moins 1", str(caught.exception))

    def test_capability_driven_interval_follows_cpk(self):
        char = self.make_plan(
            [self.char_vals(frequency_mode="capability", reference_interval=20)]
        ).characteristic_ids
        # the process state is the stream's (made on approval; here at once)
        self.env["mqc.spc.stream"]._mqc_link(char)
        self.assertEqual(char.effective_interval, 1, "no valid Cpk yet: every piece")
        char.stream_id._mqc_write_state({"current_cpk": 1.5, "current_cpk_valid": True})
        self.assertEqual(char.effective_interval, 10)
        char.stream_id._mqc_write_state({"current_cpk": 2.1})
        self.assertEqual(char.effective_interval, 40)
        char.write({"criticality": "critical"})
        self.assertEqual(char.effective_interval, 20)
