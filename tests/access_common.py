from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user

from .spc_common import SpcCommon

# Every context flag the add-on has read: none of them may grant anything.
FORGED_FLAGS = {
    "mqc_internal": True,
    "mqc_allow_state": True,
    "mqc_study_internal": True,
    "mqc_spc_state": True,
    "mqc_correction": True,
}
ROLES = ("auditor", "operator", "technician", "metrologist", "manager", "internal", "portal")
QUALITY_ROLES = ROLES[:5]
# Ten readings of a 10.000 reference part (type 1 gauge study).
TYPE1_READINGS = [10.01, 9.99, 10.0, 10.02, 9.98, 10.0, 10.01, 10.0, 9.99, 10.0]
DIAMETERS = [10.1, 9.9, 10.05, 9.95, 10.2, 9.8, 10.0, 10.1, 9.9, 10.0]


class AccessCommon(SpcCommon):
    """SpcCommon plus a user per role (the quality groups, a plain internal
    user, a portal user) and one record of each kind of evidence: an order of
    ten recorded diameters, a computed capability study, a computed type 1
    gauge study, a draft plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal = new_test_user(cls.env, "mqc_acl_internal", groups="base.group_user")
        cls.portal = new_test_user(cls.env, "mqc_acl_portal", groups="base.group_portal")
        cls.users = {role: getattr(cls, role) for role in ROLES}
        cls.gauge = cls.env["maintenance.equipment"].create(
            {
                "name": "ACL micrometer 0-25",
                "serial_no": "ACL-MIC-01",
                "mqc_is_gauge": True,
                "mqc_gauge_family_id": cls.micrometer.id,
                "mqc_resolution": 0.001,
                "mqc_range_min": 0.0,
                "mqc_range_max": 25.0,
                "mqc_calibration_due_date": fields.Date.today() + timedelta(days=180),
                "mqc_available": True,
            }
        )
        cls.production = cls.make_mo_cls(len(DIAMETERS))
        cls.workorder = cls.production.workorder_ids.filtered(
            lambda w: w.operation_id == cls.op_grinding
        )
        cls.env["mqc.tablet"].with_user(cls.operator).set_pieces_done(
            cls.workorder.id, len(DIAMETERS)
        )
        checks = cls.production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == cls.diameter
        ).sorted("due_piece")
        Tablet = cls.env["mqc.tablet"].with_user(cls.operator)
        for check, value in zip(checks, DIAMETERS, strict=True):
            Tablet.record(check.id, {"value": value})
        cls.check = checks[0]
        cls.measurement = cls.check.current_measurement_id
        cls.open_check = cls.production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == cls.burr and c.state == "todo"
        )[:1]
        cls.cap_study = (
            cls.env["mqc.capability.study"]
            .with_user(cls.technician)
            .create({"characteristic_id": cls.diameter.id, "kind": "process"})
        )
        cls.cap_study.action_compute()
        cls.gauge_study = (
            cls.env["mqc.gauge.study"]
            .with_user(cls.metrologist)
            .create(
                {
                    "study_type": "type1",
                    "gauge_id": cls.gauge.id,
                    "characteristic_id": cls.diameter.id,
                    "tolerance": 2.0,
                    "reference_value": 10.0,
                    "trial_count": len(TYPE1_READINGS),
                    "appraiser_ids": [Command.link(cls.metrologist.id)],
                }
            )
        )
        cls.gauge_study.action_prepare_grid()
        for line, value in zip(cls.gauge_study.line_ids, TYPE1_READINGS, strict=True):
            line.value = value
        cls.gauge_study.action_compute()
        # a draft plan of a product without an approved one: approving it
        # clashes with nothing
        cls.bushing = cls.env["product.template"].create(
            {"name": "ACL bushing", "type": "consu", "is_storable": True}
        )
        bushing_bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.bushing.id,
                "operation_ids": [
                    Command.create(
                        {"name": "10 Turning", "workcenter_id": cls.op_turning.workcenter_id.id}
                    )
                ],
            }
        )
        cls.draft_plan = cls.make_plan(
            [cls.char_vals(operation_id=bushing_bom.operation_ids.id)],
            product_tmpl_id=cls.bushing.id,
            bom_id=bushing_bom.id,
        )
        # a failed pass/fail check (its alert), an open drift, a handover note,
        # a machine checklist and frozen limits
        burr_checks = cls.production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == cls.burr
        ).sorted("due_piece")
        Tablet.record(burr_checks[1].id, {"ok": False})
        cls.failed_check = burr_checks[1]
        cls.alert = cls.failed_check.alert_id
        last = checks[-1].current_measurement_id
        cls.drift = (
            cls.env["mqc.drift.event"]
            .sudo()
            .create(
                {
                    "characteristic_id": cls.diameter.id,
                    "measurement_id": last.id,
                    "company_id": cls.company.id,
                    "production_id": cls.production.id,
                    "workorder_id": cls.workorder.id,
                    "rules": "1",
                    "phase": "I",
                }
            )
            .sudo(False)
        )
        cls.cause = cls.env["mqc.drift.cause"].search([], limit=1)
        cls.drift_action = cls.env["mqc.drift.action"].search([], limit=1)
        cls.lathe = cls.workorder.workcenter_id
        cls.note = (
            cls.env["mqc.shift.note"]
            .with_user(cls.technician)
            .create({"workcenter_id": cls.lathe.id, "todo": "Change the insert"})
        )
        cls.checklist_item = cls.env["mqc.checklist.item"].create(
            {"name": "ACL levels", "category": "levels", "workcenter_id": cls.lathe.id}
        )
        cls.checklist = cls.env["mqc.machine.checklist"].create({"workcenter_id": cls.lathe.id})
        cls.checklist.line_ids.write({"result": "ok"})
        cls.limit = (
            cls.env["mqc.spc.limit"]
            .with_user(cls.technician)
            .mqc_freeze(cls.diameter.id, "Process stable")
        )

    @classmethod
    def make_mo_cls(cls, qty, template=None):
        template = template or cls.shaft
        form = Form(cls.env["mrp.production"])
        form.product_id = template.product_variant_id
        form.bom_id = cls.housing_bom if template == cls.housing else cls.shaft_bom
        form.product_qty = qty
        production = form.save()
        production.action_confirm()
        return production

    def forged(self, records, role):
        """``records`` as ``role`` would send them: with every flag in the context."""
        user = self.users[role] if isinstance(role, str) else role
        return records.with_user(user).with_context(**FORGED_FLAGS)

    def assertRefused(self, action, msg=None):
        """``action`` raises AccessError or UserError (AccessError is a UserError)."""
        with self.assertRaises(UserError, msg=msg):
            # as Odoo's assertRaises(AccessError): no cached value hides a refusal
            self.env.cr.clear()
            action()

    def snapshot(self, records, names):
        """Values of ``names`` on ``records`` as the database holds them."""
        records = records.sudo()
        records.invalidate_recordset()
        return [
            {name: rec[name].ids if hasattr(rec[name], "ids") else rec[name] for name in names}
            for rec in records
        ]
