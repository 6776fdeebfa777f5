import Foundation
import GRDB
import SyncStorage
import Testing

/// Writes that wait for the embedded store's writer together commit together: each answers
/// its own result or error, a failing one leaves nothing and takes no other down, and what
/// was answered is in the file.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    /// 120 writes at once while the first holds the writer; every 7th throws after inserting and
    /// every 11th breaks a constraint.
    @Test(arguments: [true, false]) func concurrentWritesEachAnswerTheirOwn(grouped: Bool) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("g.sqlite").path
        let database = SQLiteDatabase(try DurableSQLite.pool(path: path), groupCommit: grouped)
        try await database.write { db in try db.execute(sql: "CREATE TABLE t (v INTEGER NOT NULL UNIQUE, at TEXT)") }

        let outcomes = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            for v in 0..<120 {
                group.addTask {
                    do {
                        let doubled = try await database.write { db -> Int in
                            if v == 0 { Thread.sleep(forTimeInterval: 0.05) }  // the others queue meanwhile
                            // The transaction's start, shared by the writes of one commit.
                            let started = try (db as! SyncStorage.SQLiteConnection).db.transactionDate
                                .timeIntervalSince1970
                            try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [v, String(started)])
                            if v % 11 == 5 { try db.execute(sql: "INSERT INTO t VALUES (NULL, NULL)") }
                            if v % 7 == 3 { throw Refused() }
                            return v * 2
                        }
                        return (v, .success(doubled))
                    } catch {
                        return (v, .failure(error))
                    }
                }
            }
            var all: [Int: Result<Int, any Error>] = [:]
            for await (v, result) in group { all[v] = result }
            return all
        }
        var kept: [Int] = []
        for v in 0..<120 {
            switch outcomes[v] {
            case .success(let doubled)?:
                #expect(doubled == v * 2 && v % 7 != 3 && v % 11 != 5, "\(v)")
                kept.append(v)
            case .failure(let error)?:
                if v % 11 == 5 {
                    #expect(error is SQLConstraintViolation, "\(v): \(error)")
                } else {
                    #expect(v % 7 == 3 && error is Refused, "\(v): \(error)")
                }
            case nil: Issue.record("no answer for \(v)")
            }
        }
        #expect(kept.count == (0..<120).filter { $0 % 7 != 3 && $0 % 11 != 5 }.count)
        // What was answered is in the file, read by a connection of its own.
        let reopened = try DatabaseQueue(path: path)
        let stored = try await reopened.read { db in try Int.fetchAll(db, sql: "SELECT v FROM t ORDER BY v") }
        #expect(stored == kept)
        let commits = try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT at) FROM t") }
        if grouped {
            #expect((commits ?? 0) < kept.count / 2, "writes that queued together share commits")
        } else {
            #expect(commits == kept.count, "each write its own commit")
        }
    }
}
