from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from ..tools import client_input

# What the author may no longer change once the next shift has read the note.
LOCKED_FIELDS = {"workcenter_id", "author_id", "note_date", "todo", "problems", "time_spent"}
MAX_HOURS = 24  # time spent on the job during one shift


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

    _check_mqc_text_lengths = client_input.max_lengths(
        todo=client_input.REASON_MAX,
        problems=client_input.REASON_MAX,
    )

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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_acknowledged(self):
        if any(n.state == "acknowledged" for n in self):
            raise UserError(self.env._("An acknowledged handover note cannot be deleted."))

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
    def mqc_open_notes(self, workcenter_id):
        """Tablet: the open notes of a work centre, oldest first, as
        [{id, author, date, todo, problems, time_spent}]; ``date`` is in UTC
        (``YYYY-MM-DD HH:MM:SS``) like every datetime the ORM sends."""
        workcenter = client_input.existing(
            self.env, "mrp.workcenter", workcenter_id, self.env._("Work Centre")
        )
        notes = self.search(
            [("workcenter_id", "=", workcenter.id), ("state", "=", "open")],
            order="note_date, id",
        )
        return [note._mqc_tablet_values() for note in notes]

    @api.model
    def mqc_tablet_note_create(self, workcenter_id, todo="", problems="", time_spent=0.0):
        """Tablet: the leaving shift writes its note; returns it as in
        ``mqc_open_notes``."""
        env, ci = self.env, client_input
        workcenter = ci.existing(env, "mrp.workcenter", workcenter_id, env._("Work Centre"))
        todo = ci.text(env, todo, env._("To Do"), ci.REASON_MAX)
        problems = ci.text(env, problems, env._("Problems"), ci.REASON_MAX)
        if ci.empty(time_spent):
            time_spent = 0.0
        time_spent = ci.finite_number(env, time_spent, env._("Time Spent (h)"))
        if not 0 <= time_spent <= MAX_HOURS:
            raise UserError(
                env._(
                    "%(field)s: from 0 to %(maximum)s hours (got %(value)s).",
                    field=env._("Time Spent (h)"),
                    maximum=MAX_HOURS,
                    value=time_spent,
                )
            )
        if not todo and not problems:
            raise UserError(
                self.env._("Write what the next shift has to do or the problems you met.")
            )
        note = self.create(
            {
                "workcenter_id": workcenter.id,
                "todo": todo or False,
                "problems": problems or False,
                "time_spent": time_spent,
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
