from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user

from .common import MqcCommon


class MqcShopCommon(MqcCommon):
    """MqcCommon plus the shop floor: a machine linked to the lathe, gauges of
    known family, resolution and range, a second operator (the next shift) and
    checklist items of their own (every other item archived)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["maintenance.equipment"])
        cls.lathe = cls.op_turning.workcenter_id
        cls.machine = cls.env["maintenance.equipment"].create(
            {"name": "Test lathe machine", "serial_no": "TL-001"}
        )
        cls.lathe.mqc_equipment_id = cls.machine
        cls.mill = cls.env["mrp.workcenter"].create({"name": "Test mill"})
        cls.bore_family = cls.env.ref("mrp_quality_control.gauge_family_bore")
        cls.caliper_family = cls.env.ref("mrp_quality_control.gauge_family_cal")
        cls.mic_gauge = cls.make_gauge("Test micrometer 0-25", "T-MIC-01", cls.micrometer)
        cls.bore_gauge = cls.make_gauge(
            "Test bore gauge 18-35", "T-BORE-01", cls.bore_family, range_min=18, range_max=35
        )
        cls.caliper = cls.make_gauge(
            "Test caliper 0-150", "T-CAL-01", cls.caliper_family, resolution=0.01, range_max=150
        )
        cls.operator_next = new_test_user(
            cls.env, "mqc_op_next", groups="mrp_quality_control.group_mqc_operator"
        )
        Item = cls.env["mqc.checklist.item"]
        Item.search([]).action_archive()
        cls.item_levels = Item.create({"name": "Levels OK", "category": "levels", "sequence": 1})
        cls.item_guards = Item.create(
            {"name": "Guards and emergency stop", "category": "safety", "sequence": 2}
        )
        cls.item_coolant = Item.create(
            {
                "name": "Coolant concentration",
                "category": "coolant",
                "expected": "5 to 8 %",
                "workcenter_id": cls.lathe.id,
                "sequence": 3,
            }
        )
        cls.item_mill_only = Item.create(
            {"name": "Tool magazine", "category": "other", "workcenter_id": cls.mill.id}
        )

    @classmethod
    def make_gauge(
        cls, name, serial, family, resolution=0.001, range_min=0.0, range_max=25.0, **vals
    ):
        values = {
            "name": name,
            "serial_no": serial,
            "mqc_is_gauge": True,
            "mqc_gauge_family_id": family.id,
            "mqc_resolution": resolution,
            "mqc_range_min": range_min,
            "mqc_range_max": range_max,
            "mqc_calibration_due_date": cls.today + timedelta(days=180),
            "mqc_available": True,
        }
        values.update(vals)
        return cls.env["maintenance.equipment"].create(values)
