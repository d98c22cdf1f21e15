/** @odoo-module **/

import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { MqcTabletCheckList } from "./check_list/tablet_check_list";
import { MqcTabletCheckDetail } from "./entry/tablet_check_detail";
import { MqcTabletKiosk } from "./kiosk/tablet_kiosk";
import { MqcTabletPanels } from "./panels/tablet_panels";
import { MqcDriftPanel } from "./tablet_drift_panel";
import { TabletModel } from "./tablet_model";
import { MqcTabletTopbar } from "./topbar/tablet_topbar";

const RETRY_TICK_MS = 2000;

/**
 * Shop-floor tablet: the checks due now on a work order, entered with a finger.
 *
 * Opened from a work order (context / params ``workorder_id``) or as a kiosk
 * (pick the work centre, then the work order in progress). The state and the
 * calls to the server are the model's (tablet_model.js); this client action
 * holds what belongs to the web client: the URL, leaving, the alert form, and
 * the timer and the ``online`` event that send the offline queue.
 */
export class MqcTablet extends Component {
    static template = "mrp_quality_control.Tablet";
    static components = {
        MqcDriftPanel,
        MqcTabletCheckDetail,
        MqcTabletCheckList,
        MqcTabletKiosk,
        MqcTabletPanels,
        MqcTabletTopbar,
    };
    static props = { ...standardActionServiceProps };

    setup() {
        this.actionService = useService("action");
        const services = { orm: useService("orm"), notification: useService("notification") };
        this.model = useState(new TabletModel(services));
        onWillStart(async () => {
            // Approving a first piece and acknowledging alerts: the quality team.
            this.model.isQualityTeam = await user.hasGroup("mrp_quality_control.group_mqc_technician");
            await this.model.start(this.initialWorkorderId());
        });
        this.retryTimer = browser.setInterval(() => this.model.recorder.flush(), RETRY_TICK_MS);
        // Back online: the whole queue goes at once, in one call.
        this.onOnline = () => this.model.recorder.flush(true);
        browser.addEventListener("online", this.onOnline);
        onWillUnmount(() => {
            browser.clearInterval(this.retryTimer);
            browser.removeEventListener("online", this.onOnline);
        });
    }

    initialWorkorderId() {
        const action = this.props.action || {};
        const context = action.context || {};
        const params = action.params || {};
        const raw =
            params.workorder_id ||
            context.workorder_id ||
            (context.params && context.params.workorder_id) ||
            (context.active_model === "mrp.workorder" && context.active_id);
        const id = parseInt(raw, 10);
        return Number.isFinite(id) && id > 0 ? id : false;
    }

    get pendingLabel() {
        return _t("Not saved yet — will retry (%s)", this.model.pendingForWorkorder.length);
    }

    async openWorkorder(workorderId) {
        await this.model.openWorkorder(workorderId);
        // The URL carries the work order: a reload reopens it.
        this.props.updateActionState?.({ workorder_id: workorderId });
    }

    async exit() {
        if (this.model.data && this.model.kiosk) {
            this.props.updateActionState?.({ workorder_id: undefined });
            return this.model.closeWorkorder();
        }
        try {
            await this.actionService.restore();
        } catch {
            await this.actionService.doAction("mrp.mrp_workorder_todo", { clearBreadcrumbs: true });
        }
    }

    answerDrift(eventId, causeId, actionId, note) {
        return this.model.acts.answerDrift(eventId, causeId, actionId, note);
    }

    openDrift(eventId) {
        this.model.acts.openDrift(eventId);
    }

    postponeDrift(eventId) {
        this.model.acts.postponeDrift(eventId);
    }

    openAlert(alert) {
        return this.actionService.doAction(
            {
                type: "ir.actions.act_window",
                res_model: "mqc.alert",
                res_id: alert.id,
                views: [[false, "form"]],
                target: "new",
            },
            { onClose: () => this.model.reload() }
        );
    }
}

registry.category("actions").add("mrp_quality_control.tablet", MqcTablet);
