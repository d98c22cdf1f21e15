from odoo import api, models
from odoo.exceptions import AccessError

# Written by Odoo's own mail machinery (followers, attachments, activities).
MAIL_FIELDS = ("message_", "activity_", "website_message_ids")
ALL = "__all__"


class MqcGuardedMixin(models.AbstractModel):
    """Fields that only the add-on's server code writes.

    A model lists in ``_mqc_guarded_fields`` the fields that are evidence or that
    a workflow derives (states, approvals, results, computed figures), or ``ALL``
    for a model whose records are written by server methods only. A user's
    ``create`` or ``write`` naming one of them is refused, whatever the context
    holds (``default_<field>`` keys included); the server methods check the
    caller first, then write in superuser mode (``sudo()``), which a client
    cannot switch on. Odoo's own models extended by the add-on call
    ``refuse_guarded_create`` / ``refuse_guarded_write`` from their overrides.
    """

    _name = "mqc.guarded.mixin"
    _description = "Fields Written by the Server Only"
    _mqc_guarded_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        refuse_guarded_create(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        refuse_guarded_write(self, vals)
        return super().write(vals)


def refuse_guarded_create(model, vals_list):
    """A form sends the defaults it shows: a guarded field may come with its
    own default value (or empty), never with another one, nor as a
    ``default_<field>`` key of the context."""
    if model.env.su:
        return
    names = {
        name
        for vals in vals_list
        for name, value in vals.items()
        if value and value != _static_default(model, name)
    }
    names |= {key[8:] for key in model.env.context if key.startswith("default_")}
    _refuse(model, names)


def refuse_guarded_write(model, vals):
    if not model.env.su:
        _refuse(model, vals)


def _static_default(model, name):
    field = model._fields.get(name)
    if field is None or not field.default:
        return False
    value = field.default(model)
    return value.id if isinstance(value, models.BaseModel) else value


def _refuse(model, names):
    guarded = model._mqc_guarded_fields
    if guarded == ALL:
        refused = {n for n in names if n in model._fields and not n.startswith(MAIL_FIELDS)}
    else:
        refused = set(names) & guarded
    if refused:
        labels = ", ".join(
            sorted(model._fields[name]._description_string(model.env) for name in refused)
        )
        raise AccessError(
            model.env._(
                "%(model)s: %(fields)s cannot be written directly; they follow the "
                "recorded values and the buttons of the workflow.",
                model=model.env["ir.model"]._get(model._name).name,
                fields=labels,
            )
        )


def require_group(env, xmlid, message):
    """Refuses the call unless the real user (not a context flag) is in the
    group; ``message``: the translated refusal, naming who may do it."""
    if not env.user.has_group(xmlid):
        raise AccessError(message)


def require_quality_user(records):
    """The quality screens and buttons are for the quality groups (the
    auditor's read access and above), on records the caller may read."""
    require_group(
        records.env,
        "mrp_quality_control.group_mqc_auditor",
        records.env._("Only the quality team and the shop floor open quality records."),
    )
    records.check_access("read")
