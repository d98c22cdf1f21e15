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
 * Shop-floor tablet, operator and quality technician: opened from the work order,
 * first piece measured and approved, values recorded (one out of tolerance), disposition.
 */
registry.category("web_tour.tours").add("mqc_tablet_tour", {
    steps: () => [
        {
            content: "Open the checks of the work order on the tablet",
            trigger: ".o_form_view .o_form_statusbar button.o_mqc_open_tablet",
            run: "click",
        },
        {
            content: "The tablet is full screen (no navbar)",
            trigger: ".o_mqc_tablet:not(:has(.o_main_navbar))",
        },
        {
            content: "Only the first-piece check is fillable",
            trigger: ".o_mqc_banner_first_piece",
        },
        {
            content: "The first-piece check is selected",
            trigger: ".o_mqc_check_tile.o_mqc_selected[data-balloon='1']",
        },
        ...typeValue("19,99"),
        {
            content: "The value is green while typing",
            trigger: ".o_mqc_value_display.o_mqc_verdict_ok:contains('19,99')",
        },
        {
            content: "The marker sits on the tolerance bar",
            trigger: ".o_mqc_tolbar .o_mqc_tolbar_marker.o_mqc_verdict_ok",
        },
        {
            content: "Confirm the value",
            trigger: ".o_mqc_key[data-key='ok']",
            run: "click",
        },
        {
            content: "Saved and within tolerance",
            trigger: ".o_mqc_result.o_mqc_result_ok .o_mqc_saved",
        },
        {
            content: "Approve the first piece",
            trigger: ".o_mqc_approve_first_piece",
            run: "click",
        },
        {
            content: "The first-piece gate is lifted",
            trigger: ".o_mqc_tablet:not(:has(.o_mqc_banner_first_piece))",
        },
        {
            content: "One piece done",
            trigger: ".o_mqc_pieces_plus",
            run: "click",
        },
        {
            content: "Save the pieces done",
            trigger: ".o_mqc_pieces_save:enabled",
            run: "click",
        },
        {
            content: "The self-inspection check of piece 1 is due",
            trigger: ".o_mqc_check_tile.o_mqc_check_todo[data-balloon='2']",
            run: "click",
        },
        ...typeValue("45,3"),
        {
            content: "The value is red while typing: outside the limits",
            trigger: ".o_mqc_value_display.o_mqc_verdict_nok",
        },
        {
            content: "Confirm the out-of-tolerance value",
            trigger: ".o_mqc_key[data-key='ok']",
            run: "click",
        },
        {
            content: "The disposition panel opens",
            trigger: ".o_mqc_panel .o_mqc_disposition_scrap",
            run: "click",
        },
        {
            content: "Explain the disposition",
            trigger: ".o_mqc_panel textarea.o_mqc_disposition_note",
            run: "edit Length over the limit, part scrapped",
        },
        {
            content: "Confirm the disposition",
            trigger: ".o_mqc_disposition_confirm:enabled",
            run: "click",
        },
        {
            content: "The check shows its failure and disposition",
            trigger: ".o_mqc_tablet:not(:has(.o_mqc_overlay)) .o_mqc_done_state:not(:has(.o_mqc_open_disposition))",
        },
        {
            content: "The alert is listed",
            trigger: ".o_mqc_open_alerts .badge",
        },
        {
            content: "Report a tool change",
            trigger: ".o_mqc_tool_change",
            run: "click",
        },
        {
            content: "Say what was changed",
            trigger: ".o_mqc_panel textarea.o_mqc_tool_change_reason",
            run: "edit Insert replaced after the length drift",
        },
        {
            content: "Confirm the tool change",
            trigger: ".o_mqc_tool_change_confirm:enabled",
            run: "click",
        },
        {
            content: "The panel closes",
            trigger: ".o_mqc_tablet:not(:has(.o_mqc_overlay))",
        },
        {
            content: "Second piece done",
            trigger: ".o_mqc_pieces_plus",
            run: "click",
        },
        {
            content: "Save the pieces done",
            trigger: ".o_mqc_pieces_save:enabled",
            run: "click",
        },
        {
            content: "The check of piece 2 is due",
            trigger: ".o_mqc_check_tile.o_mqc_check_todo[data-balloon='2']",
            run: "click",
        },
        ...typeValue("45,02"),
        {
            content: "Green again",
            trigger: ".o_mqc_value_display.o_mqc_verdict_ok",
        },
        {
            content: "Confirm",
            trigger: ".o_mqc_key[data-key='ok']",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_mqc_result.o_mqc_result_ok .o_mqc_saved",
        },
        {
            content: "Every check of the work order is done",
            trigger: ".o_mqc_checklist:not(:has(.o_mqc_check_todo))",
        },
    ],
});

/**
 * The supervisor reopens the tablet from its URL, acknowledges the alert and
 * finishes the work order.
 */
registry.category("web_tour.tours").add("mqc_tablet_supervisor_tour", {
    steps: () => [
        {
            content: "The tablet reopens on the work order of the URL",
            trigger: ".o_mqc_tablet .o_mqc_wo_title",
        },
        {
            content: "Open the alerts",
            trigger: ".o_mqc_open_alerts:has(.badge)",
            run: "click",
        },
        {
            content: "Acknowledge the alert",
            trigger: ".o_mqc_panel .o_mqc_alert_ack",
            run: "click",
        },
        {
            content: "No alert left to acknowledge",
            trigger: ".o_mqc_panel:not(:has(.o_mqc_alert_card))",
        },
        {
            content: "Close the panel",
            trigger: ".o_mqc_panel .o_mqc_panel_close",
            run: "click",
        },
        {
            content: "Finish the work order",
            trigger: ".o_mqc_finish",
            run: "click",
        },
        {
            content: "The work order is done",
            trigger: ".o_mqc_wo_done",
        },
    ],
});
