/** @odoo-module **/

import { registry } from "@web/core/registry";

function typeValue(keys) {
    return [...keys].map((key) => ({
        content: `Keypad: ${key}`,
        trigger: `.o_mqc_keypad .o_mqc_key[data-key='${key === "," ? "sep" : key}']`,
        run: "click",
    }));
}

/**
 * Drift on the tablet: a value within tolerance but beyond 3 sigma of the frozen
 * limits raises a drift event; the characteristic is locked until the operator
 * records the cause and the immediate action, then the entries go on.
 */
registry.category("web_tour.tours").add("mqc_drift_tour", {
    steps: () => [
        {
            content: "Select the first check of the diameter",
            trigger: ".o_mqc_check_tile.o_mqc_check_todo[data-balloon='1']:first",
            run: "click",
        },
        {
            content: "It is selected",
            trigger: ".o_mqc_check_tile.o_mqc_selected.o_mqc_check_todo[data-balloon='1']",
        },
        ...typeValue("10,5"),
        {
            content: "Within tolerance: green while typing",
            trigger: ".o_mqc_value_display.o_mqc_verdict_ok:contains('10,5')",
        },
        {
            content: "Confirm the value",
            trigger: ".o_mqc_key[data-key='ok']",
            run: "click",
        },
        {
            content: "The drift panel opens on the diameter, with the value and the rule broken",
            trigger: ".o_mqc_drift_panel .o_mqc_drift_char:has(.o_mqc_balloon:contains('1')) .o_mqc_drift_value:contains('10')",
        },
        {
            content: "The rule is said in plain words",
            trigger: ".o_mqc_drift_panel .o_mqc_drift_message:contains('Nelson 1')",
        },
        {
            content: "Nothing chosen yet: Confirm is disabled",
            trigger: ".o_mqc_drift_panel .o_mqc_drift_confirm:disabled",
        },
        {
            content: "Answer later",
            trigger: ".o_mqc_drift_panel .o_mqc_drift_later",
            run: "click",
        },
        {
            content: "A red banner keeps the drift in view",
            trigger: ".o_mqc_tablet:not(:has(.o_mqc_drift_panel)) .o_mqc_banner_drift",
        },
        {
            content: "The next check of the diameter is locked",
            trigger: ".o_mqc_check_tile.o_mqc_check_todo.o_mqc_blocked[data-balloon='1']",
            run: "click",
        },
        {
            content: "It says why and offers no keypad",
            trigger: ".o_mqc_detail:not(:has(.o_mqc_keypad)) .o_mqc_blocked_reason",
        },
        {
            content: "The other characteristic can still be filled",
            trigger: ".o_mqc_check_tile.o_mqc_check_todo[data-balloon='2']:not(.o_mqc_blocked)",
            run: "click",
        },
        {
            content: "Burr: OK",
            trigger: ".o_mqc_attr_ok",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_mqc_result.o_mqc_result_ok .o_mqc_saved",
        },
        {
            content: "Answer the drift now",
            trigger: ".o_mqc_banner_drift .o_mqc_drift_open",
            run: "click",
        },
        {
            content: "Cause found: the first of the list",
            trigger: ".o_mqc_drift_panel .o_mqc_drift_causes .o_mqc_drift_cause:first",
            run: "click",
        },
        {
            content: "Still an action to choose",
            trigger: ".o_mqc_drift_panel:has(.o_mqc_drift_cause.o_mqc_chosen) .o_mqc_drift_confirm:disabled",
        },
        {
            content: "Immediate action: the first of the list",
            trigger: ".o_mqc_drift_panel .o_mqc_drift_actions .o_mqc_drift_action:first",
            run: "click",
        },
        {
            content: "A note",
            trigger: ".o_mqc_drift_panel textarea.o_mqc_drift_note",
            run: "edit Offset X -0.02",
        },
        {
            content: "Confirm the answer",
            trigger: ".o_mqc_drift_panel .o_mqc_drift_confirm:enabled",
            run: "click",
        },
        {
            content: "The panel and the banner are gone",
            trigger: ".o_mqc_tablet:not(:has(.o_mqc_drift_panel)):not(:has(.o_mqc_banner_drift))",
        },
        {
            content: "The next check of the diameter is open again",
            trigger: ".o_mqc_check_tile.o_mqc_check_todo[data-balloon='1']:not(.o_mqc_blocked)",
            run: "click",
        },
        {
            content: "The answered drift shows as a trace of the characteristic",
            trigger: ".o_mqc_drift_trace .o_mqc_drift_trace_line .o_mqc_drift_trace_note:contains('Offset X -0.02')",
        },
        ...typeValue("10,02"),
        {
            content: "Confirm",
            trigger: ".o_mqc_key[data-key='ok']",
            run: "click",
        },
        {
            content: "Saved, no new drift",
            trigger: ".o_mqc_tablet:not(:has(.o_mqc_drift_panel)) .o_mqc_result.o_mqc_result_ok .o_mqc_saved",
        },
    ],
});
