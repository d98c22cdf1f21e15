/** @odoo-module **/

import { Component, markup, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { MqcKeypad, MqcRunChart, MqcToleranceBar } from "./tablet_widgets";
import { MqcDriftPanel, MqcDriftTrace } from "./tablet_drift_panel";
import { MqcTabletChartPanel } from "./tablet_chart_panel";
import {
    PendingQueue,
    formatServerDateTime,
    isNetworkError,
    newClientUid,
    parseEntry,
    patchRecorded,
    verdictOf,
} from "./tablet_utils";

const RETRY_TICK_MS = 2000;

/**
 * Shop-floor tablet: the checks due now on a work order, entered with a finger.
 *
 * Opened from a work order (context / params ``workorder_id``) or as a kiosk
 * (pick the work centre, then the work order in progress).
 */
export class MqcTablet extends Component {
    static template = "mrp_quality_control.Tablet";
    static components = {
        MqcKeypad,
        MqcRunChart,
        MqcToleranceBar,
        MqcDriftPanel,
        MqcDriftTrace,
        MqcTabletChartPanel,
    };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.notification = useService("notification");
        this.queue = new PendingQueue();
        this.state = useState({
            loading: true,
            workorderId: false,
            kiosk: null, // [{id, name, workorders: [...]}]
            workcenterId: false,
            data: null,
            selectedCheckId: false,
            entries: {},
            results: {},
            piecesDone: 0,
            panel: false, // "notes" | "alerts" | "tool_change" | "disposition"
            toolChangeReason: "",
            disposition: { checkId: false, value: false, note: "" },
            ndtInspectors: [],
            pendingCount: this.queue.length,
            busy: false,
            showDone: false,
            driftEventId: false, // drift event shown in the drift panel
        });
        this.driftPostponed = new Set(); // drift events the operator will answer "later"
        this.isQualityTeam = false;
        onWillStart(async () => {
            // Approving a first piece and acknowledging alerts: the quality team.
            this.isQualityTeam = await user.hasGroup("mrp_quality_control.group_mqc_technician");
            const workorderId = this._initialWorkorderId();
            if (workorderId) {
                await this.openWorkorder(workorderId, { pushState: false });
            } else {
                await this.loadKiosk();
            }
            this.state.loading = false;
        });
        this.retryTimer = browser.setInterval(() => this.flushQueue(), RETRY_TICK_MS);
        this.onOnline = () => this.flushQueue(true);
        browser.addEventListener("online", this.onOnline);
        onWillUnmount(() => {
            browser.clearInterval(this.retryTimer);
            browser.removeEventListener("online", this.onOnline);
        });
    }

    _initialWorkorderId() {
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

    // ------------------------------------------------------------------
    // Loading
    // ------------------------------------------------------------------

    async loadKiosk() {
        this.state.kiosk = await this.orm.call("mrp.workcenter", "mqc_kiosk_data", []);
        if (this.state.kiosk.length === 1) {
            this.state.workcenterId = this.state.kiosk[0].id;
        }
    }

    get kioskWorkcenter() {
        return (this.state.kiosk || []).find((wc) => wc.id === this.state.workcenterId);
    }

    selectWorkcenter(id) {
        this.state.workcenterId = id;
    }

    async openWorkorder(workorderId, { pushState = true } = {}) {
        const data = await this.orm.call("mrp.workorder", "mqc_tablet_data", [workorderId]);
        this.state.workorderId = workorderId;
        this.driftPostponed.clear();
        this.applyData(data);
        if (pushState && this.props.updateActionState) {
            // The URL carries the work order: a reload reopens it.
            this.props.updateActionState({ workorder_id: workorderId });
        }
        if (data.checks.some((c) => c.method_type === "ndt") && !this.state.ndtInspectors.length) {
            this.state.ndtInspectors = await this.orm.searchRead(
                "res.users",
                [["share", "=", false]],
                ["name"],
                { limit: 200, order: "name" }
            );
        }
    }

    async backToKiosk() {
        this.state.data = null;
        this.state.workorderId = false;
        this.state.selectedCheckId = false;
        this.state.panel = false;
        if (this.props.updateActionState) {
            this.props.updateActionState({ workorder_id: undefined });
        }
        await this.loadKiosk();
    }

    async reload() {
        if (this.state.workorderId) {
            const data = await this.orm.call("mrp.workorder", "mqc_tablet_data", [this.state.workorderId]);
            this.applyData(data);
        }
    }

    applyData(data) {
        for (const check of data.checks) {
            // Instruction: sanitized HTML field of the characteristic.
            check.instruction = check.instruction ? markup(check.instruction) : "";
        }
        this.state.data = data;
        this.state.piecesDone = data.workorder.pieces_done || 0;
        for (const check of data.checks) {
            if (!this.state.entries[check.id]) {
                this.state.entries[check.id] = this._emptyEntry(check);
            }
        }
        const ids = data.checks.map((c) => c.id);
        if (!ids.includes(this.state.selectedCheckId)) {
            const next = data.checks.find((c) => c.state === "todo" && !c.blocked_reason) || data.checks[0];
            this.state.selectedCheckId = next ? next.id : false;
        }
        this.state.pendingCount = this.queue.length;
        this._showNextDrift();
    }

    _emptyEntry(check) {
        const gauges = this.gaugesFor(check, this.state.data);
        const usable = gauges.filter((g) => g.usable);
        return {
            text: "",
            ok: null,
            defects: 0,
            gaugeId: usable.length === 1 ? usable[0].id : false,
            serial: "",
            sampleReference: "",
            ndtInspectorId: false,
            note: "",
        };
    }

    // ------------------------------------------------------------------
    // Getters used by the template
    // ------------------------------------------------------------------

    get checks() {
        return this.state.data ? this.state.data.checks : [];
    }

    /** To do, and failed (they may still need a disposition): always listed. */
    get openChecks() {
        return this.checks.filter((c) => c.state === "todo" || c.state === "fail");
    }

    /** Passed (and cancelled) checks: behind a toggle, the list stays short. */
    get doneChecks() {
        return this.checks.filter((c) => c.state !== "todo" && c.state !== "fail");
    }

    get doneLabel() {
        return _t("Checks done (%s)", this.doneChecks.length);
    }

    toggleDone() {
        this.state.showDone = !this.state.showDone;
    }

    get selectedCheck() {
        return this.checks.find((c) => c.id === this.state.selectedCheckId) || false;
    }

    get entry() {
        return this.state.entries[this.state.selectedCheckId] || {};
    }

    get liveValue() {
        return parseEntry(this.entry.text);
    }

    get liveVerdict() {
        const check = this.selectedCheck;
        return check && check.result_type === "measure" ? verdictOf(check, this.liveValue) : null;
    }

    get firstPiece() {
        return (this.state.data && this.state.data.first_piece) || { required: false, approved: true, check_ids: [] };
    }

    get firstPieceBlocking() {
        return this.firstPiece.required && !this.firstPiece.approved;
    }

    get canApproveFirstPiece() {
        const fp = this.firstPiece;
        if (!this.firstPieceBlocking || !fp.check_ids.length) {
            return false;
        }
        const byId = Object.fromEntries(this.checks.map((c) => [c.id, c]));
        return fp.check_ids.every((id) => byId[id] && byId[id].state === "pass");
    }

    get openAlerts() {
        return ((this.state.data && this.state.data.alerts) || []).filter((a) => a.state !== "closed");
    }

    get notes() {
        return (this.state.data && this.state.data.notes) || [];
    }

    get pendingForWorkorder() {
        return this.queue.forWorkorder(this.state.workorderId);
    }

    get pendingLabel() {
        return _t("Not saved yet — will retry (%s)", this.pendingForWorkorder.length);
    }

    get kioskPrompt() {
        return _t("%s: choose the work order", this.kioskWorkcenter.name);
    }

    workordersLabel(workcenter) {
        const count = workcenter.workorders.length;
        return count === 1 ? _t("1 work order in progress") : _t("%s work orders in progress", count);
    }

    todoLabel(workorder) {
        return workorder.todo === 1 ? _t("1 check to do") : _t("%s checks to do", workorder.todo);
    }

    gaugeLabel(check) {
        return _t("Gauge used (%s)", check.gauge_family.name);
    }

    gaugesFor(check, data = this.state.data) {
        const gauges = (data && data.gauges) || [];
        if (!check || !check.gauge_family) {
            return [];
        }
        // A gauge whose latest study fails for this characteristic: greyed, with the reason.
        const refusals = check.gauge_refusals || {};
        return gauges
            .filter((g) => g.family_id === check.gauge_family.id)
            .map((g) => (g.usable && refusals[g.id] ? { ...g, usable: false, reason: refusals[g.id] } : g))
            .sort((a, b) => Number(b.usable) - Number(a.usable));
    }

    isBlocked(check) {
        return Boolean(check.blocked_reason) || check.state === "cancel";
    }

    isFillable(check) {
        return check.state === "todo" && !this.isBlocked(check);
    }

    stateLabel(check) {
        const result = this.state.results[check.id];
        if (result && result.pending) {
            return _t("Not saved yet");
        }
        return (
            {
                todo: _t("To do"),
                pass: _t("Passed"),
                fail: _t("Failed"),
                cancel: _t("Cancelled"),
            }[check.state] || check.state
        );
    }

    checkClass(check) {
        const classes = [`o_mqc_check_${check.state}`];
        if (check.id === this.state.selectedCheckId) {
            classes.push("o_mqc_selected");
        }
        if (this.isBlocked(check)) {
            classes.push("o_mqc_blocked");
        }
        const result = this.state.results[check.id];
        if (result && result.pending) {
            classes.push("o_mqc_pending");
        }
        return classes.join(" ");
    }

    imageUrl(check) {
        return `/web/image/mqc.characteristic/${check.characteristic_id}/image`;
    }

    isNumber(value) {
        return typeof value === "number" && Number.isFinite(value);
    }

    alertStateLabel(alert) {
        return (
            { new: _t("New"), acknowledged: _t("Acknowledged"), closed: _t("Closed") }[alert.state] || alert.state
        );
    }

    needsDisposition(check) {
        const result = this.state.results[check.id];
        if (result && result.disposed) {
            return false;
        }
        return Boolean(check.needs_disposition || (result && result.needs_disposition));
    }

    openDisposition(check) {
        this.state.disposition = { checkId: check.id, value: false, note: "" };
        this.state.panel = "disposition";
    }

    get dispositionCheck() {
        return this.checks.find((c) => c.id === this.state.disposition.checkId) || false;
    }

    dispositionLabel(value) {
        const choice = this.dispositionChoices.find((c) => c.value === value);
        return choice ? choice.label : value;
    }

    selectDisposition(value) {
        this.state.disposition.value = value;
    }

    formatNoteDate(note) {
        return formatServerDateTime(note.date);
    }

    formatNumber(value) {
        return typeof value === "number" ? String(value).replace(".", ",") : "";
    }

    // ------------------------------------------------------------------
    // Entry
    // ------------------------------------------------------------------

    selectCheck(check) {
        this.state.selectedCheckId = check.id;
        if (this.state.panel === "disposition" && this.state.disposition.checkId !== check.id) {
            this.state.panel = false;
        }
    }

    onKeypadChange(text) {
        this.entry.text = text;
    }

    setAttribute(ok) {
        this.entry.ok = ok;
        return this.submit();
    }

    changeDefects(delta) {
        this.entry.defects = Math.max(0, (this.entry.defects || 0) + delta);
    }

    pickGauge(gauge) {
        if (!gauge.usable) {
            this.notification.add(gauge.reason || _t("This gauge cannot be used."), { type: "warning" });
            return;
        }
        this.entry.gaugeId = gauge.id;
        this.entry.serial = gauge.serial_no || "";
    }

    onSerialKeydown(ev) {
        if (ev.key === "Enter") {
            this.matchSerial();
        }
    }

    async matchSerial() {
        const typed = (this.entry.serial || "").trim();
        const serial = typed.toLowerCase();
        if (!serial) {
            return;
        }
        const check = this.selectedCheck;
        const same = (g) => (g.serial_no || "").toLowerCase() === serial || g.name.toLowerCase() === serial;
        const all = (this.state.data && this.state.data.gauges) || [];
        let gauge = this.gaugesFor(check).find(same) || all.find(same);
        if (!gauge) {
            // A gauge of another family is not in the list: ask the server, to say why.
            gauge = await this.orm.call("maintenance.equipment", "mqc_find_gauge", [typed, check.characteristic_id]);
        }
        if (!gauge) {
            this.notification.add(_t("No gauge with serial number %s.", typed), { type: "warning" });
            return;
        }
        if (check.gauge_family && gauge.family_id !== check.gauge_family.id) {
            this.notification.add(
                _t("Gauge %(gauge)s is not a %(family)s.", { gauge: gauge.name, family: check.gauge_family.name }),
                { type: "warning" }
            );
            return;
        }
        this.pickGauge(gauge);
    }

    _buildPayload(check) {
        const entry = this.state.entries[check.id];
        const payload = { client_uid: newClientUid() };
        if (check.result_type === "measure") {
            const value = parseEntry(entry.text);
            if (value === null) {
                this.notification.add(_t("Type a number first."), { type: "warning" });
                return null;
            }
            payload.value = value;
        } else if (check.result_type === "attribute") {
            if (entry.ok === null) {
                return null;
            }
            payload.ok = entry.ok;
        } else {
            payload.defects = entry.defects || 0;
        }
        if (check.method_type === "gauge" && check.gauge_family) {
            if (!entry.gaugeId) {
                this.notification.add(_t("Choose the gauge you measured with."), { type: "warning" });
                return null;
            }
            const chosen = this.gaugesFor(check).find((g) => g.id === entry.gaugeId);
            if (chosen && !chosen.usable) {
                this.notification.add(chosen.reason, { type: "warning" });
                return null;
            }
            payload.gauge_id = entry.gaugeId;
        } else if (entry.gaugeId) {
            payload.gauge_id = entry.gaugeId;
        }
        if (check.method_type === "destructive") {
            if (!entry.sampleReference.trim()) {
                this.notification.add(_t("Give the reference of the consumed sample."), { type: "warning" });
                return null;
            }
            payload.sample_reference = entry.sampleReference.trim();
        }
        if (check.method_type === "ndt") {
            if (!entry.ndtInspectorId) {
                this.notification.add(_t("Choose the NDT inspector."), { type: "warning" });
                return null;
            }
            payload.ndt_inspector_id = parseInt(entry.ndtInspectorId, 10);
        }
        if (entry.note) {
            payload.note = entry.note;
        }
        return payload;
    }

    async submit() {
        const check = this.selectedCheck;
        if (!check || !this.isFillable(check)) {
            return;
        }
        if (this.queue.items.some((i) => i.checkId === check.id)) {
            // The entry already waiting for the network will be recorded; a second
            // one would only be refused as a conflict.
            this.notification.add(_t("An entry of this check is waiting to be saved."), { type: "warning" });
            return;
        }
        const payload = this._buildPayload(check);
        if (!payload) {
            return;
        }
        const item = { checkId: check.id, workorderId: this.state.workorderId, payload, label: check.name };
        this.state.results[check.id] = { pending: true, status: "sending", message: _t("Sending…") };
        await this._send(item, { firstTry: true });
    }

    async _send(item, { firstTry = false } = {}) {
        let result;
        try {
            // The answer carries the work order's fresh data when it is the one shown.
            const tablet = item.workorderId === this.state.workorderId;
            result = await this.orm.call("mqc.check", "mqc_record", [item.checkId, item.payload], {
                tablet,
            });
        } catch (error) {
            if (isNetworkError(error)) {
                if (firstTry) {
                    this.queue.add(item);
                } else {
                    this.queue.bump(item.payload.client_uid);
                }
                this.state.pendingCount = this.queue.length;
                this.state.results[item.checkId] = {
                    pending: true,
                    status: "pending",
                    message: _t("Not saved yet — will retry"),
                };
                return;
            }
            // Refused by the server: show why, the operator corrects and retries.
            this.queue.remove(item.payload.client_uid);
            this.state.pendingCount = this.queue.length;
            const message = (error.data && error.data.message) || error.message || String(error);
            this.state.results[item.checkId] = { status: "error", message };
            if (!firstTry) {
                this._refusedQueued(item, message);
            }
            return;
        }
        this.queue.remove(item.payload.client_uid);
        this.state.pendingCount = this.queue.length;
        this._handleResult(item, result, { wasQueued: !firstTry });
        if (item.workorderId === this.state.workorderId) {
            if (result.tablet) {
                this.applyData(result.tablet);
            } else if (!patchRecorded(this.state.data, item.checkId, result)) {
                await this.reload();
            }
        }
    }

    _handleResult(item, result, { wasQueued }) {
        const saved = ["ok", "warning", "nok"].includes(result.status);
        this.state.results[item.checkId] = { ...result, saved, pending: false };
        if (saved) {
            const entry = this.state.entries[item.checkId];
            if (entry) {
                entry.text = "";
                entry.ok = null;
                entry.defects = 0;
                entry.note = "";
                entry.sampleReference = "";
            }
        }
        if (wasQueued && saved) {
            this.notification.add(_t("Saved: %s", item.label || ""), { type: "success" });
        }
        if (wasQueued && result.status === "error") {
            this._refusedQueued(item, result.message);
        }
        if (result.drift_event_id) {
            // New drift (or an entry refused because of one): the panel opens.
            this.driftPostponed.delete(result.drift_event_id);
            this.state.driftEventId = result.drift_event_id;
        }
        if (result.status === "nok" && result.needs_disposition) {
            this.state.disposition = { checkId: item.checkId, value: false, note: "" };
            this.state.selectedCheckId = item.checkId;
            this.state.panel = "disposition";
        }
        if (result.status === "conflict") {
            this.notification.add(result.message, { type: "warning", sticky: true });
        }
    }

    async flushQueue(force = false) {
        if (this.flushing || !this.queue.length) {
            return;
        }
        this.flushing = true;
        try {
            const due = force ? [...this.queue.items] : this.queue.due();
            for (const item of due) {
                await this._send(item);
            }
        } finally {
            this.flushing = false;
        }
    }

    retryNow() {
        return this.flushQueue(true);
    }

    /** A queued entry the server refused: said aloud, and the value put back to retype. */
    _refusedQueued(item, message) {
        this.notification.add(_t("Not saved: %(check)s — %(message)s", { check: item.label || "", message }), {
            type: "danger",
            sticky: true,
        });
        const entry = this.state.entries[item.checkId];
        if (entry && !entry.text && typeof item.payload.value === "number") {
            entry.text = String(item.payload.value).replace(".", ",");
        }
    }

    // ------------------------------------------------------------------
    // Drift events (a value broke a run rule)
    // ------------------------------------------------------------------

    get drift() {
        return (this.state.data && this.state.data.drift) || { events: [], answered: [], causes: [], actions: [] };
    }

    _showNextDrift() {
        const events = this.drift.events;
        if (!events.some((e) => e.id === this.state.driftEventId)) {
            const next = events.find((e) => !this.driftPostponed.has(e.id));
            this.state.driftEventId = next ? next.id : false;
        }
    }

    openDrift(eventId) {
        this.driftPostponed.delete(eventId);
        this.state.driftEventId = eventId;
    }

    postponeDrift(eventId) {
        this.driftPostponed.add(eventId);
        this.state.driftEventId = false;
    }

    driftTrace(check) {
        return this.drift.answered.filter((e) => e.characteristic_id === check.characteristic_id);
    }

    answerDrift(eventId, causeId, actionId, note) {
        return this._guard(async () => {
            const result = await this.orm.call("mqc.drift.event", "mqc_answer", [eventId, causeId, actionId, note], {
                tablet: true,
            });
            this.notification.add(result.message, { type: result.status === "ok" ? "success" : "danger" });
            if (result.status === "ok") {
                this.state.driftEventId = false;
            }
            if (result.tablet) {
                this.applyData(result.tablet);
            } else {
                await this.reload();
            }
        });
    }

    // ------------------------------------------------------------------
    // Work-order actions
    // ------------------------------------------------------------------

    async _guard(fn) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            return await fn();
        } catch (error) {
            // Shop floor: a refusal or a lost connection is a message, not a dialog.
            if (error instanceof RPCError) {
                this.notification.add((error.data && error.data.message) || error.message, {
                    type: "danger",
                    sticky: true,
                });
            } else if (isNetworkError(error)) {
                this.notification.add(_t("The server cannot be reached: try again in a moment."), {
                    type: "warning",
                });
            } else {
                throw error;
            }
        } finally {
            this.state.busy = false;
        }
    }

    changePieces(delta) {
        this.state.piecesDone = Math.max(0, (this.state.piecesDone || 0) + delta);
    }

    savePieces() {
        return this._guard(async () => {
            const data = await this.orm.call("mrp.workorder", "mqc_set_pieces_done", [
                this.state.workorderId,
                this.state.piecesDone,
            ]);
            this.applyData(data);
            this.notification.add(_t("Pieces done: %s", this.state.piecesDone), { type: "info" });
        });
    }

    get piecesDirty() {
        return this.state.data && this.state.piecesDone !== (this.state.data.workorder.pieces_done || 0);
    }

    openPanel(panel) {
        this.state.panel = this.state.panel === panel ? false : panel;
    }

    closePanel() {
        this.state.panel = false;
    }

    setToolChangeReason(reason) {
        this.state.toolChangeReason = reason;
    }

    confirmToolChange() {
        const reason = this.state.toolChangeReason.trim();
        if (!reason) {
            this.notification.add(_t("Give the reason of the tool change or adjustment."), { type: "warning" });
            return;
        }
        return this._guard(async () => {
            const data = await this.orm.call("mrp.workorder", "mqc_tool_change", [this.state.workorderId, reason]);
            this.state.toolChangeReason = "";
            this.state.panel = false;
            this.applyData(data);
            this.notification.add(_t("Tool change recorded: the checks due after it are listed."), { type: "info" });
        });
    }

    get toolChangeReasons() {
        return [_t("Worn insert replaced"), _t("Tool broken"), _t("Offset adjusted"), _t("New batch of material")];
    }

    get dispositionChoices() {
        return [
            { value: "rework", label: _t("Rework"), icon: "fa-wrench" },
            { value: "scrap", label: _t("Scrap"), icon: "fa-trash" },
            { value: "quarantine", label: _t("Quarantine"), icon: "fa-lock" },
            { value: "hold", label: _t("Hold for decision"), icon: "fa-pause" },
        ];
    }

    confirmDisposition() {
        const { checkId, value, note } = this.state.disposition;
        if (!value || !note.trim()) {
            this.notification.add(_t("Choose a disposition and explain it."), { type: "warning" });
            return;
        }
        return this._guard(async () => {
            const result = await this.orm.call("mqc.check", "mqc_set_disposition", [checkId, value, note.trim()]);
            if (result.status === "error") {
                this.notification.add(result.message, { type: "danger" });
                return;
            }
            this.notification.add(result.message || _t("Disposition recorded."), { type: "success" });
            this.state.panel = false;
            this.state.results[checkId] = { ...this.state.results[checkId], needs_disposition: false, disposed: value };
            await this.reload();
        });
    }

    approveFirstPiece() {
        return this._guard(async () => {
            const result = await this.orm.call("mqc.check", "mqc_approve_first_piece", [this.firstPiece.check_ids]);
            this.notification.add(result.message || _t("First piece approved."), {
                type: result.status === "error" ? "danger" : "success",
            });
            await this.reload();
        });
    }

    acknowledgeNote(note) {
        return this._guard(async () => {
            await this.orm.call("mqc.shift.note", "mqc_acknowledge", [note.id]);
            await this.reload();
        });
    }

    acknowledgeAlert(alert) {
        return this._guard(async () => {
            await this.orm.call("mqc.alert", "action_acknowledge", [[alert.id]]);
            await this.reload();
        });
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
            { onClose: () => this.reload() }
        );
    }

    finishWorkorder() {
        return this._guard(async () => {
            await this.orm.call("mrp.workorder", "button_finish", [[this.state.workorderId]]);
            this.notification.add(_t("Work order finished."), { type: "success" });
            await this.reload();
        });
    }

    async exit() {
        if (this.state.data && this.state.kiosk) {
            return this.backToKiosk();
        }
        try {
            await this.actionService.restore();
        } catch {
            await this.actionService.doAction("mrp.mrp_workorder_todo", { clearBreadcrumbs: true });
        }
    }
}

registry.category("actions").add("mrp_quality_control.tablet", MqcTablet);
