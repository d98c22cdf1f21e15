/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { stateLabel } from "../check_list/tablet_check_list";
import { dispositionChoices } from "../panels/tablet_panels";
import { MqcDriftTrace } from "../tablet_drift_panel";
import { MqcRunChart } from "../tablet_widgets";
import { MqcTabletEntry } from "./tablet_entry";

/**
 * The selected check: what to measure (tolerance, gauge family, run chart,
 * instruction), the last answer, the drifts answered, and the entry, or why
 * it cannot be filled.
 */
export class MqcTabletCheckDetail extends Component {
    static template = "mrp_quality_control.TabletCheckDetail";
    static components = { MqcDriftTrace, MqcRunChart, MqcTabletEntry };
    static props = { model: Object };

    setup() {
        this.model = useState(this.props.model);
    }

    stateLabel(check) {
        return stateLabel(this.model, check);
    }

    dispositionLabel(value) {
        const choice = dispositionChoices().find((c) => c.value === value);
        return choice ? choice.label : value;
    }

    imageUrl(check) {
        return `/web/image/mqc.characteristic/${check.characteristic_id}/image`;
    }

    isNumber(value) {
        return typeof value === "number" && Number.isFinite(value);
    }
}
