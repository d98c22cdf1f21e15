import numpy as np

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..spc import control_chart, run_rules
from .spc_common import SpcCommon

CHART = "report.mrp_quality_control.report_spc_control_chart"

# 20 diameters; worked out by hand: mean 200.6 / 20 = 10.03, the 19 moving
# ranges sum to 4.1, MR-bar = 0.215789, sigma = MR-bar / 1.128 = 0.191303,
# UCL = 10.03 + 3 x 0.191303 = 10.603908, LCL = 9.456092.
VALUES = [10.0, 10.2, 9.9, 10.1, 10.3, 9.8, 10.0, 10.1, 9.9, 10.2,
          10.0, 9.9, 10.1, 10.0, 10.2, 9.8, 10.1, 10.0, 9.9, 10.1]  # fmt: skip
SIGMA = 4.1 / 19 / 1.128


@tagged("post_install", "-at_install")
class TestSpcChart(SpcCommon):
    def chart(self, char=None, user=None, **filters):
        Char = self.env[CHART].with_user(user or self.operator)
        return Char.get_chart_data((char or self.diameter).id, filters)

    def test_individuals_chart_on_known_values(self):
        production, _answers = self.record_values(VALUES)
        data = self.chart()
        self.assertEqual((data["kind"], data["phase"], data["n_measurements"]), ("imr", "I", 20))
        self.assertEqual(data["points"]["value"], VALUES)
        self.assertAlmostEqual(data["center"][0], 10.03, places=9)
        self.assertAlmostEqual(data["sigma"], 0.191303, places=6)
        self.assertAlmostEqual(data["ucl"][0], 10.603908, places=6)
        self.assertAlmostEqual(data["lcl"][0], 9.456092, places=6)
        self.assertAlmostEqual(data["zones"]["plus1"][0], 10.03 + SIGMA, places=9)
        self.assertAlmostEqual(data["zones"]["minus2"][0], 10.03 - 2 * SIGMA, places=9)
        self.assertEqual(data["companion"]["kind"], "mr")
        self.assertAlmostEqual(data["companion"]["center"][0], 4.1 / 19, places=9)
        self.assertAlmostEqual(data["companion"]["value"][3], 0.2, places=9)  # |10.3 - 10.1|
        self.assertEqual(data["points"]["production_id"], [production.id] * 20)
        self.assertEqual(data["productions"], {str(production.id): production.name})
        self.assertEqual(data["violations"], [])
        self.assertEqual(set(data["rules"]), {str(t) for t in range(1, 9)})
        # The latest 5 points only: limits still from the 20 values (in SQL).
        tail = self.chart(max_points=5)
        self.assertEqual((tail["n_measurements"], tail["phase"]), (20, "I"))
        self.assertEqual(tail["points"]["value"], VALUES[-5:])
        self.assertAlmostEqual(tail["center"][0], 10.03, places=9)
        self.assertAlmostEqual(tail["sigma"], SIGMA, places=9)
        # Filters: another order, a date range in the past give nothing.
        other = self.chart(production_id=production.id + 1000)
        self.assertEqual(other["n_measurements"], 0)
        self.assertTrue(other["message"])
        self.assertEqual(self.chart(plan_id=self.plan.id)["n_measurements"], 20)
        self.assertEqual(self.chart(date_to="2000-01-01 00:00:00")["n_measurements"], 0)

    def test_rule_texts_are_built_in_the_odoo_layer_with_the_parameters_used(self):
        """The engine's descriptions are plain English; the texts shown (chart
        legend, drift message) are built by translatable strings that must
        say the same thing, with the parameters actually used."""
        Char = self.env["mqc.characteristic"]
        values = [0.0, 1.0, -1.0, 2.0, 0.5]
        signals = run_rules(values, 0.0, 1.0, test1=2.5, test2=7, test5=(3, 1.5))
        self.assertEqual(
            Char._mqc_rule_text(signals, 1), "1 point more than 2.5 sigma from the centre line"
        )
        self.assertEqual(
            Char._mqc_rule_text(signals, 2), "7 points in a row on the same side of the centre line"
        )
        self.assertEqual(
            Char._mqc_rule_text(signals, 5),
            "3 out of 4 points more than 1.5 sigma from the centre line (same side)",
        )
        for rule_set in ("nelson", "western_electric"):
            signals = run_rules(values, 0.0, 1.0, rules=rule_set)
            for test, text in signals.descriptions.items():
                self.assertEqual(Char._mqc_rule_text(signals, test), text, (rule_set, test))

    def test_rule_texts_in_french_for_a_french_user(self):
        self.load_french()
        self.record_values(VALUES + [10.9])  # 10.9 beyond 3 sigma: Nelson 1 (see the tour)
        french = self.env[CHART].with_user(self.operator).with_context(lang="fr_FR")
        data = french.get_chart_data(self.diameter.id, {})
        self.assertEqual(data["violations"], [{"index": 20, "rules": ["1"]}])
        self.assertEqual(
            data["rules"]["1"], "Nelson 1 : 1 point à plus de 3 sigma de la ligne centrale"
        )

    def test_bad_filters_are_refused_with_the_filter_and_its_limit(self):
        self.record_values(VALUES[:5])
        for filters, message in (
            ({"subgroup_size": -2}, "subgroup_size: a whole number of at least 1"),
            ({"subgroup_size": "five"}, "subgroup_size: a whole number of at least 1"),
            ({"subgroup_size": 2.5}, "subgroup_size: a whole number of at least 1"),
            ({"max_points": -5}, "max_points: a whole number of at least 0"),
        ):
            with self.subTest(filters=filters), self.assertRaisesRegex(UserError, message):
                self.chart(**filters)
        # Empty or 0: the default (individuals, every point); "3" typed in a field.
        self.assertEqual(self.chart(subgroup_size=0, max_points=None)["kind"], "imr")
        self.assertEqual(len(self.chart(max_points="3")["points"]["value"]), 3)

    def test_xbar_r_by_subgroups_of_five(self):
        self.record_values(VALUES)
        data = self.chart(subgroup_size=5)
        # Subgroup means 10.1, 10.0, 10.04, 9.98; ranges 0.4, 0.4, 0.3, 0.3:
        # R-bar 0.35, UCL = 10.03 + A2 x 0.35 with A2 = 3 / (d2 sqrt 5), d2 = 2.326
        # (A2 = 0.57680, the 0.577 of the tables): 10.231881.
        self.assertEqual(data["kind"], "xbar_r")
        np.testing.assert_allclose(data["points"]["value"], [10.1, 10.0, 10.04, 9.98])
        self.assertAlmostEqual(data["ucl"][0], 10.03 + 3 / (2.326 * 5**0.5) * 0.35, places=9)
        self.assertAlmostEqual(data["companion"]["center"][0], 0.35, places=9)
        self.assertEqual(len(data["points"]["measurement_ids"][0]), 5)

    def test_excluded_point_is_kept_flagged_and_left_out_of_the_estimate(self):
        production, _answers = self.record_values(VALUES)
        measurement = production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == self.diameter and c.due_piece == 5
        ).current_measurement_id
        self.assertEqual(measurement.value, 10.3)
        with self.assertRaises(AccessError):
            self.env["mqc.spc.exclusion"].with_user(self.operator).create(
                {"measurement_id": measurement.id, "reason": "Chip under the anvil"}
            )
        with self.assertRaises(AccessError):
            self.env["mqc.spc.exclusion"].with_user(self.technician).create(
                {"measurement_id": measurement.id, "reason": "Chip under the anvil"}
            )
        self.env["mqc.spc.exclusion"].with_user(self.technician).mqc_exclude(
            self.diameter.id, measurement.ids, "Chip under the anvil"
        )
        data = self.chart()
        # By hand: 19 values left, mean 190.3 / 19 = 10.015789; the 17 moving
        # ranges not touching the point sum to 3.4, MR-bar 0.2, sigma 0.177305.
        self.assertEqual(data["n_measurements"], 20)
        self.assertTrue(data["points"]["excluded"][4])
        self.assertEqual(sum(data["points"]["excluded"]), 1)
        self.assertAlmostEqual(data["center"][0], 10.015789, places=6)
        self.assertAlmostEqual(data["sigma"], 0.2 / 1.128, places=9)
        self.assertAlmostEqual(data["ucl"][0], 10.547704, places=6)
        tail = self.chart(max_points=3)
        self.assertAlmostEqual(tail["center"][0], 10.015789, places=6)
        self.assertAlmostEqual(tail["sigma"], 0.2 / 1.128, places=9)
        self.assertTrue(measurement.exists())

    def test_frozen_limits_are_phase_two_and_replace_the_previous(self):
        self.record_values(VALUES)
        Limit = self.env["mqc.spc.limit"]
        with self.assertRaises(AccessError):
            Limit.with_user(self.operator).mqc_freeze(self.diameter.id, "capable run")
        first = Limit.with_user(self.technician).mqc_freeze(self.diameter.id, "capable run")
        self.assertAlmostEqual(first.center, 10.03, places=9)
        self.assertAlmostEqual(first.sigma, 0.191303, places=6)
        # Limits with known values (typed in: only the server can, users freeze).
        second = Limit.with_user(self.technician).sudo().create(
            {"characteristic_id": self.diameter.id, "kind": "imr", "center": 10.0,
             "sigma": 0.05, "reason": "After the spindle overhaul"}
        )  # fmt: skip
        self.assertFalse(first.active)
        self.assertTrue(second.active)
        data = self.chart()
        self.assertEqual((data["phase"], data["limit_id"]), ("II", second.id))
        self.assertAlmostEqual(data["ucl"][0], 10.15, places=9)
        self.assertAlmostEqual(data["lcl"][0], 9.85, places=9)
        # 10.2 is 4 sigma above 10.0: Nelson test 1 on the second point.
        flagged = {v["index"]: v["rules"] for v in data["violations"]}
        self.assertIn("1", flagged[1])
        self.assertNotIn(0, flagged)
        with self.assertRaisesRegex(UserError, "Reason: say why"):
            Limit.with_user(self.technician).sudo().create(
                {"characteristic_id": self.diameter.id, "center": 10.0, "sigma": 0.1,
                 "reason": " "}
            )  # fmt: skip

    def test_p_chart_per_production_order(self):
        # Order 1: 2 NOK of 10; order 2: 0 of 10. p-bar 0.1, n = 10,
        # UCL = 0.1 + 3 sqrt(0.1 x 0.9 / 10) = 0.384605.
        for noks in (2, 0):
            production = self.make_mo(10)
            self.report(production, 10)
            for index, check in enumerate(self.todo(production, self.burr)):
                self.record(check, ok=index >= noks)
        data = self.chart(self.burr)
        self.assertEqual(data["kind"], "p")
        self.assertEqual(data["points"]["value"], [0.2, 0.0])
        self.assertEqual(data["points"]["size"], [10.0, 10.0])
        self.assertAlmostEqual(data["center"][0], 0.1, places=12)
        self.assertAlmostEqual(data["ucl"][0], 0.1 + 3 * (0.1 * 0.9 / 10) ** 0.5, places=9)
        self.assertEqual(len(data["points"]["measurement_ids"][0]), 10)

    def test_u_chart_of_defect_counts_per_production_order(self):
        # Order 1: 1+0+2+0+1 = 4 defects on 5 pieces (u = 0.8); order 2: 1 on 5
        # (u = 0.2). u-bar = 5 / 10 = 0.5, n = 5: UCL = 0.5 + 3 sqrt(0.5 / 5)
        # = 1.448683, LCL = max(0, 0.5 - 0.948683) = 0.
        plan = self.make_plan(
            [
                self.char_vals(
                    balloon="9", name="Paint defects", result_type="defects", max_defects=3,
                    operation_id=self.op_boring.id, frequency_mode="every_piece",
                    method_type="lab", gauge_family_id=False, limit_source="manual",
                    fit_designation=False, nominal=0.0, lower_limit=0.0, upper_limit=3.0,
                )
            ],
            product_tmpl_id=self.housing.id,
            bom_id=self.housing_bom.id,
        )  # fmt: skip
        self.approve(plan)
        paint = plan.characteristic_ids
        for defects in ((1, 0, 2, 0, 1), (0, 0, 1, 0, 0)):
            production = self.make_mo(5, self.housing)
            self.report(production, 5, operation=self.op_boring)
            for check, count in zip(self.todo(production, paint), defects, strict=True):
                self.record(check, defects=count)
        data = self.chart(paint)
        self.assertEqual(data["kind"], "u")
        np.testing.assert_allclose(data["points"]["value"], [0.8, 0.2])
        self.assertEqual(data["points"]["size"], [5.0, 5.0])
        self.assertAlmostEqual(data["center"][0], 0.5, places=12)
        self.assertAlmostEqual(data["ucl"][0], 1.448683, places=6)
        self.assertEqual(data["lcl"][0], 0.0)

    def test_ewma_can_be_forced(self):
        self.record_values(VALUES)
        data = self.chart(kind="ewma")
        direct = control_chart("ewma", VALUES)
        self.assertEqual(data["kind"], "ewma")
        np.testing.assert_allclose(data["points"]["value"], direct.statistic)
        np.testing.assert_allclose(data["ucl"], direct.ucl)

    def test_auditor_reads_the_chart(self):
        self.record_values(VALUES[:5])
        self.assertEqual(self.chart(user=self.auditor)["n_measurements"], 5)

    def test_query_count_does_not_grow_with_the_measurements(self):
        production = self.make_mo(1)
        self.report(production, 1)
        check = self.todo(production, self.diameter)
        base = {
            "check_id": check.id,
            "characteristic_id": self.diameter.id,
            "plan_id": self.plan.id,
            "production_id": production.id,
            "verdict": "ok",
        }
        rng = np.random.default_rng(5)
        Measurement = self.env["mqc.measurement"].sudo()

        def cost(total):
            current = self.chart()["n_measurements"]
            Measurement.create(
                [dict(base, value=float(v)) for v in rng.normal(10, 0.1, total - current)]
            )
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = self.chart()
            self.assertEqual(data["n_measurements"], total)
            return self.env.cr.sql_log_count - before

        cost(100)
        self.assertEqual(cost(100), cost(2000))
