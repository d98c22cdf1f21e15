/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatServerDateTime } from "../tablet_utils";
import { MqcTabletChartPanel } from "../tablet_chart_panel";

/** What happens to a non-conforming part. */
export function dispositionChoices() {
    return [
        { value: "rework", label: _t("Rework"), icon: "fa-wrench" },
        { value: "scrap", label: _t("Scrap"), icon: "fa-trash" },
        { value: "quarantine", label: _t("Quarantine"), icon: "fa-lock" },
        { value: "hold", label: _t("Hold for decision"), icon: "fa-pause" },
    ];
}

class MqcTabletPanel extends Component {
    static props = { model: Object, onOpenAlert: { type: Function, optional: true } };

    setup() {
        this.model = useState(this.props.model);
    }
}

/** A failed check: rework, scrap, quarantine or hold, and why. */
export class MqcTabletDispositionPanel extends MqcTabletPanel {
    static template = "mrp_quality_control.TabletDispositionPanel";

    get choices() {
        return dispositionChoices();
    }
}

/** A tool change or an adjustment, and why: the checks due after one are added. */
export class MqcTabletToolChangePanel extends MqcTabletPanel {
    static template = "mrp_quality_control.TabletToolChangePanel";

    get reasons() {
        return [_t("Worn insert replaced"), _t("Tool broken"), _t("Offset adjusted"), _t("New batch of material")];
    }
}

/** The open handover notes of the work centre, acknowledged by the next shift. */
export class MqcTabletNotesPanel extends MqcTabletPanel {
    static template = "mrp_quality_control.TabletNotesPanel";

    formatDate(note) {
        return formatServerDateTime(note.date);
    }
}

/** The quality alerts of the work order: acknowledged, or opened in their form. */
export class MqcTabletAlertsPanel extends MqcTabletPanel {
    static template = "mrp_quality_control.TabletAlertsPanel";

    stateLabel(alert) {
        const labels = { new: _t("New"), acknowledged: _t("Acknowledged"), closed: _t("Closed") };
        return labels[alert.state] || alert.state;
    }
}

/** The panel open over the screen (model.panel). */
export class MqcTabletPanels extends MqcTabletPanel {
    static template = "mrp_quality_control.TabletPanels";
    static components = {
        MqcTabletAlertsPanel,
        MqcTabletChartPanel,
        MqcTabletDispositionPanel,
        MqcTabletNotesPanel,
        MqcTabletToolChangePanel,
    };

    closePanel() {
        this.model.acts.closePanel();
    }
}
