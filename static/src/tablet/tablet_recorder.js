/** @odoo-module **/

import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { buildPayload, clearEntry, gaugeOfSerial } from "./entry/entry_payload";
import { isNetworkError, patchRecorded } from "./tablet_utils";

/** Entries of the offline queue sent in one call (the server takes up to 500). */
export const FLUSH_SIZE = 100;

const SAVED = ["ok", "warning", "nok"];

/**
 * The values of the tablet: the entry of the selected check, its recording
 * (mqc.tablet.record) and, when the network is lost, the offline queue, sent
 * again in one call (mqc.tablet.record_batch) when the tablet is back online;
 * each entry keeps its client id, so that an entry sent twice is recorded
 * once.
 */
export class TabletRecorder {
    constructor(model) {
        this.model = model;
        this.flushing = false;
    }

    // ------------------------------------------------------------------
    // The entry of the selected check
    // ------------------------------------------------------------------

    setText(text) {
        this.model.entry.text = text;
    }

    setAttribute(ok) {
        this.model.entry.ok = ok;
        return this.submit();
    }

    changeDefects(delta) {
        const entry = this.model.entry;
        entry.defects = Math.max(0, (entry.defects || 0) + delta);
    }

    pickGauge(gauge) {
        if (!gauge.usable) {
            this.model.notify(gauge.reason || _t("This gauge cannot be used."), { type: "warning" });
            return;
        }
        this.model.entry.gaugeId = gauge.id;
        this.model.entry.serial = gauge.serial_no || "";
    }

    /** The gauge of the serial number typed or scanned: chosen, or why not. */
    async matchSerial() {
        const model = this.model;
        const check = model.selectedCheck;
        const typed = (model.entry.serial || "").trim();
        if (!typed || !check) {
            return;
        }
        const all = (model.data && model.data.gauges) || [];
        let gauge = gaugeOfSerial(model.gaugesFor(check), typed) || gaugeOfSerial(all, typed);
        if (!gauge) {
            // A gauge of another family is not in the list: ask the server, to say why.
            gauge = await model.call("find_gauge", [typed, check.characteristic_id]);
        }
        if (!gauge) {
            model.notify(_t("No gauge with serial number %s.", typed), { type: "warning" });
            return;
        }
        if (check.gauge_family && gauge.family_id !== check.gauge_family.id) {
            model.notify(
                _t("Gauge %(gauge)s is not a %(family)s.", { gauge: gauge.name, family: check.gauge_family.name }),
                { type: "warning" }
            );
            return;
        }
        this.pickGauge(gauge);
    }

    // ------------------------------------------------------------------
    // Recording
    // ------------------------------------------------------------------

    /** Records the entry of the selected check; kept in the queue when the network is lost. */
    async submit() {
        const model = this.model;
        const check = model.selectedCheck;
        if (!check || !model.isFillable(check)) {
            return;
        }
        if (model.queue.items.some((i) => i.checkId === check.id)) {
            // The entry already waiting for the network will be recorded; a second
            // one would only be refused as a conflict.
            model.notify(_t("An entry of this check is waiting to be saved."), { type: "warning" });
            return;
        }
        const { payload, warning } = buildPayload(check, model.entries[check.id], model.data);
        if (warning) {
            model.notify(warning, { type: "warning" });
        }
        if (!payload) {
            return;
        }
        const item = { checkId: check.id, workorderId: model.workorderId, payload, label: check.name };
        model.results[check.id] = { pending: true, status: "sending", message: _t("Sending…") };
        let result;
        try {
            result = await model.call("record", [item.checkId, payload]);
        } catch (error) {
            if (!isNetworkError(error)) {
                // Refused by the server: shown, the operator corrects and retries.
                model.results[item.checkId] = { status: "error", message: errorMessage(error) };
                return;
            }
            model.queue.add(item);
            model.results[item.checkId] = pendingResult();
            return;
        }
        this.handleResult(item, result, { wasQueued: false });
        await this.showAnswers([item], [result], result);
    }

    /**
     * Sends the queue (the entries due for a retry, or all with ``force``) in
     * one call per FLUSH_SIZE entries, with the work order shown: its fresh
     * screen comes with the answer when an entry changed more than its check.
     * A batch the server refuses as a whole (a check deleted meanwhile...) is
     * sent again entry by entry, each one getting its own answer.
     */
    async flush(force = false) {
        const model = this.model;
        if (this.flushing || !model.queue.length) {
            return;
        }
        this.flushing = true;
        try {
            const due = force ? [...model.queue.items] : model.queue.due();
            for (let start = 0; start < due.length; start += FLUSH_SIZE) {
                if (!(await this.sendBatch(due.slice(start, start + FLUSH_SIZE)))) {
                    break; // still offline: the next tick retries
                }
            }
        } finally {
            this.flushing = false;
        }
    }

    /** Sends queued entries in one call; false when the network is still lost. */
    async sendBatch(items) {
        const model = this.model;
        const entries = items.map((item) => ({ check_id: item.checkId, payload: item.payload }));
        let answer;
        try {
            answer = await model.call("record_batch", [entries, model.workorderId || false]);
        } catch (error) {
            if (isNetworkError(error)) {
                for (const item of items) {
                    model.queue.bump(item.payload.client_uid);
                    model.results[item.checkId] = pendingResult();
                }
                return false;
            }
            if (items.length > 1) {
                for (const item of items) {
                    if (!(await this.sendBatch([item]))) {
                        return false;
                    }
                }
                return true;
            }
            const [item] = items;
            model.queue.remove(item.payload.client_uid);
            model.results[item.checkId] = { status: "error", message: errorMessage(error) };
            this.refusedQueued(item, errorMessage(error));
            return true;
        }
        items.forEach((item, index) => {
            model.queue.remove(item.payload.client_uid);
            this.handleResult(item, answer.results[index], { wasQueued: true });
        });
        await this.showAnswers(items, answer.results, answer);
        return true;
    }

    /**
     * The screen after the answers: the one the answer carries, else each
     * entry of the work order shown patched in (a value within tolerance),
     * else the screen asked for again.
     */
    async showAnswers(items, results, answer) {
        const model = this.model;
        if (answer.tablet && answer.tablet.workorder.id === model.workorderId) {
            model.applyData(answer.tablet);
            return;
        }
        let patched = true;
        items.forEach((item, index) => {
            if (item.workorderId === model.workorderId) {
                patched = patchRecorded(model.data, item.checkId, results[index]) && patched;
            }
        });
        if (!patched) {
            await model.reload();
        }
    }

    handleResult(item, result, { wasQueued }) {
        const model = this.model;
        const saved = SAVED.includes(result.status);
        model.results[item.checkId] = { ...result, saved, pending: false };
        if (saved && model.entries[item.checkId]) {
            clearEntry(model.entries[item.checkId]);
        }
        if (wasQueued && saved) {
            model.notify(_t("Saved: %s", item.label || ""), { type: "success" });
        }
        if (wasQueued && result.status === "error") {
            this.refusedQueued(item, result.message);
        }
        if (result.drift_event_id) {
            // New drift (or an entry refused because of one): the panel opens.
            model.driftPostponed.delete(result.drift_event_id);
            model.driftEventId = result.drift_event_id;
        }
        if (result.status === "nok" && result.needs_disposition) {
            model.disposition = { checkId: item.checkId, value: false, note: "" };
            model.selectedCheckId = item.checkId;
            model.panel = "disposition";
        }
        if (result.status === "conflict") {
            model.notify(result.message, { type: "warning", sticky: true });
        }
    }

    /** A queued entry the server refused: said aloud, and the value put back to retype. */
    refusedQueued(item, message) {
        const model = this.model;
        model.notify(_t("Not saved: %(check)s — %(message)s", { check: item.label || "", message }), {
            type: "danger",
            sticky: true,
        });
        const entry = model.entries[item.checkId];
        if (entry && !entry.text && typeof item.payload.value === "number") {
            entry.text = String(item.payload.value).replace(".", ",");
        }
    }
}

function pendingResult() {
    return { pending: true, status: "pending", message: _t("Not saved yet — will retry") };
}

function errorMessage(error) {
    return (error.data && error.data.message) || error.message || String(error);
}
