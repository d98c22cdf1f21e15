#!/usr/bin/env bash
# Migration check: the add-on of the release before the process streams
# (commit $MQC_MIGRATION_FROM) installed with its demo data, then upgraded
# (-u) with this checkout. Prints one summary line "migration: ..." and exits
# non-zero when a check fails. Needs the git history (a shallow clone without
# that commit is reported as such, exit 2). Called by scripts/test.sh.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
set +e
FROM=${MQC_MIGRATION_FROM:-1948611}
NEW_REPO=$REPO
find_odoo; ensure_venv >/dev/null; ensure_postgres
if ! git -C "$NEW_REPO" cat-file -e "$FROM^{commit}" 2>/dev/null; then
    echo "migration: NOT RUN: commit $FROM is not in this clone's history (fetch it: git fetch --unshallow)"
    exit 2
fi
OLD_PARENT=$(mktemp -d)
OLD=$OLD_PARENT/$MODULE
mkdir -p "$OLD"
git -C "$NEW_REPO" archive "$FROM" | tar -x -C "$OLD"
DB=mqc_migration_$$
cleanup() {
    dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$DB"
    rm -rf "$OLD_PARENT" "$MQC_DATA/filestore/filestore/$DB"
}
trap cleanup EXIT
deps_template demo
new_db_from_template "$DB"
"$PY" "$ODOO_HOME/odoo-bin" --db_host "$DB_HOST" --db_port "$DB_PORT" --db_user "$DB_USER" \
    --addons-path "$ODOO_HOME/addons,$OLD_PARENT" --data-dir "$MQC_DATA/filestore" \
    -d "$DB" -i "$MODULE" --stop-after-init --http-port "$(free_port)" --log-level warn \
    || { echo "migration: FAILED (install of $FROM)"; exit 1; }
# SPC history as the old release kept it, per revision: limits frozen on two
# revisions of one balloon, an excluded point, a drift event, a frequency
# change and a chatter message on a characteristic.
"$PY" "$ODOO_HOME/odoo-bin" shell --db_host "$DB_HOST" --db_port "$DB_PORT" --db_user "$DB_USER" \
    --addons-path "$ODOO_HOME/addons,$OLD_PARENT" --data-dir "$MQC_DATA/filestore" \
    -d "$DB" --no-http --log-level warn >/dev/null <<'PY' || { echo "migration: FAILED (seeding the old history)"; exit 1; }
chars = env["mqc.characteristic"].search([("balloon", "=", "1"), ("plan_id.code", "=", "PC00101"),
                                         ("plan_id.state", "!=", "draft")])
assert len(chars) == 2, chars
for index, char in enumerate(chars):
    env["mqc.spc.limit"].create({"characteristic_id": char.id, "kind": "imr", "center": 20.0 + index,
                                 "sigma": 0.002, "reason": "seed"})
    char.message_post(body="Seeded SPC decision %s" % index)
measurement = env["mqc.measurement"].search([("characteristic_id", "in", chars.ids)], limit=1)
env["mqc.spc.exclusion"].create({"measurement_id": measurement.id, "reason": "seed"})
env["mqc.drift.event"].create({"characteristic_id": measurement.characteristic_id.id,
                               "measurement_id": measurement.id, "company_id": measurement.company_id.id,
                               "rules": "2", "phase": "II"})
env["mqc.frequency.change"].create({"characteristic_id": chars[0].id, "old_interval": 1,
                                    "new_interval": 20, "reason": "study"})
env.cr.commit()
PY
before=$(count_mqc_rows "$DB")
seeded=$(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB" -Atc \
    "SELECT count(*) FROM mail_message WHERE model = 'mqc.characteristic' AND body LIKE '%Seeded SPC%'")
prepare_addons_path
odoo_bin -d "$DB" -u "$MODULE" --stop-after-init --http-port "$(free_port)" --log-level warn \
    || { echo "migration: FAILED (-u exit $?)"; exit 1; }
after=$(count_mqc_rows "$DB" | grep -v '^mqc_spc_stream ')
q() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB" -Atc "$1"; }
problems=()
changed=$(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ' ')
[ -n "$changed" ] && problems+=("rows changed: $changed")
n=$(q "SELECT count(*) FROM mqc_measurement WHERE stream_id IS NULL")
[ "$n" != 0 ] && problems+=("$n measurements without a stream")
n=$(q "SELECT count(*) FROM mqc_measurement m JOIN mqc_characteristic c ON c.id = m.characteristic_id
       WHERE m.stream_id IS DISTINCT FROM c.stream_id")
[ "$n" != 0 ] && problems+=("$n measurements in another stream than their characteristic")
n=$(q "SELECT count(*) FROM mqc_characteristic c JOIN mqc_control_plan p ON p.id = c.plan_id
       WHERE p.state != 'draft' AND c.stream_id IS NULL")
[ "$n" != 0 ] && problems+=("$n approved or obsolete characteristics without a stream")
n=$(q "SELECT count(*) FROM (SELECT 1 FROM mqc_characteristic c JOIN mqc_control_plan p ON p.id = c.plan_id
       WHERE c.stream_id IS NOT NULL GROUP BY p.company_id, p.code, c.balloon
       HAVING count(DISTINCT c.stream_id) > 1) f")
[ "$n" != 0 ] && problems+=("$n families of revisions split over several streams")
for table in mqc_spc_limit mqc_spc_exclusion mqc_drift_event mqc_frequency_change mqc_capability_study; do
    n=$(q "SELECT count(*) FROM $table WHERE stream_id IS NULL")
    [ "$n" != 0 ] && problems+=("$n rows of $table without a stream")
done
n=$(q "SELECT count(*) FROM (SELECT 1 FROM mqc_spc_limit WHERE active GROUP BY stream_id, kind HAVING count(*) > 1) d")
[ "$n" != 0 ] && problems+=("$n streams with two active limits of one kind")
n=$(q "SELECT count(*) FROM mail_message WHERE model = 'mqc.characteristic'")
[ "$n" != 0 ] && problems+=("$n messages left on characteristics")
n=$(q "SELECT count(*) FROM mail_message WHERE model = 'mqc.spc.stream' AND body LIKE '%Seeded SPC%'")
[ "$n" != "$seeded" ] && problems+=("$n of $seeded SPC messages moved to their stream")
n=$(q "SELECT count(*) FROM mqc_spc_limit l JOIN mqc_spc_stream s ON s.id = l.stream_id
       WHERE l.active AND l.center = 21.0")
[ "$n" != 1 ] && problems+=("the newest of two frozen limits of one stream is not the active one")
n=$(q "SELECT count(*) FROM mqc_spc_stream s LEFT JOIN mqc_capability_study st
       ON st.stream_id = s.id AND st.state = 'done' WHERE st.id IS NOT NULL AND NOT s.current_cpk_valid")
[ "$n" != 0 ] && problems+=("$n streams with a validated study but no valid Cpk")
streams=$(q "SELECT count(*) FROM mqc_spc_stream")
measurements=$(q "SELECT count(*) FROM mqc_measurement")
if [ ${#problems[@]} -gt 0 ]; then
    echo "migration: FAILED from $FROM: $(IFS='; '; echo "${problems[*]}")"
    exit 1
fi
echo "migration: ok from $FROM, $streams streams, $measurements measurements linked, $(echo "$before" | wc -l) mqc_* tables unchanged"
