/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { MqcKeypad, MqcToleranceBar } from "../tablet_widgets";

/**
 * The entry of the selected check: a value on the keypad (live verdict and
 * tolerance bar), OK / NOK, or a number of defects; on the side, the gauge
 * (listed, or its serial number typed or scanned), the consumed sample, the
 * NDT inspector and a comment.
 */
export class MqcTabletEntry extends Component {
    static template = "mrp_quality_control.TabletEntry";
    static components = { MqcKeypad, MqcToleranceBar };
    static props = { model: Object };

    setup() {
        this.model = useState(this.props.model);
    }

    get check() {
        return this.model.selectedCheck;
    }

    get entry() {
        return this.model.entry;
    }

    get recorder() {
        return this.model.recorder;
    }

    get gaugeLabel() {
        return _t("Gauge used (%s)", this.check.gauge_family.name);
    }

    onKeypadChange(text) {
        this.recorder.setText(text);
    }

    onKeypadConfirm() {
        return this.recorder.submit();
    }

    onSerialKeydown(ev) {
        if (ev.key === "Enter") {
            this.recorder.matchSerial();
        }
    }
}
