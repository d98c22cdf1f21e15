from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .shop_common import MqcShopCommon


@tagged("post_install", "-at_install")
class TestGaugeRounding(MqcShopCommon):
    def test_check_value_rounds_and_warns(self):
        value, warning = self.mic_gauge._mqc_check_value(20.0125)
        self.assertEqual(value, 20.012)
        self.assertIn("20.0125 had more decimals than the resolution", warning)
        self.assertIn("(0.001)", warning)
        self.assertIn("rounded to 20.012", warning)
        value, warning = self.mic_gauge._mqc_check_value(20.0135)
        self.assertEqual((value, "rounded to 20.014" in warning), (20.014, True))
        self.assertEqual(self.mic_gauge._mqc_check_value(19.998), (19.998, False))
        self.assertEqual(self.caliper._mqc_check_value(12.345)[0], 12.34)

    def test_values_outside_the_range_are_refused(self):
        self.assertEqual(self.mic_gauge._mqc_check_value(25.0)[0], 25.0)
        self.assertEqual(self.mic_gauge._mqc_check_value(0.0)[0], 0.0)
        # 25.0004 reads 25.000 on the micrometer: inside
        self.assertEqual(self.mic_gauge._mqc_check_value(25.0004)[0], 25.0)
        for gauge, value in (
            (self.mic_gauge, 25.01),
            (self.mic_gauge, -0.002),
            (self.bore_gauge, 17.5),
            (self.bore_gauge, 35.002),
        ):
            with self.assertRaises(UserError) as error:
                gauge._mqc_check_value(value)
            message = str(error.exception)
            self.assertIn("outside the measuring range", message)
            self.assertIn(gauge.name, message)
        with self.assertRaises(UserError) as error:
            self.bore_gauge._mqc_check_value(17.5)
        self.assertIn("(18 to 35)", str(error.exception))

    def test_numbers_are_written_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        french = self.mic_gauge.with_context(lang="fr_FR")
        self.assertEqual(french._mqc_check_value(20.0125)[0], 20.012)
        with self.assertRaises(UserError) as error:
            french._mqc_check_value(25.5)
        self.assertIn("25,5", str(error.exception))

    def test_no_range_means_no_range_check(self):
        gauge = self.make_gauge("Dial", "T-DIAL", self.micrometer, range_max=0.0)
        self.assertEqual(gauge._mqc_check_value(-3.5), (-3.5, False))
        self.assertEqual(gauge._mqc_check_value(1234.5678)[0], 1234.568)

    def test_range_and_resolution_must_make_sense(self):
        with self.assertRaises(ValidationError):
            self.mic_gauge.mqc_range_min = 30
        with self.assertRaises(ValidationError):
            self.mic_gauge.mqc_resolution = -0.001


@tagged("post_install", "-at_install")
class TestGaugeUsable(MqcShopCommon):
    def assertRefused(self, gauge, family, *words):
        with self.assertRaises(UserError) as error:
            gauge._mqc_check_usable(family)
        message = str(error.exception)
        self.assertIn(gauge.name, message)
        for word in words:
            self.assertIn(word, message)
        self.assertEqual(gauge._mqc_unusable_reason(family), message)
        return message

    def test_a_calibrated_available_gauge_of_the_family_is_usable(self):
        self.assertTrue(self.mic_gauge._mqc_check_usable(self.micrometer))
        self.assertFalse(self.mic_gauge._mqc_unusable_reason(self.micrometer))
        # no family required: any gauge will do
        self.assertTrue(self.bore_gauge._mqc_check_usable(self.env["mqc.gauge.family"]))

    def test_wrong_family_names_both_families(self):
        self.assertRefused(
            self.caliper, self.micrometer, "Caliper", "Outside micrometer", "requires"
        )

    def test_unavailable_gauge(self):
        self.mic_gauge.mqc_available = False
        self.assertRefused(self.mic_gauge, self.micrometer, "unavailable")

    def test_expired_calibration_gives_the_date(self):
        expired_on = self.today - timedelta(days=1)
        self.mic_gauge.mqc_calibration_due_date = expired_on
        self.assertRefused(
            self.mic_gauge,
            self.micrometer,
            "calibration",
            "expired on",
            format_date(self.env, expired_on),
        )

    def test_calibration_due_today_is_still_usable(self):
        self.mic_gauge.mqc_calibration_due_date = self.today
        self.assertTrue(self.mic_gauge._mqc_check_usable(self.micrometer))

    def test_no_calibration_date(self):
        self.mic_gauge.mqc_calibration_due_date = False
        self.assertRefused(self.mic_gauge, self.micrometer, "no calibration date")

    def test_equipment_that_is_not_a_gauge(self):
        self.assertRefused(self.machine, self.micrometer, "not registered as a gauge")

    def test_calibration_states(self):
        gauge = self.mic_gauge
        for days, state in (
            (31, "valid"),
            (30, "due_soon"),
            (1, "due_soon"),
            (0, "due_soon"),
            (-1, "expired"),
        ):
            gauge.mqc_calibration_due_date = self.today + timedelta(days=days)
            self.assertEqual(gauge.mqc_calibration_state, state, f"due in {days} days")
        gauge.mqc_calibration_due_date = False
        self.assertEqual(gauge.mqc_calibration_state, "unknown")

    def test_search_by_calibration_state(self):
        self.bore_gauge.mqc_calibration_due_date = self.today + timedelta(days=10)
        self.caliper.mqc_calibration_due_date = self.today - timedelta(days=10)
        self.mic_gauge.mqc_calibration_due_date = False
        ours = (self.mic_gauge | self.bore_gauge | self.caliper).ids
        Equipment = self.env["maintenance.equipment"]

        def found(domain):
            return Equipment.search([("id", "in", ours), *domain])

        self.assertEqual(found([("mqc_calibration_state", "=", "due_soon")]), self.bore_gauge)
        self.assertEqual(found([("mqc_calibration_state", "=", "expired")]), self.caliper)
        self.assertEqual(found([("mqc_calibration_state", "=", "unknown")]), self.mic_gauge)
        self.assertEqual(
            found([("mqc_calibration_state", "!=", "expired")]), self.mic_gauge | self.bore_gauge
        )
        self.assertEqual(
            found([("mqc_calibration_state", "in", ("valid", "due_soon"))]), self.bore_gauge
        )

    def test_tablet_list_says_which_gauges_are_usable(self):
        self.caliper.mqc_gauge_family_id = self.micrometer
        self.caliper.mqc_available = False
        values = (self.caliper | self.mic_gauge)._mqc_tablet_values(self.micrometer)
        self.assertEqual([v["id"] for v in values], [self.mic_gauge.id, self.caliper.id])
        self.assertEqual(values[0]["usable"], True)
        self.assertFalse(values[0]["reason"])
        self.assertEqual(values[1]["usable"], False)
        self.assertIn("unavailable", values[1]["reason"])
        self.assertEqual(values[1]["serial_no"], "T-CAL-01")

    def test_barcode_is_the_serial_number(self):
        Equipment = self.env["maintenance.equipment"]
        Tablet = self.env["mqc.tablet"]
        self.assertEqual(Tablet.find_gauge("T-BORE-01")["id"], self.bore_gauge.id)
        self.assertEqual(Tablet.find_gauge(" T-BORE-01 ")["family_id"], self.bore_family.id)
        self.assertFalse(Tablet.find_gauge("TL-001"))  # a machine, not a gauge
        self.assertFalse(Tablet.find_gauge("NOPE"))
        self.assertIn(self.bore_gauge.id, [r[0] for r in Equipment.name_search("T-BORE-01")])


@tagged("post_install", "-at_install")
class TestGaugeRoles(MqcShopCommon):
    def test_metrologist_keeps_gauges_not_machines(self):
        Equipment = self.env["maintenance.equipment"].with_user(self.metrologist)
        gauge = Equipment.create(
            {
                "name": "Height gauge 0-300",
                "serial_no": "T-HGT-01",
                "mqc_is_gauge": True,
                "mqc_gauge_family_id": self.env.ref("mrp_quality_control.gauge_family_hgt").id,
                "mqc_resolution": 0.01,
            }
        )
        gauge.mqc_calibration_due_date = self.today + timedelta(days=365)
        self.mic_gauge.with_user(self.metrologist).mqc_available = False
        self.assertFalse(self.mic_gauge.mqc_available)
        with self.assertRaises(AccessError):
            self.machine.with_user(self.metrologist).write({"location": "Bay 2"})
        with self.assertRaises(AccessError):
            self.mic_gauge.with_user(self.metrologist).unlink()

    def test_operator_and_auditor_read_gauges_but_do_not_change_them(self):
        for user in (self.operator, self.auditor):
            gauge = self.mic_gauge.with_user(user)
            self.assertEqual(gauge.mqc_calibration_state, "valid")
            self.assertEqual(gauge.mqc_gauge_family_id, self.micrometer)
            with self.assertRaises(AccessError):
                gauge.write({"mqc_available": False})
            with self.assertRaises(AccessError):
                self.make_gauge("X", "X-1", self.micrometer).with_user(user).unlink()
        self.assertEqual(
            self.env["mqc.tablet"]
            .with_user(self.operator)
            .find_gauge("T-MIC-01")["id"],
            self.mic_gauge.id,
        )
