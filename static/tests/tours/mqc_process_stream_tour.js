/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * Process streams, quality technician, on the demo data: the stream of the
 * shaft's left bearing seat (balloon 1 of PC00101) carries revisions A and B,
 * its SPC history, and opens the control chart of the whole history.
 * Only CSS classes, field names and codes: the tour runs in any language.
 */
registry.category("web_tour.tours").add("mqc_process_stream_tour", {
    steps: () => [
        {
            content: "The stream of the left bearing seat in the list of process streams",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('PC00101 #1')",
            run: "click",
        },
        {
            content: "Its form: two revisions of the plan carry it (A obsolete, B approved)",
            trigger:
                ".o_form_view .o_field_widget[name='characteristic_ids'] .o_data_row:nth-child(2):not(:has(~ .o_data_row))",
        },
        {
            content: "It counts the measurements of both revisions; open its control chart",
            trigger: ".o_form_view button.o_mqc_open_chart:has(.o_stat_value)",
            run: "click",
        },
        {
            content: "The chart screen shows the stream's history",
            trigger: ".o_mqc_spc_chart .o_mqc_cc_main .o_mqc_cc_point",
        },
    ],
});
