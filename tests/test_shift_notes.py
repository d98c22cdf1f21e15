from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .shop_common import MqcShopCommon


@tagged("post_install", "-at_install")
class TestShiftNotes(MqcShopCommon):
    def write_note(self, user=None, workcenter=None, **vals):
        values = {
            "workcenter_id": (workcenter or self.lathe).id,
            "todo": "32 of 50 shafts turned; T3 insert changed at piece 30.",
            "problems": "Chip conveyor jammed twice.",
            "time_spent": 7.5,
        }
        values.update(vals)
        return self.env["mqc.shift.note"].with_user(user or self.operator).create(values)

    def test_next_shift_acknowledges(self):
        note = self.write_note()
        self.assertEqual((note.state, note.author_id), ("open", self.operator))
        Note = self.env["mqc.shift.note"]
        self.assertEqual([n["id"] for n in Note.mqc_open_notes(self.lathe.id)], [note.id])
        Tablet = self.env["mqc.tablet"]
        self.assertTrue(Tablet.with_user(self.operator_next).acknowledge_note(note.id))
        self.assertEqual(note.state, "acknowledged")
        self.assertEqual(note.acknowledged_by_id, self.operator_next)
        self.assertTrue(note.acknowledged_date)
        self.assertEqual(Note.mqc_open_notes(self.lathe.id), [])
        # acknowledging again keeps the first acknowledgement
        self.assertTrue(Tablet.with_user(self.manager).acknowledge_note(note.id))
        self.assertEqual(note.acknowledged_by_id, self.operator_next)

    def test_form_writes_a_note_signed_by_its_author(self):
        form = Form(self.env["mqc.shift.note"].with_user(self.operator))
        form.workcenter_id = self.lathe
        form.todo = "Finish the batch"
        note = form.save()
        self.assertEqual((note.author_id, note.state), (self.operator, "open"))
        self.assertIn(self.lathe.name, note.display_name)

    def test_author_cannot_acknowledge_own_note(self):
        note = self.write_note()
        with self.assertRaises(UserError) as error:
            self.env["mqc.tablet"].with_user(self.operator).acknowledge_note(note.id)
        self.assertIn("next shift", str(error.exception))
        with self.assertRaises(UserError):
            note.with_user(self.operator).action_acknowledge()
        self.assertEqual(note.state, "open")
        values = self.env["mqc.shift.note"].with_user(self.operator).mqc_open_notes(self.lathe.id)
        self.assertFalse(values[0]["can_acknowledge"])
        self.assertEqual(values[0]["author"], self.operator.name)
        self.assertEqual(values[0]["time_spent"], 7.5)

    def test_acknowledged_note_is_locked(self):
        note = self.write_note()
        note.with_user(self.operator_next).action_acknowledge()
        with self.assertRaises(UserError):
            note.with_user(self.operator).write({"todo": "Changed my mind"})
        with self.assertRaises(UserError):
            note.unlink()

    def test_open_notes_are_those_of_the_work_centre(self):
        lathe_note = self.write_note()
        self.write_note(workcenter=self.mill)
        done = self.write_note()
        done.with_user(self.operator_next).action_acknowledge()
        notes = self.env["mqc.shift.note"].mqc_open_notes(self.lathe.id)
        self.assertEqual([n["id"] for n in notes], [lathe_note.id])
        self.assertEqual(self.lathe.mqc_open_note_count, 1)

    def test_tablet_writes_a_note(self):
        Note = self.env["mqc.shift.note"].with_user(self.operator)
        values = Note.mqc_tablet_note_create(self.lathe.id, "Finish the batch", "", 2)
        self.assertEqual(values["todo"], "Finish the batch")
        self.assertEqual(values["time_spent"], 2.0)
        with self.assertRaises(UserError):
            Note.mqc_tablet_note_create(self.lathe.id, "  ", "")

    def test_auditor_reads_but_does_not_write_nor_acknowledge(self):
        note = self.write_note()
        self.assertEqual(note.with_user(self.auditor).todo[:2], "32")
        with self.assertRaises(AccessError):
            self.write_note(user=self.auditor)
        with self.assertRaises(AccessError):
            self.env["mqc.tablet"].with_user(self.auditor).acknowledge_note(note.id)
        with self.assertRaises(AccessError):
            note.with_user(self.auditor).write({"problems": "X"})
        with self.assertRaises(AccessError):
            note.with_user(self.operator_next).unlink()
        self.assertEqual(note.state, "open")

    def test_notes_of_another_company_are_invisible(self):
        note = self.write_note()
        other_company = self.env["res.company"].create({"name": "Other plant"})
        outsider = new_test_user(
            self.env,
            "mqc_note_outsider",
            groups="mrp_quality_control.group_mqc_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        Note = self.env["mqc.shift.note"].with_user(outsider)
        self.assertFalse(Note.search([("id", "=", note.id)]))
        with self.assertRaises(AccessError):
            Note.browse(note.id).read(["todo"])
        with self.assertRaises(AccessError):
            self.env["mqc.tablet"].with_user(outsider).acknowledge_note(note.id)
        self.assertEqual(note.company_id, self.env.company)
