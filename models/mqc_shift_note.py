from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

# What the author may no longer change once the next shift has read the note.
LOCKED_FIELDS = {"workcenter_id", "author_id", "note_date", "todo", "problems", "time_spent"}


class MqcShiftNote(models.Model):
    """Handover note (cahier de consignes) of a work centre: what the leaving
    shift tells the next one. It stays on the tablet of the work centre until
    someone of the next shift acknowledges it."""

    _name = "mqc.shift.note"
    _description = "Shift Handover Note"
    _inherit = ["mqc.guarded.mixin", "mail.thread"]
    # The author is the writer; the acknowledgement is the next shift's
    # (action_acknowledge).
    _mqc_guarded_fields = frozenset(
        {"author_id", "state", "acknowledged_by_id", "acknowledged_date"}
    )
    _order = "note_date desc, id desc"
    _check_company_auto = True

    workcenter_id = fields.Many2one(
        "mrp.workcenter",
        "Work Centre",
        required=True,
        check_company=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    author_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    note_date = fields.Datetime("Date", required=True, default=fields.Datetime.now)
    todo = fields.Text(
        "To Do",
        help="What the next shift has to do: job in progress, settings, parts waiting...",
    )
    problems = fields.Text(help="Problems met during the shift and what was done about them.")
    time_spent = fields.Float("Time Spent (h)", help="Hours spent on the job during the shift.")
    state = fields.Selection(
        [("open", "Open"), ("acknowledged", "Acknowledged")],
        required=True,
        default="open",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    acknowledged_date = fields.Datetime("Acknowledged On", readonly=True, copy=False)

    @api.depends("workcenter_id", "note_date", "author_id")
    def _compute_display_name(self):
        for note in self:
            note.display_name = self.env._(
                "%(workcenter)s - %(date)s - %(author)s",
                workcenter=note.workcenter_id.display_name or "",
                date=format_datetime(self.env, note.note_date, dt_format="short")
                if note.note_date
                else "",
                author=note.author_id.name or "",
            )

    @api.onchange("workcenter_id")
    def _onchange_workcenter_id(self):
        if self.workcenter_id.company_id:
            self.company_id = self.workcenter_id.company_id

    @api.model_create_multi
    def create(self, vals_list):
        Workcenter = self.env["mrp.workcenter"]
        for vals in vals_list:
            if "company_id" not in vals and vals.get("workcenter_id"):
                company = Workcenter.browse(vals["workcenter_id"]).company_id
                if company:
                    vals["company_id"] = company.id
        return super().create(vals_list)

    def write(self, vals):
        if LOCKED_FIELDS & set(vals) and any(n.state == "acknowledged" for n in self):
            raise UserError(
                self.env._(
                    "An acknowledged handover note cannot be changed; write a new note instead."
                )
            )
        return super().write(vals)

    def unlink(self):
        if any(n.state == "acknowledged" for n in self):
            raise UserError(self.env._("An acknowledged handover note cannot be deleted."))
        return super().unlink()

    def action_acknowledge(self):
        """The next shift has read the note. Its author cannot acknowledge it;
        a note already acknowledged keeps its first acknowledgement."""
        self.check_access("write")
        for note in self:
            if note.state == "acknowledged":
                continue
            if note.author_id == self.env.user:
                raise UserError(
                    self.env._(
                        "You wrote this handover note (%(note)s): someone of the next shift "
                        "acknowledges it.",
                        note=note.display_name,
                    )
                )
            # Checked above: write access to the note, and not its author.
            note.sudo().write(
                {
                    "state": "acknowledged",
                    "acknowledged_by_id": self.env.user.id,
                    "acknowledged_date": fields.Datetime.now(),
                }
            )
        return True

    @api.model
    def mqc_acknowledge(self, note_id):
        """Tablet: acknowledge one note."""
        note = self.browse(int(note_id)).exists()
        if not note:
            raise UserError(self.env._("This handover note no longer exists."))
        note.action_acknowledge()
        return True

    @api.model
    def mqc_open_notes(self, workcenter_id):
        """Tablet: the open notes of a work centre, oldest first, as
        [{id, author, date, todo, problems, time_spent}]; ``date`` is in UTC
        (``YYYY-MM-DD HH:MM:SS``) like every datetime the ORM sends."""
        notes = self.search(
            [("workcenter_id", "=", int(workcenter_id)), ("state", "=", "open")],
            order="note_date, id",
        )
        return [note._mqc_tablet_values() for note in notes]

    @api.model
    def mqc_tablet_note_create(self, workcenter_id, todo="", problems="", time_spent=0.0):
        """Tablet: the leaving shift writes its note; returns it as in
        ``mqc_open_notes``."""
        if not (todo or "").strip() and not (problems or "").strip():
            raise UserError(
                self.env._("Write what the next shift has to do or the problems you met.")
            )
        note = self.create(
            {
                "workcenter_id": int(workcenter_id),
                "todo": todo or False,
                "problems": problems or False,
                "time_spent": float(time_spent or 0.0),
            }
        )
        return note._mqc_tablet_values()

    def _mqc_tablet_values(self):
        self.ensure_one()
        return {
            "id": self.id,
            "author": self.author_id.name,
            "author_id": self.author_id.id,
            "date": fields.Datetime.to_string(self.note_date),
            "todo": self.todo or "",
            "problems": self.problems or "",
            "time_spent": self.time_spent,
            "can_acknowledge": self.author_id != self.env.user,
        }
