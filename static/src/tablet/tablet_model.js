/** @odoo-module **/

import { markRaw, markup } from "@odoo/owl";
import { emptyEntry, gaugesFor } from "./entry/entry_payload";
import { TabletActs } from "./tablet_acts";
import { TabletRecorder } from "./tablet_recorder";
import { PendingQueue, parseEntry, verdictOf } from "./tablet_utils";

/** The tablet's door on the server (models/mqc_tablet.py): the only model the tablet calls. */
export const DOOR = "mqc.tablet";

const NO_FIRST_PIECE = { required: false, approved: true, check_ids: [] };
const NO_DRIFT = { events: [], answered: [], causes: [], actions: [] };

/**
 * State of the shop-floor tablet and its calls to the server (mqc.tablet),
 * without any template: the components read it and call its methods. Wrapped
 * in ``useState`` by the client action, so that every component reading it
 * renders again when it changes. Recording values and the offline queue:
 * ``this.recorder`` (TabletRecorder); the other acts on the work order:
 * ``this.acts`` (TabletActs).
 *
 * ``services``: ``orm`` and ``notification`` (the web client's, or fakes in the
 * tests); ``storage``: where the queue of entries not saved yet is kept.
 */
export class TabletModel {
    constructor(services, { storage, isQualityTeam = false } = {}) {
        // Services are not state: never made reactive.
        this.services = markRaw({ ...services });
        this.isQualityTeam = isQualityTeam; // approves a first piece, acknowledges alerts
        this.queue = new PendingQueue(storage);
        this.recorder = new TabletRecorder(this);
        this.acts = new TabletActs(this);
        this.loading = true;
        this.workorderId = false;
        this.kiosk = null; // [{id, name, workorders: [...]}]
        this.workcenterId = false;
        this.data = null; // the screen of the work order (mqc.tablet.open)
        this.selectedCheckId = false;
        this.entries = {}; // check id -> what the operator typed or chose
        this.results = {}; // check id -> the last answer shown
        this.piecesDone = 0;
        this.panel = false; // "notes" | "alerts" | "tool_change" | "disposition" | "chart"
        this.toolChangeReason = "";
        this.disposition = { checkId: false, value: false, note: "" };
        this.ndtInspectors = [];
        this.busy = false;
        this.showDone = false;
        this.driftEventId = false; // drift event shown in the drift panel
        this.driftPostponed = new Set(); // drift events the operator answers "later"
    }

    /** One call to the tablet's door on the server. */
    call(method, args = []) {
        return this.services.orm.call(DOOR, method, args);
    }

    notify(message, options = {}) {
        this.services.notification.add(message, options);
    }

    // ------------------------------------------------------------------
    // Loading
    // ------------------------------------------------------------------

    /** The work order given, or the kiosk. */
    async start(workorderId) {
        if (workorderId) {
            await this.openWorkorder(workorderId);
        } else {
            await this.loadKiosk();
        }
        this.loading = false;
    }

    async loadKiosk() {
        this.kiosk = await this.call("kiosk");
        if (this.kiosk.length === 1) {
            this.workcenterId = this.kiosk[0].id;
        }
    }

    get kioskWorkcenter() {
        return (this.kiosk || []).find((wc) => wc.id === this.workcenterId);
    }

    selectWorkcenter(id) {
        this.workcenterId = id;
    }

    async openWorkorder(workorderId) {
        const data = await this.call("open", [workorderId]);
        this.workorderId = workorderId;
        this.driftPostponed.clear();
        this.applyData(data);
        if (data.checks.some((c) => c.method_type === "ndt") && !this.ndtInspectors.length) {
            this.ndtInspectors = await this.call("inspectors");
        }
    }

    /** Back to the kiosk: the work order is closed. */
    async closeWorkorder() {
        Object.assign(this, { data: null, workorderId: false, selectedCheckId: false, panel: false });
        await this.loadKiosk();
    }

    async reload() {
        if (this.workorderId) {
            this.applyData(await this.call("open", [this.workorderId]));
        }
    }

    /** Shows the screen the server sent (an opening, or the answer to a write). */
    applyData(data) {
        for (const check of data.checks) {
            // Instruction: sanitized HTML field of the characteristic.
            check.instruction = check.instruction ? markup(check.instruction) : "";
        }
        this.data = data;
        this.piecesDone = data.workorder.pieces_done || 0;
        for (const check of data.checks) {
            if (!this.entries[check.id]) {
                this.entries[check.id] = emptyEntry(check, data);
            }
        }
        if (!data.checks.some((c) => c.id === this.selectedCheckId)) {
            const next = data.checks.find((c) => c.state === "todo" && !c.blocked_reason) || data.checks[0];
            this.selectedCheckId = next ? next.id : false;
        }
        this.showNextDrift();
    }

    /** Applies the screen carried by an answer, or asks for it. */
    async applyAnswer(answer) {
        if (answer && answer.tablet) {
            this.applyData(answer.tablet);
        } else {
            await this.reload();
        }
    }

    // ------------------------------------------------------------------
    // What the screen shows
    // ------------------------------------------------------------------

    get checks() {
        return this.data ? this.data.checks : [];
    }

    /** To do, and failed (they may still need a disposition): always listed. */
    get openChecks() {
        return this.checks.filter((c) => c.state === "todo" || c.state === "fail");
    }

    /** Passed (and cancelled) checks: behind a toggle, the list stays short. */
    get doneChecks() {
        return this.checks.filter((c) => c.state !== "todo" && c.state !== "fail");
    }

    get selectedCheck() {
        return this.checks.find((c) => c.id === this.selectedCheckId) || false;
    }

    get entry() {
        return this.entries[this.selectedCheckId] || {};
    }

    get liveValue() {
        return parseEntry(this.entry.text);
    }

    get liveVerdict() {
        const check = this.selectedCheck;
        return check && check.result_type === "measure" ? verdictOf(check, this.liveValue) : null;
    }

    get firstPiece() {
        return (this.data && this.data.first_piece) || NO_FIRST_PIECE;
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

    get alerts() {
        return (this.data && this.data.alerts) || [];
    }

    get openAlerts() {
        return this.alerts.filter((a) => a.state !== "closed");
    }

    get notes() {
        return (this.data && this.data.notes) || [];
    }

    get pendingForWorkorder() {
        return this.queue.forWorkorder(this.workorderId);
    }

    get piecesDirty() {
        return Boolean(this.data) && this.piecesDone !== (this.data.workorder.pieces_done || 0);
    }

    gaugesFor(check) {
        return gaugesFor(check, this.data);
    }

    isBlocked(check) {
        return Boolean(check.blocked_reason) || check.state === "cancel";
    }

    isFillable(check) {
        return check.state === "todo" && !this.isBlocked(check);
    }

    isPending(check) {
        const result = this.results[check.id];
        return Boolean(result && result.pending);
    }

    needsDisposition(check) {
        const result = this.results[check.id];
        if (result && result.disposed) {
            return false;
        }
        return Boolean(check.needs_disposition || (result && result.needs_disposition));
    }

    get dispositionCheck() {
        return this.checks.find((c) => c.id === this.disposition.checkId) || false;
    }

    // ------------------------------------------------------------------
    // Drift events (a value broke a run rule)
    // ------------------------------------------------------------------

    get drift() {
        return (this.data && this.data.drift) || NO_DRIFT;
    }

    showNextDrift() {
        const events = this.drift.events;
        if (!events.some((e) => e.id === this.driftEventId)) {
            const next = events.find((e) => !this.driftPostponed.has(e.id));
            this.driftEventId = next ? next.id : false;
        }
    }

    driftTrace(check) {
        return this.drift.answered.filter((e) => e.characteristic_id === check.characteristic_id);
    }
}
