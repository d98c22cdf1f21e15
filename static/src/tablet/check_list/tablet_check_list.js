/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";

/** What a check's state is called on the tablet. */
export function stateLabel(model, check) {
    if (model.isPending(check)) {
        return _t("Not saved yet");
    }
    const labels = { todo: _t("To do"), pass: _t("Passed"), fail: _t("Failed"), cancel: _t("Cancelled") };
    return labels[check.state] || check.state;
}

/** A check of the list: its balloon, name, tolerance, when it is due and its state. */
export class MqcTabletCheckTile extends Component {
    static template = "mrp_quality_control.TabletCheckTile";
    static props = { model: Object, check: Object };

    setup() {
        this.model = useState(this.props.model);
    }

    get stateLabel() {
        return stateLabel(this.model, this.props.check);
    }

    get tileClass() {
        const check = this.props.check;
        const classes = [`o_mqc_check_${check.state}`];
        if (check.id === this.model.selectedCheckId) {
            classes.push("o_mqc_selected");
        }
        if (this.model.isBlocked(check)) {
            classes.push("o_mqc_blocked");
        }
        if (this.model.isPending(check)) {
            classes.push("o_mqc_pending");
        }
        return classes.join(" ");
    }
}

/** The checks of the work order: those open, then those done behind a toggle. */
export class MqcTabletCheckList extends Component {
    static template = "mrp_quality_control.TabletCheckList";
    static components = { MqcTabletCheckTile };
    static props = { model: Object };

    setup() {
        this.model = useState(this.props.model);
    }

    get doneLabel() {
        return _t("Checks done (%s)", this.model.doneChecks.length);
    }
}
