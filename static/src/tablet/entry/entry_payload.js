/** @odoo-module **/

import { _t } from "@web/core/l10n/translation";
import { newClientUid, parseEntry } from "../tablet_utils";

/**
 * Pure helpers of an entry on the tablet: the gauges offered for a check,
 * the empty entry of a check and the payload sent to the server.
 */

/**
 * The gauges of the check's family, usable ones first; a gauge whose latest
 * study fails for the characteristic is greyed, with the reason.
 */
export function gaugesFor(check, data) {
    const gauges = (data && data.gauges) || [];
    if (!check || !check.gauge_family) {
        return [];
    }
    const refusals = check.gauge_refusals || {};
    return gauges
        .filter((g) => g.family_id === check.gauge_family.id)
        .map((g) => (g.usable && refusals[g.id] ? { ...g, usable: false, reason: refusals[g.id] } : g))
        .sort((a, b) => Number(b.usable) - Number(a.usable));
}

/** What the operator has typed or chosen for a check, empty (the only usable gauge chosen). */
export function emptyEntry(check, data) {
    const usable = gaugesFor(check, data).filter((g) => g.usable);
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

/** The entry emptied once saved (the gauge and the inspector stay chosen). */
export function clearEntry(entry) {
    Object.assign(entry, { text: "", ok: null, defects: 0, note: "", sampleReference: "" });
}

/**
 * The payload of an entry (mqc.tablet.record), with a new client id:
 * ``{ payload }``; ``{ warning }`` when something is missing (nothing is
 * sent, the operator is told); ``{}`` when there is nothing to send yet (no
 * OK / NOK chosen).
 */
export function buildPayload(check, entry, data) {
    const payload = { client_uid: newClientUid() };
    if (check.result_type === "measure") {
        const value = parseEntry(entry.text);
        if (value === null) {
            return { warning: _t("Type a number first.") };
        }
        payload.value = value;
    } else if (check.result_type === "attribute") {
        if (entry.ok === null) {
            return {};
        }
        payload.ok = entry.ok;
    } else {
        payload.defects = entry.defects || 0;
    }
    if (check.method_type === "gauge" && check.gauge_family) {
        if (!entry.gaugeId) {
            return { warning: _t("Choose the gauge you measured with.") };
        }
        const chosen = gaugesFor(check, data).find((g) => g.id === entry.gaugeId);
        if (chosen && !chosen.usable) {
            return { warning: chosen.reason };
        }
        payload.gauge_id = entry.gaugeId;
    } else if (entry.gaugeId) {
        payload.gauge_id = entry.gaugeId;
    }
    if (check.method_type === "destructive") {
        if (!entry.sampleReference.trim()) {
            return { warning: _t("Give the reference of the consumed sample.") };
        }
        payload.sample_reference = entry.sampleReference.trim();
    }
    if (check.method_type === "ndt") {
        if (!entry.ndtInspectorId) {
            return { warning: _t("Choose the NDT inspector.") };
        }
        payload.ndt_inspector_id = parseInt(entry.ndtInspectorId, 10);
    }
    if (entry.note) {
        payload.note = entry.note;
    }
    return { payload };
}

/** The gauge a typed or scanned serial number (or name) designates, among ``gauges``. */
export function gaugeOfSerial(gauges, typed) {
    const serial = (typed || "").trim().toLowerCase();
    if (!serial) {
        return undefined;
    }
    return gauges.find((g) => (g.serial_no || "").toLowerCase() === serial || g.name.toLowerCase() === serial);
}
