from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .shop_common import MqcShopCommon


@tagged("post_install", "-at_install")
class TestMachineChecklist(MqcShopCommon):
    def new_checklist(self, user=None, workcenter=None):
        Checklist = self.env["mqc.machine.checklist"].with_user(user or self.operator)
        return Checklist.create({"workcenter_id": (workcenter or self.lathe).id})

    def answer(self, checklist, results):
        for line in checklist.line_ids:
            result = results.get(line.item_id, "ok")
            line.write(
                {"result": result[0], "note": result[1]}
                if isinstance(result, tuple)
                else {"result": result}
            )

    def requests(self):
        return self.env["maintenance.request"].search([("equipment_id", "=", self.machine.id)])

    def test_lines_come_from_the_global_items_and_those_of_the_work_centre(self):
        checklist = self.new_checklist()
        self.assertEqual(
            checklist.line_ids.item_id, self.item_levels | self.item_guards | self.item_coolant
        )
        self.assertEqual(checklist.equipment_id, self.machine)
        self.assertEqual(checklist.user_id, self.operator)
        self.assertEqual(checklist.state, "draft")
        mill = self.new_checklist(workcenter=self.mill)
        self.assertEqual(
            mill.line_ids.item_id, self.item_levels | self.item_guards | self.item_mill_only
        )
        self.assertFalse(mill.equipment_id)

    def test_form_fills_the_lines_when_the_work_centre_is_chosen(self):
        form = Form(self.env["mqc.machine.checklist"].with_user(self.operator))
        form.workcenter_id = self.lathe
        self.assertEqual(form.equipment_id, self.machine)
        self.assertEqual(len(form.line_ids), 3)
        with form.line_ids.edit(2) as line:
            line.result = "nok"
            line.note = "4 %"
        checklist = form.save()
        self.assertEqual(
            checklist.line_ids.item_id, self.item_levels | self.item_guards | self.item_coolant
        )
        self.assertEqual(checklist.line_ids[2].note, "4 %")
        self.assertEqual((checklist.nok_count, checklist.missing_count), (1, 2))

    def test_every_line_needs_a_result(self):
        checklist = self.new_checklist()
        checklist.line_ids[0].result = "ok"
        with self.assertRaises(UserError) as error:
            checklist.action_done()
        message = str(error.exception)
        self.assertIn("Guards and emergency stop", message)
        self.assertIn("Coolant concentration", message)
        self.assertNotIn("Levels OK", message)
        self.assertEqual(checklist.state, "draft")

    def test_all_ok_opens_no_request(self):
        before = self.env["maintenance.request"].search_count([])
        checklist = self.new_checklist()
        self.answer(checklist, {})
        checklist.action_done()
        self.assertEqual(checklist.state, "done")
        self.assertEqual(self.env["maintenance.request"].search_count([]), before)
        self.assertFalse(checklist.line_ids.maintenance_request_id)
        self.assertIn("Every check OK", checklist.message_ids[0].body)

    def test_a_nok_line_opens_one_corrective_request_on_the_machine(self):
        checklist = self.new_checklist()
        self.answer(checklist, {self.item_coolant: ("nok", "3 % on the refractometer")})
        checklist.action_done()
        request = self.requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(request.maintenance_type, "corrective")
        self.assertEqual(request.equipment_id, self.machine)
        self.assertEqual(request.name, "Test lathe machine: Coolant concentration not OK")
        self.assertIn("3 % on the refractometer", request.description)
        self.assertIn("5 to 8 %", request.description)
        line = checklist.line_ids.filtered(lambda line: line.result == "nok")
        self.assertEqual(line.maintenance_request_id, request)
        self.assertEqual(checklist.request_ids, request)
        self.assertIn(request.name, checklist.message_ids[0].body)
        # closing again opens nothing more
        checklist.action_done()
        self.assertEqual(self.requests(), request)

    def test_done_checklist_is_locked(self):
        checklist = self.new_checklist()
        self.answer(checklist, {})
        checklist.action_done()
        with self.assertRaises(UserError):
            checklist.line_ids[0].result = "nok"
        with self.assertRaises(UserError):
            checklist.unlink()

    def test_tablet_fills_todays_checklist(self):
        Checklist = self.env["mqc.machine.checklist"].with_user(self.operator)
        data = Checklist.mqc_tablet_checklist(self.lathe.id)
        self.assertEqual(data["state"], "draft")
        self.assertEqual(
            [line["item"] for line in data["lines"]],
            ["Levels OK", "Guards and emergency stop", "Coolant concentration"],
        )
        self.assertEqual(data["lines"][2]["category"], "coolant")
        self.assertEqual(Checklist.mqc_tablet_checklist(self.lathe.id)["id"], data["id"])
        for line in data["lines"]:
            Checklist.mqc_tablet_checklist_set(line["id"], "ok", "")
        guards = data["lines"][1]["id"]
        data = Checklist.mqc_tablet_checklist_set(guards, "nok", "Door interlock does not stop")
        self.assertEqual(data["lines"][1]["result"], "nok")
        self.assertEqual(data["lines"][1]["note"], "Door interlock does not stop")
        with self.assertRaises(UserError):
            Checklist.mqc_tablet_checklist_set(guards, "maybe", "")
        data = Checklist.mqc_tablet_checklist_done(data["id"])
        self.assertEqual(data["state"], "done")
        self.assertEqual(len(data["requests"]), 1)
        self.assertEqual(
            self.requests().name, "Test lathe machine: Guards and emergency stop not OK"
        )
        self.assertEqual(self.requests().create_uid, self.operator)
        self.assertIn(self.operator.partner_id, self.requests().message_partner_ids)
        # still today's checklist, done
        self.assertEqual(Checklist.mqc_tablet_checklist(self.lathe.id)["state"], "done")

    def test_auditor_cannot_fill_a_checklist(self):
        checklist = self.new_checklist()
        Checklist = self.env["mqc.machine.checklist"].with_user(self.auditor)
        self.assertEqual(len(Checklist.mqc_tablet_checklist(self.lathe.id)["lines"]), 3)
        with self.assertRaises(AccessError):
            Checklist.mqc_tablet_checklist(self.mill.id)  # would create one
        with self.assertRaises(AccessError):
            Checklist.mqc_tablet_checklist_set(checklist.line_ids[0].id, "ok", "")
        self.answer(checklist, {})
        with self.assertRaises(AccessError):
            Checklist.mqc_tablet_checklist_done(checklist.id)
        with self.assertRaises(AccessError):
            self.env["mqc.checklist.item"].with_user(self.auditor).create({"name": "X"})
        with self.assertRaises(AccessError):
            self.env["mqc.checklist.item"].with_user(self.operator).create({"name": "X"})
        self.assertEqual(checklist.state, "draft")

    def test_checklists_of_another_company_are_invisible(self):
        checklist = self.new_checklist()
        other_company = self.env["res.company"].create({"name": "Other plant"})
        outsider = new_test_user(
            self.env,
            "mqc_checklist_outsider",
            groups="mrp_quality_control.group_mqc_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        Checklist = self.env["mqc.machine.checklist"].with_user(outsider)
        self.assertFalse(Checklist.search([("id", "=", checklist.id)]))
        with self.assertRaises(AccessError):
            Checklist.browse(checklist.id).read(["state"])
        with self.assertRaises(AccessError):
            self.env["mqc.machine.checklist.line"].with_user(outsider).browse(
                checklist.line_ids[0].id
            ).read(["result"])
        # the other plant's own work centre gets only the shared items and its own
        foreign_wc = self.env["mrp.workcenter"].create(
            {"name": "Other lathe", "company_id": other_company.id}
        )
        foreign_item = self.env["mqc.checklist.item"].create(
            {"name": "Bar feeder", "workcenter_id": foreign_wc.id}
        )
        self.assertEqual(foreign_item.company_id, other_company)
        foreign = Checklist.create({"workcenter_id": foreign_wc.id})
        self.assertEqual(foreign.company_id, other_company)
        self.assertEqual(
            foreign.line_ids.item_id, self.item_levels | self.item_guards | foreign_item
        )
