/** @odoo-module **/

import { Component, onWillUpdateProps, useState } from "@odoo/owl";
import { localization } from "@web/core/l10n/localization";
import { _t } from "@web/core/l10n/translation";
import { formatServerDateTime } from "./tablet_utils";

function formatValue(value) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
        return "";
    }
    return String(value).replace(".", localization.decimalPoint || ".");
}

function formatWhen(serialized) {
    return formatServerDateTime(serialized, { showSeconds: false });
}

/**
 * Drift events of the work order (a new value broke a run rule): the panel
 * where the operator records the cause found and the immediate action, or,
 * when postponed, a red banner reopening it. The characteristic stays locked
 * (tablet and server) until the event is answered.
 */
export class MqcDriftPanel extends Component {
    static template = "mrp_quality_control.TabletDriftPanel";
    static props = {
        events: Array, // open events [{id, balloon, name, value, unit, message, ...}]
        causes: Array, // [{id, name}]
        actions: Array,
        shownId: [Number, Boolean], // event shown in the panel, or false (banner)
        busy: { type: Boolean, optional: true },
        onAnswer: Function, // (eventId, causeId, actionId, note)
        onOpen: Function, // (eventId)
        onLater: Function, // (eventId)
    };

    setup() {
        this.state = useState({ causeId: false, actionId: false, note: "" });
        onWillUpdateProps((next) => {
            if (next.shownId !== this.props.shownId) {
                Object.assign(this.state, { causeId: false, actionId: false, note: "" });
            }
        });
    }

    get shown() {
        return this.props.events.find((e) => e.id === this.props.shownId) || false;
    }

    get bannerLabel() {
        const first = this.props.events[0];
        if (this.props.events.length === 1) {
            return _t("Drift on %(char)s: record its cause and action; the characteristic is locked until then.", {
                char: first.characteristic,
            });
        }
        return _t("%(count)s drifts to answer; the characteristics concerned are locked until then.", {
            count: this.props.events.length,
        });
    }

    get valueLabel() {
        const event = this.shown;
        return `${formatValue(event.value)}${event.unit ? " " + event.unit : ""}`;
    }

    get whenLabel() {
        return formatWhen(this.shown.date);
    }

    get otherCount() {
        return this.props.events.length - 1;
    }

    get canConfirm() {
        return Boolean(this.state.causeId && this.state.actionId && !this.props.busy);
    }

    selectCause(id) {
        this.state.causeId = id;
    }

    selectAction(id) {
        this.state.actionId = id;
    }

    confirm() {
        if (!this.canConfirm) {
            return;
        }
        return this.props.onAnswer(this.shown.id, this.state.causeId, this.state.actionId, this.state.note.trim());
    }
}

/** Answered drifts of a characteristic on this work order: who found what and did what. */
export class MqcDriftTrace extends Component {
    static template = "mrp_quality_control.TabletDriftTrace";
    static props = { events: Array };

    when(event) {
        return formatWhen(event.answered_date);
    }

    value(event) {
        return `${formatValue(event.value)}${event.unit ? " " + event.unit : ""}`;
    }
}
