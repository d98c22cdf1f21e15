"""Process streams (18.0.1.1.0): one history per controlled characteristic.

Before the models load, the streams are built from the characteristics that
left the draft state (one stream per company, plan code and balloon: the
"family" of revisions the add-on rebuilt with SQL before), and every record
of the SPC history gets its stream, so that the new required columns are
filled when the ORM adds its constraints. The process state is carried over:
the latest valid Cpk from the latest validated capability study of the
family (else from its latest revision), the tightening state from the latest
revision that left the draft state. Frozen limits of several revisions of one
chart kind: the newest stays active, the others are archived. The SPC
messages of the characteristics move to their stream's chatter.
Nothing is deleted; measurements are not rewritten except for their new
stream column."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT to_regclass('mqc_spc_stream')")
    if cr.fetchone()[0]:
        return
    cr.execute(
        """
        CREATE TABLE mqc_spc_stream (
            id SERIAL PRIMARY KEY,
            company_id integer NOT NULL,
            product_tmpl_id integer,
            product_id integer,
            plan_code varchar NOT NULL,
            balloon varchar NOT NULL,
            current_cpk numeric,
            current_cpk_valid boolean,
            tightened boolean,
            tightened_band integer,
            conforming_subgroups integer,
            active boolean DEFAULT true,
            create_uid integer,
            create_date timestamp without time zone,
            write_uid integer,
            write_date timestamp without time zone
        );
        ALTER TABLE mqc_characteristic ADD COLUMN IF NOT EXISTS stream_id integer;
        -- One stream per family of revisions that left the draft state (or
        -- that holds measurements), with the state of its latest revision.
        WITH families AS (
            SELECT DISTINCT ON (p.company_id, p.code, c.balloon)
                   p.company_id, p.product_tmpl_id, p.product_id, p.code, c.balloon,
                   c.current_cpk, c.current_cpk_valid, c.mqc_tightened,
                   c.mqc_tightened_band, c.mqc_conforming_subgroups
              FROM mqc_characteristic c
              JOIN mqc_control_plan p ON p.id = c.plan_id
             WHERE p.state != 'draft'
                OR EXISTS (SELECT 1 FROM mqc_measurement m WHERE m.characteristic_id = c.id)
             ORDER BY p.company_id, p.code, c.balloon, (p.state = 'draft'),
                      p.revision_sequence DESC, c.id DESC
        )
        INSERT INTO mqc_spc_stream (company_id, product_tmpl_id, product_id, plan_code, balloon,
                                    current_cpk, current_cpk_valid, tightened, tightened_band,
                                    conforming_subgroups, active, create_uid, create_date,
                                    write_uid, write_date)
        SELECT company_id, product_tmpl_id, product_id, code, balloon,
               current_cpk, current_cpk_valid, COALESCE(mqc_tightened, false),
               COALESCE(mqc_tightened_band, 0), COALESCE(mqc_conforming_subgroups, 0),
               true, 1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM families;
        -- Every revision of a family follows its stream (drafts included:
        -- they carry it on when approved).
        UPDATE mqc_characteristic c SET stream_id = s.id
          FROM mqc_control_plan p, mqc_spc_stream s
         WHERE p.id = c.plan_id AND s.company_id = p.company_id AND s.plan_code = p.code
           AND s.balloon = c.balloon;
        -- The latest validated capability study of the family gives the Cpk.
        UPDATE mqc_spc_stream s SET current_cpk = latest.index_value, current_cpk_valid = true
          FROM (
            SELECT DISTINCT ON (c.stream_id) c.stream_id, st.index_value
              FROM mqc_capability_study st
              JOIN mqc_characteristic c ON c.id = st.characteristic_id
             WHERE st.state = 'done' AND c.stream_id IS NOT NULL
             ORDER BY c.stream_id, st.date_done DESC, st.id DESC
          ) latest
         WHERE latest.stream_id = s.id;
        """
    )
    for table in ("mqc_measurement", "mqc_spc_limit", "mqc_frequency_change", "mqc_drift_event",
                  "mqc_capability_study"):  # fmt: skip
        cr.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS stream_id integer")
        cr.execute(
            f"""UPDATE {table} t SET stream_id = c.stream_id
                  FROM mqc_characteristic c WHERE c.id = t.characteristic_id"""
        )
    cr.execute(
        """
        ALTER TABLE mqc_spc_exclusion ADD COLUMN IF NOT EXISTS stream_id integer;
        UPDATE mqc_spc_exclusion e SET stream_id = m.stream_id
          FROM mqc_measurement m WHERE m.id = e.measurement_id;
        -- One active frozen limit per stream and chart kind: the newest.
        UPDATE mqc_spc_limit l SET active = false
         WHERE l.active AND EXISTS (
               SELECT 1 FROM mqc_spc_limit n
                WHERE n.stream_id = l.stream_id AND n.kind = l.kind AND n.active
                  AND (n.date, n.id) > (l.date, l.id));
        -- The SPC log of the characteristics goes to their stream's chatter.
        UPDATE mail_message mm SET model = 'mqc.spc.stream', res_id = c.stream_id
          FROM mqc_characteristic c
         WHERE mm.model = 'mqc.characteristic' AND mm.res_id = c.id AND c.stream_id IS NOT NULL;
        DELETE FROM mail_followers WHERE res_model = 'mqc.characteristic';
        """
    )
    cr.execute("SELECT count(*) FROM mqc_spc_stream")
    streams = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM mqc_measurement WHERE stream_id IS NULL")
    orphans = cr.fetchone()[0]
    _logger.info("Process streams: %s created, %s measurements without one", streams, orphans)
