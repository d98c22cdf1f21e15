/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";

/** The kiosk: choose the work centre, then the work order in progress. */
export class MqcTabletKiosk extends Component {
    static template = "mrp_quality_control.TabletKiosk";
    static props = { model: Object, onOpen: Function, onExit: Function };

    setup() {
        this.model = useState(this.props.model);
    }

    get prompt() {
        return _t("%s: choose the work order", this.model.kioskWorkcenter.name);
    }

    workordersLabel(workcenter) {
        const count = workcenter.workorders.length;
        return count === 1 ? _t("1 work order in progress") : _t("%s work orders in progress", count);
    }

    todoLabel(workorder) {
        return workorder.todo === 1 ? _t("1 check to do") : _t("%s checks to do", workorder.todo);
    }
}
