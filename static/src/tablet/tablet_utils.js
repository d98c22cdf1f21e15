/** @odoo-module **/

import { browser } from "@web/core/browser/browser";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { ConnectionAbortedError, ConnectionLostError } from "@web/core/network/rpc";

/**
 * Pure helpers of the shop-floor tablet: number parsing, instant verdict,
 * client ids and the persistent queue of entries not yet saved.
 */

/** A server datetime ("2026-11-21 23:54:00", UTC) in the user's format; as given if unreadable. */
export function formatServerDateTime(serialized, options = {}) {
    if (!serialized) {
        return "";
    }
    try {
        return formatDateTime(deserializeDateTime(serialized), options);
    } catch {
        return serialized;
    }
}

export function newClientUid() {
    const cryptoObj = browser.crypto || globalThis.crypto;
    if (cryptoObj && typeof cryptoObj.randomUUID === "function") {
        return cryptoObj.randomUUID();
    }
    // Fallback (non-secure context, e.g. a tablet on plain http): RFC 4122 v4 layout.
    const bytes = new Uint8Array(16);
    if (cryptoObj && cryptoObj.getRandomValues) {
        cryptoObj.getRandomValues(bytes);
    } else {
        for (let i = 0; i < 16; i++) {
            bytes[i] = Math.floor(Math.random() * 256);
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Parse what the operator typed: both '.' and ',' are decimal separators.
 * Returns a finite number or null.
 */
export function parseEntry(text) {
    if (text === undefined || text === null) {
        return null;
    }
    const normalized = String(text).trim().replace(/\s/g, "").replace(",", ".");
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(normalized)) {
        return null;
    }
    const value = Number(normalized);
    return Number.isFinite(value) ? value : null;
}

function isNum(v) {
    return typeof v === "number" && Number.isFinite(v);
}

/** Lower / upper limits of a check, null where the tolerance is one-sided. */
export function limitsOf(check) {
    const lower = check.tolerance_type === "upper" || !isNum(check.lower_limit) ? null : check.lower_limit;
    const upper = check.tolerance_type === "lower" || !isNum(check.upper_limit) ? null : check.upper_limit;
    return { lower, upper };
}

/**
 * Instant verdict while typing: "ok" (green), "warning" (amber: inside the limits,
 * in the warning band), "nok" (red: outside), or null (nothing to judge).
 */
export function verdictOf(check, value) {
    if (!isNum(value)) {
        return null;
    }
    const { lower, upper } = limitsOf(check);
    if ((lower !== null && value < lower) || (upper !== null && value > upper)) {
        return "nok";
    }
    if ((isNum(check.warn_lower) && value < check.warn_lower) || (isNum(check.warn_upper) && value > check.warn_upper)) {
        return "warning";
    }
    return "ok";
}

const QUEUE_KEY = "mrp_quality_control.tablet.pending";

/** Entries not saved yet, kept in memory and in localStorage (survive a reload). */
export class PendingQueue {
    constructor(storage = browser.localStorage) {
        this.storage = storage;
        this.items = this._load();
    }
    _load() {
        try {
            const raw = this.storage.getItem(QUEUE_KEY);
            const items = raw ? JSON.parse(raw) : [];
            return Array.isArray(items) ? items : [];
        } catch {
            return [];
        }
    }
    _save() {
        try {
            this.storage.setItem(QUEUE_KEY, JSON.stringify(this.items));
        } catch {
            // storage full or forbidden: the in-memory queue still retries
        }
    }
    add(entry) {
        if (!this.items.some((i) => i.payload.client_uid === entry.payload.client_uid)) {
            this.items.push({ ...entry, attempts: 0, nextTry: Date.now() });
            this._save();
        }
    }
    remove(clientUid) {
        this.items = this.items.filter((i) => i.payload.client_uid !== clientUid);
        this._save();
    }
    bump(clientUid) {
        const item = this.items.find((i) => i.payload.client_uid === clientUid);
        if (item) {
            item.attempts += 1;
            // exponential backoff: 2 s, 4 s, 8 s ... capped at one minute
            item.nextTry = Date.now() + Math.min(60000, 2000 * 2 ** (item.attempts - 1));
            this._save();
        }
    }
    due(now = Date.now()) {
        return this.items.filter((i) => i.nextTry <= now);
    }
    forWorkorder(workorderId) {
        return this.items.filter((i) => i.workorderId === workorderId);
    }
    get length() {
        return this.items.length;
    }
}

/** Is this error a network failure (retry) rather than a server refusal (show it)? */
export function isNetworkError(error) {
    if (!error) {
        return false;
    }
    return (
        error instanceof ConnectionLostError ||
        error instanceof ConnectionAbortedError ||
        error instanceof TypeError
    );
}

/** Values of a characteristic's run chart kept on the tablet (the server's LAST_VALUES). */
export const LAST_VALUES = 20;

/**
 * Updates the tablet's data in place from the answer to a value recorded
 * within tolerance (no drift): the check is done, the value joins the run
 * chart of every check of its characteristic. Returns false, changing
 * nothing, when the answer is not such a value (out of tolerance, a drift, a
 * refusal, an answer to refresh from, a check not shown): then the tablet
 * takes the data the answer carries, or reloads.
 */
export function patchRecorded(data, checkId, result) {
    const within = result.status === "ok" || result.status === "warning";
    const check = data && data.checks.find((c) => c.id === checkId);
    if (!within || result.drift_event_id || result.refresh || result.tablet || !check) {
        return false;
    }
    check.state = result.check_state;
    check.verdict = result.status;
    check.needs_disposition = result.needs_disposition;
    const point = { value: result.rounded_value, verdict: result.status };
    for (const other of data.checks) {
        if (other.characteristic_id === check.characteristic_id) {
            other.last_values = [...(other.last_values || []), point].slice(-LAST_VALUES);
        }
    }
    return true;
}
