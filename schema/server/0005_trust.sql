-- Issue 10 (trust): change-id digests, what members read of the feed, deleted records' feed
-- entries, SMS secrets after delivery, ID numbers in one form.

-- The content of each handled change: the same id with other content is a reused id
-- (a device restored from a backup), not a retry. NULL for changes handled before this.
ALTER TABLE applied_change ADD COLUMN digest TEXT;

-- What a member receives of an entry when it differs from what staff do: staff-only fields
-- (who holds a case, the restricted-list flag) and internal trail notes left out. NULL when the
-- entry is the same for everyone.
ALTER TABLE change_feed ADD COLUMN member_fields TEXT;
ALTER TABLE change_feed ADD COLUMN member_clocks TEXT;
UPDATE change_feed
   SET member_fields = json_remove(fields, '$.holderLogin', '$.restricted'),
       member_clocks = json_remove(clocks, '$.holderLogin', '$.restricted')
 WHERE tbl = 'claim' AND op = 'upsert' AND json_valid(fields) AND json_valid(clocks)
   AND (json_type(fields, '$.holderLogin') IS NOT NULL OR json_type(fields, '$.restricted') IS NOT NULL);
UPDATE change_feed
   SET member_fields = json_remove(fields, '$.note'), member_clocks = json_remove(clocks, '$.note')
 WHERE tbl = 'claim_trail' AND op = 'upsert' AND json_valid(fields) AND json_valid(clocks)
   AND json_extract(fields, '$.step') IN ('限制名单标记', '转专家审核', '转调查处理', '专家审核', '调查处理');

-- A deleted record keeps only its tombstone in the feed (its earlier entries are removed).
CREATE INDEX change_feed_by_record ON change_feed (tbl, record_id);
DELETE FROM change_feed
 WHERE op = 'upsert'
   AND EXISTS (SELECT 1 FROM change_feed d WHERE d.tbl = change_feed.tbl AND d.record_id = change_feed.record_id
                AND d.op = 'delete' AND d.seq > change_feed.seq);

-- An SMS is delivered once the operator (or a gateway) has passed it on; then its text keeps
-- no secret: `redacted` is what stays.
ALTER TABLE sms_outbox ADD COLUMN redacted TEXT;
ALTER TABLE sms_outbox ADD COLUMN delivered_at TEXT;

-- ID numbers with an upper-case X everywhere (lookups compare them exactly).
UPDATE member SET id_number = upper(id_number)
 WHERE id_number <> upper(id_number) AND upper(id_number) NOT IN (SELECT id_number FROM member);
UPDATE restricted_person SET id_number = upper(id_number)
 WHERE id_number <> upper(id_number) AND upper(id_number) NOT IN (SELECT id_number FROM restricted_person);
-- Synced rows change with a server clock on idNumber (so replicas take the new value) and a
-- new feed entry each.
CREATE TEMP TABLE id_fix (tbl TEXT NOT NULL, record_id TEXT NOT NULL, stamp TEXT NOT NULL);
INSERT INTO id_fix
SELECT 'enrolment_person', id, printf('%016d-00000-server', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
  FROM enrolment_person
 WHERE id_number <> upper(id_number)
   AND NOT EXISTS (SELECT 1 FROM enrolment_person p WHERE p.application_id = enrolment_person.application_id
                    AND p.activity_id = enrolment_person.activity_id AND p.id_number = upper(enrolment_person.id_number));
INSERT INTO id_fix
SELECT 'enrolment', id, printf('%016d-00000-server', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
  FROM enrolment WHERE id_number <> upper(id_number);
UPDATE enrolment_person
   SET id_number = upper(id_number),
       clocks = json_set(CASE WHEN json_valid(clocks) THEN clocks ELSE '{}' END, '$.idNumber',
                         (SELECT stamp FROM id_fix WHERE tbl = 'enrolment_person' AND record_id = enrolment_person.id))
 WHERE id IN (SELECT record_id FROM id_fix WHERE tbl = 'enrolment_person');
UPDATE enrolment
   SET id_number = upper(id_number),
       clocks = json_set(CASE WHEN json_valid(clocks) THEN clocks ELSE '{}' END, '$.idNumber',
                         (SELECT stamp FROM id_fix WHERE tbl = 'enrolment' AND record_id = enrolment.id))
 WHERE id IN (SELECT record_id FROM id_fix WHERE tbl = 'enrolment');
INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, member_only, is_public, fields, clocks, created_at)
SELECT f.tbl, f.record_id, 'upsert', f.org_path, f.member_id, f.member_only, f.is_public,
       json_set(f.fields, '$.idNumber', upper(json_extract(f.fields, '$.idNumber'))),
       json_set(f.clocks, '$.idNumber', x.stamp), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM change_feed f JOIN id_fix x ON x.tbl = f.tbl AND x.record_id = f.record_id
 WHERE f.op = 'upsert' AND json_valid(f.fields) AND json_valid(f.clocks)
   AND f.seq = (SELECT MAX(g.seq) FROM change_feed g WHERE g.tbl = f.tbl AND g.record_id = f.record_id);
DROP TABLE id_fix;
