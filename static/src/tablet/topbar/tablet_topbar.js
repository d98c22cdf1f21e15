/** @odoo-module **/

import { Component, useState } from "@odoo/owl";

/** The work order, the pieces done and the buttons of the tablet's top bar. */
export class MqcTabletTopbar extends Component {
    static template = "mrp_quality_control.TabletTopbar";
    static props = { model: Object, onExit: Function };

    setup() {
        this.model = useState(this.props.model);
    }

    get workorder() {
        return this.model.data.workorder;
    }
}
