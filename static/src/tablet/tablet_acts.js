/** @odoo-module **/

import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { isNetworkError } from "./tablet_utils";

/**
 * What the operator and the quality team do on the tablet's screen, values
 * apart (TabletRecorder): choose (a check, a panel, a disposition), answer a
 * drift, report pieces and tool changes, approve the first piece, acknowledge
 * notes and alerts, finish the work order. Each call to the server answers
 * with the fresh screen, which the model shows at once.
 */
export class TabletActs {
    constructor(model) {
        this.model = model;
    }

    // ------------------------------------------------------------------
    // Choosing (nothing sent)
    // ------------------------------------------------------------------

    selectCheck(check) {
        const model = this.model;
        model.selectedCheckId = check.id;
        if (model.panel === "disposition" && model.disposition.checkId !== check.id) {
            model.panel = false;
        }
    }

    toggleDone() {
        this.model.showDone = !this.model.showDone;
    }

    openPanel(panel) {
        this.model.panel = this.model.panel === panel ? false : panel;
    }

    closePanel() {
        this.model.panel = false;
    }

    openDisposition(check) {
        this.model.disposition = { checkId: check.id, value: false, note: "" };
        this.model.panel = "disposition";
    }

    changePieces(delta) {
        this.model.piecesDone = Math.max(0, (this.model.piecesDone || 0) + delta);
    }

    openDrift(eventId) {
        this.model.driftPostponed.delete(eventId);
        this.model.driftEventId = eventId;
    }

    postponeDrift(eventId) {
        this.model.driftPostponed.add(eventId);
        this.model.driftEventId = false;
    }

    // ------------------------------------------------------------------
    // Calls that change the work order: one at a time
    // ------------------------------------------------------------------

    /**
     * Runs ``fn`` unless a call is already running; a refusal or a lost
     * connection is a message (the shop floor gets no dialog).
     */
    async guard(fn) {
        const model = this.model;
        if (model.busy) {
            return;
        }
        model.busy = true;
        try {
            return await fn();
        } catch (error) {
            if (error instanceof RPCError) {
                const message = (error.data && error.data.message) || error.message;
                model.notify(message, { type: "danger", sticky: true });
            } else if (isNetworkError(error)) {
                model.notify(_t("The server cannot be reached: try again in a moment."), { type: "warning" });
            } else {
                throw error;
            }
        } finally {
            model.busy = false;
        }
    }

    answerDrift(eventId, causeId, actionId, note) {
        const model = this.model;
        return this.guard(async () => {
            const result = await model.call("answer_drift", [eventId, causeId, actionId, note]);
            model.notify(result.message, { type: result.status === "ok" ? "success" : "danger" });
            if (result.status === "ok") {
                model.driftEventId = false;
            }
            await model.applyAnswer(result);
        });
    }

    savePieces() {
        const model = this.model;
        return this.guard(async () => {
            const pieces = model.piecesDone;
            await model.applyAnswer(await model.call("set_pieces_done", [model.workorderId, pieces]));
            model.notify(_t("Pieces done: %s", pieces), { type: "info" });
        });
    }

    confirmToolChange() {
        const model = this.model;
        const reason = model.toolChangeReason.trim();
        if (!reason) {
            model.notify(_t("Give the reason of the tool change or adjustment."), { type: "warning" });
            return;
        }
        return this.guard(async () => {
            const answer = await model.call("tool_change", [model.workorderId, reason]);
            model.toolChangeReason = "";
            model.panel = false;
            await model.applyAnswer(answer);
            model.notify(_t("Tool change recorded: the checks due after it are listed."), { type: "info" });
        });
    }

    confirmDisposition() {
        const model = this.model;
        const { checkId, value, note } = model.disposition;
        if (!value || !note.trim()) {
            model.notify(_t("Choose a disposition and explain it."), { type: "warning" });
            return;
        }
        return this.guard(async () => {
            const result = await model.call("set_disposition", [checkId, value, note.trim()]);
            if (result.status === "error") {
                model.notify(result.message, { type: "danger" });
                return;
            }
            model.notify(result.message || _t("Disposition recorded."), { type: "success" });
            model.panel = false;
            model.results[checkId] = { ...model.results[checkId], needs_disposition: false, disposed: value };
            await model.applyAnswer(result);
        });
    }

    approveFirstPiece() {
        const model = this.model;
        return this.guard(async () => {
            const result = await model.call("approve_first_piece", [model.workorderId]);
            model.notify(result.message || _t("First piece approved."), {
                type: result.status === "error" ? "danger" : "success",
            });
            await model.applyAnswer(result);
        });
    }

    acknowledgeNote(note) {
        const model = this.model;
        return this.guard(async () => model.applyAnswer(await model.call("acknowledge_note", [note.id, model.workorderId])));
    }

    acknowledgeAlert(alert) {
        const model = this.model;
        return this.guard(async () => model.applyAnswer(await model.call("acknowledge_alert", [alert.id])));
    }

    finishWorkorder() {
        const model = this.model;
        return this.guard(async () => {
            await model.applyAnswer(await model.call("finish", [model.workorderId]));
            model.notify(_t("Work order finished."), { type: "success" });
        });
    }
}
