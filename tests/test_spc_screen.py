from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .spc_common import SpcCommon
from .test_spc_chart import VALUES

CHART = "report.mrp_quality_control.report_spc_control_chart"


@tagged("post_install", "-at_install")
class TestSpcScreen(SpcCommon):
    """The server calls of the control-chart screen: filter choices, the
    operation filter, limits recomputed (unfrozen) and points excluded."""

    def chart(self, user=None, **filters):
        Char = self.env[CHART].with_user(user or self.operator)
        return Char.get_chart_data(self.diameter.id, filters)

    def options(self, char=None, user=None):
        Char = self.env[CHART].with_user(user or self.operator)
        return Char.get_filter_options((char or self.diameter).id)

    def add_turning_values(self, production, values):
        """Values of the diameter recorded on the turning operation (as after a
        routing change): written directly, as the chart reads them."""
        turning = production.workorder_ids.filtered(lambda w: w.operation_id == self.op_turning)
        check = self.todo(production, self.diameter)[:1] or production.mqc_check_ids[:1]
        return (
            self.env["mqc.measurement"]
            .sudo()
            .create(
                [
                    {
                        "check_id": check.id,
                        "characteristic_id": self.diameter.id,
                        "plan_id": self.plan.id,
                        "production_id": production.id,
                        "workorder_id": turning.id,
                        "verdict": "ok",
                        "value": value,
                    }
                    for value in values
                ]
            )
        )

    def measurement_of_piece(self, production, piece):
        return production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == self.diameter and c.due_piece == piece
        ).current_measurement_id

    def test_filter_options_list_what_the_measurements_hold(self):
        empty = self.options()
        self.assertEqual(empty["count"], 0)
        self.assertEqual((empty["products"], empty["operations"], empty["lots"]), ([], [], []))
        self.assertFalse(empty["date_from"])
        production, _answers = self.record_values(VALUES)
        self.add_turning_values(production, [10.0, 10.1, 9.9])
        options = self.options()
        self.assertEqual(options["count"], 23)
        variant = self.shaft.product_variant_id
        self.assertEqual(options["products"], [{"id": variant.id, "name": variant.display_name}])
        # Sorted by name: "10 Turning" before "40 Grinding".
        self.assertEqual(
            [o["id"] for o in options["operations"]], [self.op_turning.id, self.op_grinding.id]
        )
        self.assertEqual(
            [w["id"] for w in options["workcenters"]], [self.op_grinding.workcenter_id.id]
        )
        self.assertEqual([p["id"] for p in options["plans"]], [self.plan.id])
        self.assertIn(self.plan.revision, options["plans"][0]["name"])
        self.assertTrue(options["date_from"] <= options["date_to"])
        self.assertEqual(
            [k["value"] for k in options["kinds"]], ["imr", "xbar_r", "xbar_s", "ewma", "cusum"]
        )
        self.assertEqual(options["default_kind"], "imr")
        # Only the quality technicians may freeze limits and exclude points.
        self.assertFalse(options["can_edit"])
        self.assertTrue(self.options(user=self.technician)["can_edit"])
        self.assertFalse(self.options(user=self.auditor)["can_edit"])
        burr = self.options(self.burr)
        self.assertEqual([k["value"] for k in burr["kinds"]], ["p", "np"])
        self.assertEqual(burr["default_kind"], "p")

    def test_filter_options_cost_does_not_grow_with_the_measurements(self):
        production, _answers = self.record_values(VALUES[:4])

        def cost():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.options()
            return self.env.cr.sql_log_count - before

        small = cost()
        self.add_turning_values(production, VALUES * 10)
        self.assertEqual(self.options()["count"], 204)
        # One more model named (the turning operation) at most costs nothing per row.
        self.assertLessEqual(cost(), small + 2)

    def test_auditor_reads_the_screen_without_reading_the_orders(self):
        production, _answers = self.record_values(VALUES[:5])
        # Nothing in the cache: the names are read as the auditor would.
        self.env.invalidate_all()
        data = self.chart(user=self.auditor)
        self.assertEqual(data["productions"], {str(production.id): production.name})
        self.env.invalidate_all()
        options = self.options(user=self.auditor)
        self.assertEqual([p["id"] for p in options["products"]], [production.product_id.id])

    def test_operation_filter_reads_the_work_order_operation(self):
        production, _answers = self.record_values(VALUES)
        self.add_turning_values(production, [10.4, 10.5, 10.6])
        self.assertEqual(self.chart()["n_measurements"], 23)
        grinding = self.chart(operation_id=self.op_grinding.id)
        self.assertEqual(grinding["n_measurements"], 20)
        self.assertEqual(grinding["points"]["value"], VALUES)
        self.assertAlmostEqual(grinding["center"][0], 10.03, places=9)
        turning = self.chart(operation_id=self.op_turning.id)
        self.assertEqual(turning["points"]["value"], [10.4, 10.5, 10.6])
        # With the work centre too (one join of the work orders).
        both = self.chart(
            operation_id=self.op_turning.id, workcenter_id=self.op_turning.workcenter_id.id
        )
        self.assertEqual(both["n_measurements"], 3)
        self.assertEqual(self.chart(operation_id=self.op_boring.id)["n_measurements"], 0)

    def test_recompute_archives_the_frozen_limit_and_goes_back_to_phase_one(self):
        self.record_values(VALUES)
        Limit = self.env["mqc.spc.limit"]
        limit = Limit.with_user(self.technician).mqc_freeze(self.diameter.id, "Capable run")
        self.assertEqual(self.chart()["phase"], "II")
        self.assertIn("Capable run", self.diameter.stream_id.message_ids[0].body)
        for user in (self.operator, self.auditor):
            with self.assertRaises(AccessError):
                Limit.with_user(user).mqc_unfreeze(self.diameter.id, {})
        self.assertTrue(limit.active)
        archived = Limit.with_user(self.technician).mqc_unfreeze(self.diameter.id, {})
        self.assertEqual(archived, [limit.id])
        self.assertTrue(limit.exists())
        self.assertFalse(limit.active)
        self.assertEqual(limit.reason, "Capable run")
        data = self.chart()
        self.assertEqual((data["phase"], data["limit_id"]), ("I", False))
        self.assertAlmostEqual(data["center"][0], 10.03, places=9)
        self.assertAlmostEqual(data["ucl"][0], 10.603908, places=6)
        self.assertIn("phase I", self.diameter.stream_id.message_ids[0].body)
        # Nothing frozen left for this chart.
        with self.assertRaises(UserError):
            Limit.with_user(self.technician).mqc_unfreeze(self.diameter.id, {})
        # The limits of another chart kind are not touched.
        xbar = Limit.with_user(self.technician).mqc_freeze(
            self.diameter.id, "Subgroups of 5", {"subgroup_size": 5}
        )
        self.assertEqual(xbar.kind, "xbar_r")
        with self.assertRaises(UserError):
            Limit.with_user(self.technician).mqc_unfreeze(self.diameter.id, {})
        self.assertTrue(xbar.active)

    def test_exclusion_from_the_screen(self):
        production, _answers = self.record_values(VALUES)
        measurement = self.measurement_of_piece(production, 5)
        self.assertEqual(measurement.value, 10.3)
        Exclusion = self.env["mqc.spc.exclusion"]
        with self.assertRaises(AccessError):
            Exclusion.with_user(self.operator).mqc_exclude(
                self.diameter.id, [measurement.id], "Chip under the anvil"
            )
        with self.assertRaisesRegex(UserError, "Assignable cause"):
            Exclusion.with_user(self.technician).mqc_exclude(
                self.diameter.id, [measurement.id], " "
            )
        created = Exclusion.with_user(self.technician).mqc_exclude(
            self.diameter.id, [measurement.id], "Chip under the anvil"
        )
        exclusion = Exclusion.browse(created)
        self.assertEqual(exclusion.measurement_id, measurement)
        self.assertEqual(exclusion.user_id, self.technician)
        self.assertIn("Chip under the anvil", self.diameter.stream_id.message_ids[0].body)
        # Kept on the chart, flagged, out of the estimate (hand values in
        # test_spc_chart: mean 190.3 / 19, MR-bar 3.4 / 17).
        data = self.chart()
        self.assertEqual(data["n_measurements"], 20)
        self.assertEqual(data["points"]["value"][4], 10.3)
        self.assertEqual([i for i, x in enumerate(data["points"]["excluded"]) if x], [4])
        self.assertAlmostEqual(data["center"][0], 190.3 / 19, places=9)
        self.assertAlmostEqual(data["sigma"], 0.2 / 1.128, places=9)
        # Twice: nothing more; the measurement itself is untouched.
        again = Exclusion.with_user(self.technician).mqc_exclude(
            self.diameter.id, [measurement.id], "Again"
        )
        self.assertEqual(again, [])
        self.assertEqual(Exclusion.search_count([("measurement_id", "=", measurement.id)]), 1)
        self.assertEqual((measurement.value, measurement.is_current), (10.3, True))

    def test_exclusion_of_a_subgroup_point_and_of_a_foreign_measurement(self):
        production, _answers = self.record_values(VALUES)
        data = self.chart(subgroup_size=5)
        ids = data["points"]["measurement_ids"][0]
        self.assertEqual(len(ids), 5)
        Exclusion = self.env["mqc.spc.exclusion"].with_user(self.technician)
        self.assertEqual(len(Exclusion.mqc_exclude(self.diameter.id, ids, "Setup piece")), 5)
        after = self.chart(subgroup_size=5)
        self.assertEqual(after["points"]["excluded"], [True, False, False, False])
        # Means 10.0, 10.04, 9.98 left: centre 10.006667.
        self.assertAlmostEqual(after["center"][0], (10.0 + 10.04 + 9.98) / 3, places=9)
        # A measurement of another characteristic is refused.
        burr_production = self.make_mo(1)
        self.report(burr_production, 1)
        self.record(self.todo(burr_production, self.burr)[:1], ok=True)
        burr_measurement = self.env["mqc.measurement"].search(
            [("characteristic_id", "=", self.burr.id)]
        )
        self.assertEqual(len(burr_measurement), 1)
        with self.assertRaises(UserError):
            Exclusion.mqc_exclude(self.diameter.id, burr_measurement.ids, "Wrong chart")

    def test_open_chart_action_and_cusum_sums(self):
        action = self.diameter.action_mqc_open_chart()
        self.assertEqual(action["tag"], "mrp_quality_control.spc_chart")
        self.assertEqual(action["params"], {"characteristic_id": self.diameter.id})
        self.record_values(VALUES)
        data = self.chart(kind="cusum")
        # By hand: k = 0.5 sigma, C+_1 = max(0, 10.0 - 10.03 - 0.5 s) = 0;
        # C+_2 = max(0, 10.2 - 10.03 - 0.5 s) = 0.17 - 0.0956515 = 0.0743485.
        sigma = 4.1 / 19 / 1.128
        self.assertEqual(data["cusum"]["upper"][0], 0.0)
        self.assertAlmostEqual(data["cusum"]["upper"][1], 0.17 - 0.5 * sigma, places=9)
        self.assertAlmostEqual(data["cusum"]["h"], 5 * sigma, places=9)
        self.assertTrue(all(v <= 0 for v in data["cusum"]["lower"]))
