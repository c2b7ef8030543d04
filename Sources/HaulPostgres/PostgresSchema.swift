import Foundation
import HaulCore

/// The PostgreSQL register's schema: the same ledger as SQLite's (one hash chain per case,
/// state as rows), plus who may see and do what, enforced by the server, and the access log.
///
/// Everything lives in the schema `haul`. The roles are group roles (`haul_investigator`,
/// `haul_supervisor`, `haul_prosecutor`, `haul_auditor`); `haul.users` says which role and agency
/// each login has. Row-level security on `haul.cases` lets an investigator see the cases of
/// their own agency and every other role the whole unit's; every other table follows `cases`.
/// What each role may write is in the policies' WITH CHECK, so `psql` gives a user no more
/// than `haul` does.
enum PostgresSchema {
    /// The register format this Haul writes and reads on PostgreSQL; a later one is refused.
    static let format = 3

    /// The roles a user can be given, and what each may do.
    static let roles = ["investigator", "supervisor", "prosecutor", "auditor"]

    /// Record kinds a prosecutor may add: the confiscation inputs (and a defendant's share,
    /// which is an interest in an item).
    static let prosecutorKinds = ["benefit", "benefit-item", "gift", "obligation", "sale", "order", "extension", "payment", "joint-benefit", "interest", "proceedings"]

    /// Every state a status move may name, for the events table's check.
    static var states: String { State.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") }

    /// Each migration, by name, in order; `register init` applies those not yet applied.
    static let migrations: [(name: String, sql: String)] = [("1 ledger, roles, access log", ledger), ("2 status moves by seizure", eventSeizures),
                                                            ("3 a prosecutor's items judged against the chain, refusals logged", prosecutorItemsAgainstChain)]

    /// A prosecutor's record may replace an item only with what changes its interests or its
    /// valuations. Format 2 judged the rest against the item's row, which a prosecutor's own
    /// writes update and `psql` lets them set to anything: a row edited first, then a record
    /// carrying the edit, put the edit into the chain. The item is now judged against its last
    /// version in the records themselves, which nobody can change.
    static let prosecutorItemsAgainstChain = """
        SET search_path TO haul;
        -- The item as the case's records last hold it (an opening, a baseline, items added or
        -- items replaced); null when none does. Records that do not name the id (as JSON writes
        -- it, a '/' perhaps as '\\/') are not opened.
        CREATE FUNCTION chain_item(wanted_case text, wanted_item text) RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        DECLARE
            candidate record;
            held jsonb;
        BEGIN
            -- Newest first, stopping at the first record that holds the item whole, or that
            -- replaces the case whole without it (then it is not in the case).
            FOR candidate IN SELECT payload FROM haul.records WHERE case_reference = wanted_case
                    AND (position('"' || wanted_item || '"' IN payload) > 0 OR position('"' || replace(wanted_item, '/', '\\/') || '"' IN payload) > 0
                         OR position('"baseline"' IN payload) > 0 OR position('"opened"' IN payload) > 0)
                    ORDER BY sequence DESC LOOP
                SELECT found.item INTO held
                FROM jsonb_array_elements(candidate.payload::jsonb) WITH ORDINALITY AS change(body, place)
                CROSS JOIN LATERAL (
                    SELECT jsonb_path_query(change.body, '$.itemsReplaced."_0"[*]')
                    UNION ALL SELECT jsonb_path_query(change.body, '$.itemsAdded."_0"[*].items[*]')
                    UNION ALL SELECT jsonb_path_query(change.body, '$.opened."_0".seizures[*].items[*]')
                    UNION ALL SELECT jsonb_path_query(change.body, '$.baseline."_0".seizures[*].items[*]')
                ) AS found(item)
                WHERE found.item ->> 'id' = wanted_item
                ORDER BY change.place DESC
                LIMIT 1;
                IF held IS NOT NULL THEN RETURN held; END IF;
                IF EXISTS (SELECT 1 FROM jsonb_array_elements(candidate.payload::jsonb) AS change(body)
                           WHERE change.body ? 'baseline' OR change.body ? 'opened') THEN
                    RETURN NULL;
                END IF;
            END LOOP;
            RETURN NULL;
        END $$;
        -- The same item written by different Haul versions compares equal: an empty list left
        -- out or written, a sum of money ("amount") as "80000" or "80000.00". Nothing else is
        -- loosened: a serial number "0012" is not "12".
        CREATE FUNCTION normalised(value jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = haul, pg_temp AS $$
            SELECT CASE jsonb_typeof(value)
                WHEN 'object' THEN coalesce((
                    SELECT jsonb_object_agg(e.key, CASE
                        WHEN e.key = 'amount' AND jsonb_typeof(e.value) = 'string' AND e.value #>> '{}' ~ '^-?[0-9]+(\\.[0-9]+)?$'
                            THEN to_jsonb((e.value #>> '{}')::numeric)
                        ELSE haul.normalised(e.value) END)
                    FROM jsonb_each(value) e
                    WHERE CASE WHEN jsonb_typeof(e.value) = 'array' THEN jsonb_array_length(e.value) > 0 ELSE true END), '{}'::jsonb)
                WHEN 'array' THEN (SELECT coalesce(jsonb_agg(haul.normalised(a.value) ORDER BY a.place), '[]'::jsonb)
                                   FROM jsonb_array_elements(value) WITH ORDINALITY AS a(value, place))
                ELSE value END
        $$;
        REVOKE ALL ON FUNCTION normalised(jsonb) FROM PUBLIC;
        REVOKE ALL ON FUNCTION chain_item(text, text) FROM PUBLIC;
        -- Whether a JSON text repeats a key within one object: jsonb keeps the last of two, Haul's
        -- reader would refuse the record, Foundation's decoder keeps the first; a record judged
        -- by one reading must not be replayed by another.
        CREATE FUNCTION repeats_a_key(value json) RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = haul, pg_temp AS $$
            WITH RECURSIVE node(v) AS (
                SELECT value
                UNION ALL
                SELECT child.v FROM node CROSS JOIN LATERAL (
                    SELECT e.value FROM json_each(CASE WHEN json_typeof(node.v) = 'object' THEN node.v ELSE '{}'::json END) e
                    UNION ALL
                    SELECT a.value FROM json_array_elements(CASE WHEN json_typeof(node.v) = 'array' THEN node.v ELSE '[]'::json END) a
                ) AS child(v)
            )
            SELECT EXISTS (SELECT 1 FROM node WHERE json_typeof(v) = 'object'
                           AND (SELECT count(*) FROM json_object_keys(v)) <> (SELECT count(DISTINCT k) FROM json_object_keys(v) AS keys(k)))
        $$;
        REVOKE ALL ON FUNCTION repeats_a_key(json) FROM PUBLIC;
        -- A refused access is logged too (a case another agency holds, a write the role never
        -- makes): the case as asked for goes in the reason, never as the entry's case, which
        -- the user may not see or which may not exist. Read by the user and by supervisors and
        -- auditors, as every entry is.
        ALTER TABLE access_log DROP CONSTRAINT access_log_action_check;
        ALTER TABLE access_log ADD CONSTRAINT access_log_action_check
            CHECK (action IN ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure', 'refused'));
        CREATE FUNCTION log_refusal(asked text, command text, reason text) RETURNS void
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        BEGIN
            IF NOT haul.is_owner() AND haul.user_role() IS NULL THEN
                RAISE EXCEPTION 'permission denied: not a user of this register' USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF coalesce(command, '') = '' THEN RAISE EXCEPTION 'an access is logged with its command'; END IF;
            INSERT INTO haul.access_log (user_name, case_reference, command, action, reason)
                VALUES (session_user, NULL, left(command, 200), 'refused', left(coalesce('case ' || left(asked, 200) || ': ', '') || coalesce(reason, ''), 2000));
        END $$;
        REVOKE ALL ON FUNCTION log_refusal(text, text, text) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION log_refusal(text, text, text) TO haul_investigator, haul_supervisor, haul_prosecutor, haul_auditor;
        CREATE OR REPLACE FUNCTION check_record_changes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        BEGIN
            IF haul.user_role() = 'prosecutor' AND haul.repeats_a_key(NEW.payload::json) THEN
                RAISE EXCEPTION 'a record''s payload may not repeat a key within one object' USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF haul.user_role() = 'prosecutor' AND EXISTS (
                SELECT 1 FROM jsonb_array_elements(NEW.payload::jsonb) change, jsonb_object_keys(change) key
                WHERE key NOT IN ('confiscationInputs', 'paymentAdded', 'proceedings', 'itemsReplaced')) THEN
                RAISE EXCEPTION 'a prosecutor records confiscation inputs, payments, proceedings and shares, not this change' USING ERRCODE = 'insufficient_privilege';
            END IF;
            -- An item a prosecutor replaces keeps everything but its interests (a share) and its
            -- valuations (a sale's realised value), as the chain last recorded it.
            IF haul.user_role() = 'prosecutor' AND EXISTS (
                SELECT 1 FROM jsonb_array_elements(NEW.payload::jsonb) change, jsonb_array_elements(change -> 'itemsReplaced' -> '_0') item
                WHERE change ? 'itemsReplaced' AND NOT coalesce(
                    haul.normalised(haul.chain_item(NEW.case_reference, item ->> 'id') - 'interests' - 'valuations' - 'earlierValuations' - 'status')
                        = haul.normalised(item - 'interests' - 'valuations' - 'earlierValuations' - 'status'), false)) THEN
                RAISE EXCEPTION 'a prosecutor may change an item''s interests and valuations only' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END $$;
        """

    /// Which seizures each status move names items of, so a move loads the moves of its own
    /// seizures, not the case's whole history. Kept by a trigger as each move is appended
    /// (whoever appends it), filled for the moves already there, checked by the audit; read by
    /// whoever may read the case, written by nobody but the trigger.
    static let eventSeizures = """
        SET search_path TO haul;
        CREATE TABLE event_seizures (
            case_reference TEXT NOT NULL REFERENCES cases(reference) DEFERRABLE INITIALLY DEFERRED,
            seizure_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            PRIMARY KEY (case_reference, seizure_id, sequence)
        );
        CREATE FUNCTION index_event_seizures() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        BEGIN
            INSERT INTO haul.event_seizures (case_reference, seizure_id, sequence)
                SELECT DISTINCT NEW.case_reference, i.seizure_id, NEW.sequence
                FROM unnest(string_to_array(NEW.items, ' ')) AS named(item_id)
                JOIN haul.items i ON i.case_reference = NEW.case_reference AND i.item_id = named.item_id
                ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$;
        CREATE TRIGGER events_by_seizure AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION index_event_seizures();
        REVOKE ALL ON event_seizures FROM PUBLIC;
        REVOKE ALL ON FUNCTION index_event_seizures() FROM PUBLIC;
        GRANT SELECT ON event_seizures TO haul_investigator, haul_supervisor, haul_prosecutor, haul_auditor;
        ALTER TABLE event_seizures ENABLE ROW LEVEL SECURITY;
        CREATE POLICY event_seizures_read ON event_seizures FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        -- Filled last: its rows' deferred foreign-key checks would stop the ALTER TABLE above.
        INSERT INTO event_seizures (case_reference, seizure_id, sequence)
            SELECT DISTINCT e.case_reference, i.seizure_id, e.sequence
            FROM events e CROSS JOIN LATERAL unnest(string_to_array(e.items, ' ')) AS named(item_id)
            JOIN items i ON i.case_reference = e.case_reference AND i.item_id = named.item_id
            ON CONFLICT DO NOTHING;
        """

    static var ledger: String { """
        CREATE SCHEMA haul;
        SET search_path TO haul;
        CREATE TABLE haul_register (format INTEGER NOT NULL, written_by TEXT NOT NULL);
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('investigator', 'supervisor', 'prosecutor', 'auditor')),
            agency TEXT
        );
        CREATE TABLE cases (
            reference TEXT PRIMARY KEY,
            jurisdiction TEXT NOT NULL,
            opened_on TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            agencies TEXT[] NOT NULL DEFAULT '{}'
        );
        CREATE TABLE events (
            case_reference TEXT NOT NULL REFERENCES cases(reference) DEFERRABLE INITIALLY DEFERRED,
            sequence INTEGER NOT NULL,
            at TEXT NOT NULL, zone TEXT NOT NULL, items TEXT NOT NULL,
            from_state TEXT, to_state TEXT NOT NULL, regime TEXT, authority TEXT,
            actor TEXT NOT NULL, note TEXT, previous_hash TEXT, hash TEXT NOT NULL, recorded_at TEXT NOT NULL,
            supersedes INTEGER, late TEXT,
            -- Who wrote the row, by the server's account (the actor inside the event is the chain's).
            recorded_by TEXT NOT NULL DEFAULT session_user,
            CHECK (to_state IN (\(states)) AND (from_state IS NULL OR from_state IN (\(states)))),
            PRIMARY KEY (case_reference, sequence)
        );
        CREATE TABLE records (
            case_reference TEXT NOT NULL REFERENCES cases(reference) DEFERRABLE INITIALLY DEFERRED,
            sequence INTEGER NOT NULL,
            kind TEXT NOT NULL, at TEXT NOT NULL, zone TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL,
            payload TEXT NOT NULL, previous_hash TEXT, hash TEXT NOT NULL, recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT session_user,
            CHECK (jsonb_typeof(payload::jsonb) = 'array'),
            PRIMARY KEY (case_reference, sequence)
        );
        CREATE TABLE case_state (
            case_reference TEXT PRIMARY KEY REFERENCES cases(reference) DEFERRABLE INITIALLY DEFERRED,
            document TEXT NOT NULL,
            head_sequence INTEGER NOT NULL,
            head TEXT NOT NULL
        );
        CREATE TABLE items (
            case_reference TEXT NOT NULL REFERENCES cases(reference) DEFERRABLE INITIALLY DEFERRED,
            item_id TEXT NOT NULL, exhibit TEXT NOT NULL, kind TEXT NOT NULL, seizure_id TEXT NOT NULL,
            seizure_position INTEGER NOT NULL, position INTEGER NOT NULL, document TEXT NOT NULL, figures TEXT NOT NULL,
            PRIMARY KEY (case_reference, item_id)
        );
        CREATE INDEX items_by_id ON items(item_id);
        CREATE UNIQUE INDEX items_by_exhibit ON items(exhibit, case_reference);
        CREATE INDEX items_in_order ON items(case_reference, seizure_position, position);
        CREATE INDEX items_by_seizure ON items(seizure_id, case_reference);
        CREATE TABLE item_keys (
            case_reference TEXT NOT NULL REFERENCES cases(reference) DEFERRABLE INITIALLY DEFERRED,
            item_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, normalised TEXT NOT NULL,
            -- The key's place among its item's keys, so they list in the order SQLite's register gives.
            ordinal INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX item_keys_by_key ON item_keys(normalised);
        CREATE INDEX item_keys_by_item ON item_keys(case_reference, item_id);
        CREATE TABLE register_log (
            position INTEGER PRIMARY KEY, case_reference TEXT NOT NULL, first_hash TEXT NOT NULL,
            previous_hash TEXT, hash TEXT NOT NULL, recorded_at TEXT NOT NULL
        );
        CREATE TABLE provenance (
            id BIGSERIAL PRIMARY KEY,
            case_reference TEXT NOT NULL REFERENCES cases(reference) DEFERRABLE INITIALLY DEFERRED,
            recorded_at TEXT NOT NULL, actor TEXT NOT NULL, note TEXT NOT NULL
        );
        CREATE INDEX provenance_by_case ON provenance(case_reference);
        -- DPA 2018 s.62: collection, alteration, consultation, disclosure, combination, erasure.
        CREATE TABLE access_log (
            id BIGSERIAL PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
            user_name TEXT NOT NULL DEFAULT session_user,
            case_reference TEXT,
            command TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure')),
            reason TEXT,
            recipient TEXT
        );
        CREATE INDEX access_log_by_case ON access_log(case_reference, at);

        -- The chain, the register log, provenance and the access log are appended, never edited:
        -- not by any role, nor by the tables' owner through Haul.
        CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only; record a correction as a new event', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$;
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records FOR EACH ROW EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER register_log_append_only BEFORE UPDATE OR DELETE ON register_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER provenance_append_only BEFORE UPDATE OR DELETE ON provenance FOR EACH ROW EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER register_log_no_truncate BEFORE TRUNCATE ON register_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER provenance_no_truncate BEFORE TRUNCATE ON provenance FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

        -- Who the session's user is in this register, read with the owner's rights (users cannot
        -- read haul.users). Roles are the cluster's, so every policy checks this database's own
        -- record of the user's role too: being an investigator in one register gives nothing in another.
        CREATE FUNCTION user_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp
            AS $$ SELECT role FROM haul.users WHERE name = session_user $$;
        CREATE FUNCTION user_agency() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp
            AS $$ SELECT agency FROM haul.users WHERE name = session_user $$;
        -- The register's owner (who ran register init), or a superuser: not a role of the unit.
        CREATE FUNCTION is_owner() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp
            AS $$ SELECT pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'haul'), 'MEMBER') $$;
        -- A case this user may read.
        CREATE FUNCTION sees(reference text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp
            AS $$ SELECT EXISTS (SELECT 1 FROM haul.cases WHERE cases.reference = $1 AND (haul.is_owner()
                  OR haul.user_role() IN ('supervisor', 'prosecutor', 'auditor')
                  OR (haul.user_role() = 'investigator' AND haul.user_agency() = ANY(cases.agencies)))) $$;
        -- Whether a case's event `sequence` is a status move (what a correction may replace).
        CREATE FUNCTION is_status_move(reference text, sequence integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp
            AS $$ SELECT EXISTS (SELECT 1 FROM haul.events WHERE case_reference = $1 AND events.sequence = $2) $$;
        -- A case an investigator may write: one of their own agency's, already in the register
        -- (a case's row is always written first; an import stages its items until then).
        CREATE FUNCTION may_write(reference text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp
            AS $$ SELECT haul.user_role() = 'investigator'
                  AND EXISTS (SELECT 1 FROM haul.cases WHERE cases.reference = $1 AND haul.user_agency() = ANY(cases.agencies)) $$;
        -- Whether a reference is taken (a new case must not reuse one; the cases table's own key
        -- would say so too).
        CREATE FUNCTION case_exists(reference text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp
            AS $$ SELECT (haul.is_owner() OR haul.user_role() IS NOT NULL) AND EXISTS (SELECT 1 FROM haul.cases WHERE cases.reference = $1) $$;

        -- Every event continues its case's chain: the next number, linked to the newest hash
        -- (whoever writes it, through Haul or not), under the case's own lock, which Haul's
        -- writers take too, so two writers never both continue the same head; the row records
        -- who wrote it. The state row's head follows once the row is in.
        CREATE FUNCTION continue_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        DECLARE last_sequence integer; last_hash text; record_sequence integer; record_hash text;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended(NEW.case_reference, 7203101));
            -- The newest of each table by its primary key's own order (one index step each,
            -- however long the chain and whatever the planner knows of the tables).
            SELECT sequence, hash INTO last_sequence, last_hash FROM haul.events
                WHERE case_reference = NEW.case_reference ORDER BY case_reference DESC, sequence DESC LIMIT 1;
            SELECT sequence, hash INTO record_sequence, record_hash FROM haul.records
                WHERE case_reference = NEW.case_reference ORDER BY case_reference DESC, sequence DESC LIMIT 1;
            IF record_sequence IS NOT NULL AND (last_sequence IS NULL OR record_sequence > last_sequence) THEN
                last_sequence := record_sequence;
                last_hash := record_hash;
            END IF;
            IF NEW.sequence <> coalesce(last_sequence, 0) + 1 OR NEW.previous_hash IS DISTINCT FROM last_hash THEN
                RAISE EXCEPTION 'the event does not continue its case''s chain' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            NEW.recorded_by := session_user;
            RETURN NEW;
        END $$;
        CREATE TRIGGER events_continue_chain BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION continue_chain();
        CREATE TRIGGER records_continue_chain BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION continue_chain();
        CREATE FUNCTION move_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        BEGIN
            UPDATE haul.case_state SET head_sequence = NEW.sequence, head = NEW.hash
            WHERE case_reference = NEW.case_reference AND head_sequence < NEW.sequence;
            RETURN NULL;
        END $$;
        CREATE TRIGGER events_move_head AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION move_head();
        CREATE TRIGGER records_move_head AFTER INSERT ON records FOR EACH ROW EXECUTE FUNCTION move_head();
        -- What a prosecutor's record may change: the confiscation inputs, payments, the
        -- proceedings, and items (a defendant's share, a sale); never a case's header or people.
        CREATE FUNCTION check_record_changes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        BEGIN
            IF haul.user_role() = 'prosecutor' AND EXISTS (
                SELECT 1 FROM jsonb_array_elements(NEW.payload::jsonb) change, jsonb_object_keys(change) key
                WHERE key NOT IN ('confiscationInputs', 'paymentAdded', 'proceedings', 'itemsReplaced')) THEN
                RAISE EXCEPTION 'a prosecutor records confiscation inputs, payments, proceedings and shares, not this change' USING ERRCODE = 'insufficient_privilege';
            END IF;
            -- An item a prosecutor replaces keeps everything but its interests (a share) and its
            -- valuations (a sale's realised value).
            IF haul.user_role() = 'prosecutor' AND EXISTS (
                SELECT 1 FROM jsonb_array_elements(NEW.payload::jsonb) change, jsonb_array_elements(change -> 'itemsReplaced' -> '_0') item
                WHERE change ? 'itemsReplaced' AND NOT EXISTS (
                    SELECT 1 FROM haul.items i WHERE i.case_reference = NEW.case_reference AND i.item_id = item ->> 'id'
                    AND (i.document::jsonb - 'interests' - 'valuations' - 'earlierValuations' - 'status')
                        = (item - 'interests' - 'valuations' - 'earlierValuations' - 'status'))) THEN
                RAISE EXCEPTION 'a prosecutor may change an item''s interests and valuations only' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER records_changes_by_role BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION check_record_changes();

        -- The register log, appended with the owner's rights after the caller's right to the case
        -- is checked; its position, link and hash worked out here, so nobody can forge an entry.
        CREATE FUNCTION append_register_log(reference text, recorded_at text) RETURNS void
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        DECLARE first text; last_position integer; last_hash text; next integer; entry text;
        BEGIN
            IF NOT haul.is_owner() AND NOT haul.may_write(reference) THEN
                RAISE EXCEPTION 'permission denied: case % is not one this user may record', reference USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF EXISTS (SELECT 1 FROM haul.register_log l WHERE l.case_reference = reference) THEN
                RAISE EXCEPTION 'case % is in the register log already', reference USING ERRCODE = 'unique_violation';
            END IF;
            SELECT hash INTO first FROM (
                SELECT sequence, hash FROM haul.events WHERE case_reference = reference
                UNION ALL SELECT sequence, hash FROM haul.records WHERE case_reference = reference) chain ORDER BY sequence LIMIT 1;
            IF first IS NULL THEN RAISE EXCEPTION 'case % has no chain to log', reference; END IF;
            PERFORM pg_advisory_xact_lock(7203101);
            SELECT l.position, l.hash INTO last_position, last_hash FROM haul.register_log l ORDER BY l.position DESC LIMIT 1;
            next := coalesce(last_position, 0) + 1;
            entry := 'haul-register-log/1' || E'\n' || 'position=' || next || E'\n' || 'case=' || reference || E'\n' || 'first=' || first
                     || E'\n' || 'previous=' || coalesce(last_hash, '') || E'\n';
            INSERT INTO haul.register_log VALUES (next, reference, first, last_hash, encode(sha256(convert_to(entry, 'UTF8')), 'hex'), recorded_at);
        END $$;
        -- The register log as this user may see it: entries of cases they cannot see keep their
        -- position and hashes (so a removal or edit anywhere is still found) but not their case,
        -- checked here instead.
        CREATE FUNCTION register_log_entries() RETURNS TABLE (entry integer, case_reference text, first_hash text, previous_hash text,
                                                             hash text, verified boolean, present boolean)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = haul, pg_temp AS $$
            SELECT l.position, CASE WHEN visible THEN l.case_reference END, CASE WHEN visible THEN l.first_hash END, l.previous_hash, l.hash,
                   l.hash = encode(sha256(convert_to('haul-register-log/1' || E'\n' || 'position=' || l.position || E'\n' || 'case=' || l.case_reference
                       || E'\n' || 'first=' || l.first_hash || E'\n' || 'previous=' || coalesce(l.previous_hash, '') || E'\n', 'UTF8')), 'hex'),
                   EXISTS (SELECT 1 FROM haul.cases c WHERE c.reference = l.case_reference)
            FROM haul.register_log l,
                 LATERAL (SELECT haul.is_owner() OR haul.user_role() IN ('supervisor', 'prosecutor', 'auditor')
                          OR EXISTS (SELECT 1 FROM haul.cases c WHERE c.reference = l.case_reference AND haul.user_agency() = ANY(c.agencies)) AS visible) v
            ORDER BY l.position $$;
        -- One entry of the access log, its user and time set by the server (nobody inserts directly).
        CREATE FUNCTION log_access(case_reference text, command text, action text, reason text, recipient text) RETURNS void
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = haul, pg_temp AS $$
        BEGIN
            IF NOT haul.is_owner() AND haul.user_role() IS NULL THEN
                RAISE EXCEPTION 'permission denied: not a user of this register' USING ERRCODE = 'insufficient_privilege';
            END IF;
            -- A case the user may not read is not there for them (whether it exists or not).
            IF $1 IS NOT NULL AND NOT haul.is_owner() AND NOT haul.sees($1) THEN
                RAISE EXCEPTION 'no case % in the register that you may see', $1 USING ERRCODE = 'no_data_found';
            END IF;
            IF coalesce(command, '') = '' THEN RAISE EXCEPTION 'an access is logged with its command'; END IF;
            IF recipient IS NOT NULL AND action <> 'disclosure' THEN RAISE EXCEPTION 'only a disclosure has a recipient'; END IF;
            INSERT INTO haul.access_log (user_name, case_reference, command, action, reason, recipient)
                VALUES (session_user, $1, $2, $3, $4, $5);
        END $$;

        DO $$ BEGIN
            CREATE ROLE haul_investigator NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            CREATE ROLE haul_supervisor NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            CREATE ROLE haul_prosecutor NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            CREATE ROLE haul_auditor NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

        REVOKE ALL ON ALL TABLES IN SCHEMA haul FROM PUBLIC;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA haul FROM PUBLIC;
        GRANT USAGE ON SCHEMA haul TO haul_investigator, haul_supervisor, haul_prosecutor, haul_auditor;
        GRANT EXECUTE ON FUNCTION user_role(), user_agency(), is_owner(), sees(text), is_status_move(text, integer), may_write(text), case_exists(text), log_access(text, text, text, text, text),
            append_register_log(text, text), register_log_entries()
            TO haul_investigator, haul_supervisor, haul_prosecutor, haul_auditor;
        GRANT SELECT ON haul_register, cases, events, records, case_state, items, item_keys, register_log, provenance, access_log
            TO haul_investigator, haul_supervisor, haul_prosecutor, haul_auditor;
        GRANT INSERT ON cases, events, records, case_state, items, item_keys, provenance TO haul_investigator;
        GRANT UPDATE ON case_state, items TO haul_investigator;
        GRANT DELETE ON items, item_keys TO haul_investigator;
        GRANT USAGE ON SEQUENCE provenance_id_seq TO haul_investigator;
        -- A supervisor's correction is a status move only (the chain's trigger moves the head).
        GRANT INSERT ON events TO haul_supervisor;
        -- A prosecutor's records change the skeleton (inputs, payments, proceedings) and items
        -- (shares, sales): the columns those rows hold, nothing else.
        GRANT INSERT ON records, item_keys TO haul_prosecutor;
        GRANT UPDATE (document) ON case_state TO haul_prosecutor;
        GRANT UPDATE (document, figures) ON items TO haul_prosecutor;
        GRANT DELETE ON item_keys TO haul_prosecutor;

        -- Who sees which cases: an investigator their agency's, the other roles the unit's.
        ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
        CREATE POLICY cases_read ON cases FOR SELECT
            USING (haul.user_role() IN ('supervisor', 'prosecutor', 'auditor') OR (haul.user_role() = 'investigator' AND haul.user_agency() = ANY(agencies)));
        CREATE POLICY cases_insert ON cases FOR INSERT TO haul_investigator
            WITH CHECK (haul.user_role() = 'investigator' AND haul.user_agency() = ANY(agencies));
        -- Every other table follows the cases its user can see (the subquery is itself filtered);
        -- each write is checked against this register's record of the user's role.
        ALTER TABLE events ENABLE ROW LEVEL SECURITY;
        CREATE POLICY events_read ON events FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        CREATE POLICY events_investigator ON events FOR INSERT TO haul_investigator WITH CHECK (haul.may_write(case_reference));
        -- A supervisor's correction names a status move of the same case that it replaces.
        CREATE POLICY events_supervisor ON events FOR INSERT TO haul_supervisor
            WITH CHECK (haul.user_role() = 'supervisor' AND case_reference IN (SELECT reference FROM haul.cases)
                        AND haul.is_status_move(case_reference, supersedes));
        ALTER TABLE records ENABLE ROW LEVEL SECURITY;
        CREATE POLICY records_read ON records FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        CREATE POLICY records_investigator ON records FOR INSERT TO haul_investigator WITH CHECK (haul.may_write(case_reference));
        CREATE POLICY records_prosecutor ON records FOR INSERT TO haul_prosecutor
            WITH CHECK (haul.user_role() = 'prosecutor' AND kind IN (\(prosecutorKinds.map { "'\($0)'" }.joined(separator: ", ")))
                        AND case_reference IN (SELECT reference FROM haul.cases));
        ALTER TABLE case_state ENABLE ROW LEVEL SECURITY;
        CREATE POLICY case_state_read ON case_state FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        CREATE POLICY case_state_insert ON case_state FOR INSERT TO haul_investigator WITH CHECK (haul.may_write(case_reference));
        CREATE POLICY case_state_investigator ON case_state FOR UPDATE TO haul_investigator USING (haul.may_write(case_reference));
        CREATE POLICY case_state_prosecutor ON case_state FOR UPDATE TO haul_prosecutor
            USING (haul.user_role() = 'prosecutor' AND case_reference IN (SELECT reference FROM haul.cases));
        ALTER TABLE items ENABLE ROW LEVEL SECURITY;
        CREATE POLICY items_read ON items FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        CREATE POLICY items_insert ON items FOR INSERT TO haul_investigator WITH CHECK (haul.may_write(case_reference));
        CREATE POLICY items_investigator ON items FOR UPDATE TO haul_investigator USING (haul.may_write(case_reference));
        CREATE POLICY items_prosecutor ON items FOR UPDATE TO haul_prosecutor
            USING (haul.user_role() = 'prosecutor' AND case_reference IN (SELECT reference FROM haul.cases));
        CREATE POLICY items_delete ON items FOR DELETE TO haul_investigator USING (haul.may_write(case_reference));
        ALTER TABLE item_keys ENABLE ROW LEVEL SECURITY;
        CREATE POLICY item_keys_read ON item_keys FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        CREATE POLICY item_keys_insert ON item_keys FOR INSERT TO haul_investigator, haul_prosecutor
            WITH CHECK (haul.may_write(case_reference) OR (haul.user_role() = 'prosecutor' AND case_reference IN (SELECT reference FROM haul.cases)));
        CREATE POLICY item_keys_delete ON item_keys FOR DELETE TO haul_investigator, haul_prosecutor
            USING (haul.may_write(case_reference) OR (haul.user_role() = 'prosecutor' AND case_reference IN (SELECT reference FROM haul.cases)));
        ALTER TABLE provenance ENABLE ROW LEVEL SECURITY;
        CREATE POLICY provenance_read ON provenance FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        CREATE POLICY provenance_insert ON provenance FOR INSERT TO haul_investigator WITH CHECK (haul.may_write(case_reference));
        -- The register log: supervisors, prosecutors and auditors read it whole, an investigator
        -- the entries of their agency's cases (register_log_entries() gives the rest without
        -- their cases); nobody inserts but append_register_log().
        ALTER TABLE register_log ENABLE ROW LEVEL SECURITY;
        CREATE POLICY register_log_read ON register_log FOR SELECT USING (case_reference IN (SELECT reference FROM haul.cases));
        -- The access log: supervisors and auditors read all of it, everyone else their own entries.
        ALTER TABLE access_log ENABLE ROW LEVEL SECURITY;
        CREATE POLICY access_log_read ON access_log FOR SELECT
            USING (haul.user_role() IN ('supervisor', 'auditor') OR user_name = session_user);

        -- Only the register's own users connect to its database (roles are the server's).
        DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$;
        """ }
}
