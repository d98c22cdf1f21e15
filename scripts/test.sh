#!/usr/bin/env bash
# Runs everything: lint, the pure-Python engine tests, and the Odoo tests (pytest-odoo
# on a fresh database where the add-on was installed with --test-enable).
source "$(dirname "$0")/common.sh"
set +e

find_odoo
set -e
ensure_venv
set +e
failed=0
summary=()

say "Lint: ruff"
"$PY" -m ruff check "$REPO"; rc=$?
[ $rc -ne 0 ] && failed=1; summary+=("lint ruff: $([ $rc -eq 0 ] && echo ok || echo FAILED)")

say "Lint: pylint-odoo (OCA mandatory checks)"
lint_dir=$(mktemp -d); ln -s "$REPO" "$lint_dir/$MODULE"
(cd "$lint_dir" && "$PY" -m pylint --rcfile="$REPO/.pylintrc-mandatory" "$MODULE"); rc=$?
rm -rf "$lint_dir"
[ $rc -ne 0 ] && failed=1; summary+=("lint pylint-odoo: $([ $rc -eq 0 ] && echo ok || echo FAILED)")

say "Engine tests (spc/, metrology/) with plain pytest"
(cd "$REPO" && "$PY" -m pytest -q 2>&1) | tee "${TMPDIR:-/tmp}/mqc-engine-$$.log"; rc=${PIPESTATUS[0]}
engine_line=$(grep -E "[0-9]+ (passed|failed)" "${TMPDIR:-/tmp}/mqc-engine-$$.log" | tail -1)
rm -f "${TMPDIR:-/tmp}/mqc-engine-$$.log"
[ $rc -ne 0 ] && failed=1; summary+=("engine tests: ${engine_line:-no result} (exit $rc)")

odoo_reason=
if [ -z "$ODOO_HOME" ]; then
    odoo_reason="Odoo 18.0 source tree not found (set ODOO_HOME; looked in /opt/odoo18, /opt/odoo, ~/odoo18, ~/odoo, ~/src/odoo, ../odoo)"
elif ! (cd / && "$PY" -c "import odoo, sys; sys.exit(odoo.release.version_info[:2] != (18, 0))") 2>/dev/null; then
    odoo_reason="Odoo in $ODOO_HOME is not importable with $PY"
fi

if [ -z "$odoo_reason" ]; then
    set -e
    ensure_postgres
    prepare_addons_path
    deps_template demo
    set +e
    DB=mqc_test_$$
    say "Odoo tests: fresh database $DB, add-on installed with --test-enable"
    new_db_from_template "$DB"
    # --test-enable with a tag nothing carries: install in test mode, run the
    # tests once, below, with pytest-odoo.
    odoo_bin -d "$DB" -i "$MODULE" --test-enable --test-tags mqc_install_only \
        --stop-after-init --http-port "$(free_port)" --log-level warn; rc=$?
    if [ $rc -ne 0 ]; then
        failed=1; summary+=("odoo install: FAILED (exit $rc)")
    else
        say "Upgrade: -u $MODULE on the demo data keeps every record (rows of the mqc_* tables)"
        before=$(count_mqc_rows "$DB")
        odoo_bin -d "$DB" -u "$MODULE" --stop-after-init --http-port "$(free_port)" --log-level warn; rc=$?
        after=$(count_mqc_rows "$DB")
        changed=$(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ' ')
        rows=$(echo "$before" | awk '{n += $2} END {print n + 0}')
        if [ $rc -ne 0 ] || [ -z "$before" ] || [ -n "$changed" ]; then
            failed=1
            summary+=("upgrade (-u): FAILED (exit $rc; before < > after: ${changed:-no table counted})")
        else
            summary+=("upgrade (-u): ok, $(echo "$before" | wc -l) mqc_* tables, $rows rows unchanged")
        fi
        log=${TMPDIR:-/tmp}/mqc-odoo-$$.log
        (cd "$ADDONS_DIR/$MODULE" && PYTHONPATH="$ODOO_HOME" "$PY" -m pytest \
            -o addopts="-p no:cacheprovider" -o pythonpath= -o testpaths= \
            -p odoo --odoo-database "$DB" --odoo-addons-path "$ADDONS_PATH" --odoo-http \
            --odoo-extra "db_host=$DB_HOST" --odoo-extra "db_port=$DB_PORT" \
            --odoo-extra "db_user=$DB_USER" --odoo-extra "data-dir=$MQC_DATA/filestore" \
            -q "$ADDONS_DIR/$MODULE/tests" 2>&1) | tee "$log"; rc=${PIPESTATUS[0]}
        odoo_line=$(grep -E "[0-9]+ (passed|failed)" "$log" | tail -1)
        rm -f "$log"
        [ $rc -ne 0 ] && failed=1
        summary+=("odoo tests: ${odoo_line:-no result} (exit $rc)")
        say "Load (short): operators on the tablet's calls over HTTP, a worker killed mid-batch"
        log=${TMPDIR:-/tmp}/mqc-load-$$.log
        "$PY" "$REPO/benchmarks/bench_load.py" --source-db "$DB" --odoo "$ODOO_HOME" \
            --addons-path "$ADDONS_PATH" --data-dir "$MQC_DATA/filestore" \
            --db_host "$DB_HOST" --db_port "$DB_PORT" --db_user "$DB_USER" \
            --operators 3 --seconds 5 --batch 120 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
        load_line=$(grep -E "^(lost|duplicated|half-saved|errors shown) [0-9]+$" "$log" | paste -sd, - | sed 's/,/, /g')
        rm -f "$log"
        [ $rc -ne 0 ] && failed=1
        summary+=("load (short): ${load_line:-no result} (exit $rc)")
    fi
    dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$DB"
    rm -rf "$MQC_DATA/filestore/filestore/$DB"
fi

echo
say "Summary"
printf '  %s\n' "${summary[@]}"
if [ -n "$odoo_reason" ]; then
    echo
    echo "!!! ODOO TESTS DID NOT RUN: $odoo_reason. Only the engine tests and lint ran."
fi
exit $failed
