import Foundation
import GRDB
import MutualAidDomain
import SyncStorage
import TestSupport
import Testing

@testable import SyncServer

/// Migration 0005 on a store written before it: ID numbers take an upper-case X (and replicas
/// are told, with a clock that wins), old feed entries get their member view, and a deleted
/// record's earlier entries leave the feed.
@Suite struct TrustMigrationTests {
    @Test func aStoreFromBeforeIsNormalisedAndItsFeedCleaned() async throws {
        let path = Scratch.directory("pre-0005").appendingPathComponent("store.sqlite").path
        do {
            let pool = try DatabasePool(path: path)
            try SQLCaseStore.migrator().migrate(pool, upTo: "0004_units_enrolment")
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO org (id, parent_id, level, code, name, path) VALUES ('2602', NULL, 'office', '2602', '办事处', '/2602/');
                        INSERT INTO org (id, parent_id, level, code, name, path) VALUES ('u1', '2602', 'unit', NULL, '单位', '/2602/u1/');
                        INSERT INTO member (id, unit_id, name, id_number) VALUES ('m-1', 'u1', '张伟', '61100219850312001x');
                        INSERT INTO activity (id, name, subtype, fee) VALUES ('act', '活动', '职工', '10.00');
                        INSERT INTO enrolment (id, member_id, org_path, unit_name, insured_name, id_number, activity_id, activity_name,
                                               period_start, period_end, shares, fee, clocks)
                        VALUES ('e-1', 'm-1', '/2602/u1/', '单位', '张伟', '61100219850312001x', 'act', '活动', '2026-01-01',
                                '2026-12-31', 1, '10.00', '{"idNumber":"0001700000000000-00000-server"}');
                        INSERT INTO change_feed (tbl, record_id, op, org_path, member_id, fields, clocks, created_at) VALUES
                          ('enrolment', 'e-1', 'upsert', '/2602/u1/', 'm-1', '{"idNumber":"61100219850312001x","shares":1}',
                           '{"idNumber":"0001700000000000-00000-server","shares":"0001700000000000-00000-server"}', 'x'),
                          ('claim', 'c-1', 'upsert', '/2602/u1/', 'm-1', '{"state":"accepted","holderLogin":"sz-agent","restricted":1}',
                           '{"state":"s","holderLogin":"s","restricted":"s"}', 'x'),
                          ('claim_trail', 't-1', 'upsert', '/2602/u1/', 'm-1', '{"step":"转专家审核","note":"内部意见"}', '{}', 'x'),
                          ('claim_trail', 't-2', 'upsert', '/2602/u1/', 'm-1', '{"step":"申领初审","note":"请补充发票"}', '{}', 'x'),
                          ('claim', 'c-2', 'upsert', '/2602/u1/', 'm-1', '{"diagnosis":"肺炎"}', '{}', 'x'),
                          ('claim', 'c-2', 'delete', '/2602/u1/', 'm-1', '{}', '{}', 'x');
                        """)
            }
            try pool.close()
        }
        let store = try SQLCaseStore(path: path)
        let (member, enrolment, clock, feed) = try await store.database.read { db in
            (
                try db.fetchValue(String.self, sql: "SELECT id_number FROM member"),
                try db.fetchValue(String.self, sql: "SELECT id_number FROM enrolment"),
                try db.fetchValue(String.self, sql: "SELECT json_extract(clocks, '$.idNumber') FROM enrolment"),
                try db.fetchAll(sql: "SELECT * FROM change_feed ORDER BY seq")
            )
        }
        #expect(member == "61100219850312001X")
        #expect(enrolment == "61100219850312001X")
        #expect(clock.flatMap(HLCTimestamp.init).map { $0 > HLCTimestamp("0001700000000000-00000-server")! } == true)
        // The new entry carries the corrected value with that clock, after the old one.
        let fix = try #require(try feed.last { try ($0["tbl"] as String) == "enrolment" })
        let fields = try JSONSerialization.jsonObject(with: Data((fix["fields"] as String).utf8)) as? [String: Any]
        #expect(fields?["idNumber"] as? String == "61100219850312001X")
        #expect(fields?["shares"] as? Int == 1)
        #expect(try String(fix["clocks"] as String).contains(clock ?? "none"))
        // Member views of old entries; only the tombstone of the deleted draft.
        let claim = try #require(try feed.first { try ($0["record_id"] as String) == "c-1" })
        #expect(try (claim["member_fields"] as String?) == #"{"state":"accepted"}"#)
        #expect(
            try (feed.first { try ($0["record_id"] as String) == "t-1" }?["member_fields"] as String?)
                == #"{"step":"转专家审核"}"#)
        #expect(try (feed.first { try ($0["record_id"] as String) == "t-2" }?["member_fields"] as String?) == nil)
        #expect(
            try feed.filter { try ($0["record_id"] as String) == "c-2" }.map { try $0["op"] as String } == ["delete"])
    }
}
