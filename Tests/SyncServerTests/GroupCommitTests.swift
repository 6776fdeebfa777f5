import Foundation
import GRDB
import Synchronization
import Testing

@testable import SyncStorage

/// Writes that wait for the embedded store's writer together commit together: each answers
/// its own result or error, a failing one leaves nothing and takes no other down, and what
/// was answered is in the file.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    /// 120 writes at once while the first holds the writer; every 7th throws after inserting and
    /// every 11th breaks a constraint.
    /// A store in a folder of its own with table `t`; the folder goes when the test ends.
    private func withStore(
        grouped: Bool, _ body: (SQLiteDatabase, _ path: String) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("g.sqlite").path
        let database = SQLiteDatabase(try DurableSQLite.pool(path: path), groupCommit: grouped)
        try await database.write { db in try db.execute(sql: "CREATE TABLE t (v INTEGER NOT NULL UNIQUE, at TEXT)") }
        try await body(database, path)
    }

    /// The values in the file, read by a connection of its own.
    private func stored(_ path: String) async throws -> [Int] {
        try await DatabaseQueue(path: path).read { db in try Int.fetchAll(db, sql: "SELECT v FROM t ORDER BY v") }
    }

    @Test(arguments: [true, false]) func concurrentWritesEachAnswerTheirOwn(grouped: Bool) async throws {
        try await withStore(grouped: grouped) { database, path in try await concurrentWrites(database, path, grouped) }
    }

    private func concurrentWrites(_ database: SQLiteDatabase, _ path: String, _ grouped: Bool) async throws {

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
        #expect(try await stored(path) == kept)
        let commits = try await DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT at) FROM t")
        }
        if grouped {
            #expect((commits ?? 0) < kept.count / 2, "writes that queued together share commits")
        } else {
            #expect(commits == kept.count, "each write its own commit")
        }
    }

    /// A write that ends the whole transaction (as SQLite does itself on a full disk or an I/O
    /// error; here by `ROLLBACK`) takes its group down: the writes grouped with it answer an
    /// error and none of their rows is in the file, while the writes of other groups are kept.
    @Test func aWriteThatEndsTheTransactionFailsItsWholeGroup() async throws {
        try await withStore(grouped: true) { database, path in
            // The first write holds the writer until the others have queued behind it: they are
            // the next group, with the write that ends the transaction among them.
            let holding = Mutex(false)
            let first = Task {
                try await database.write { db -> Int in
                    holding.withLock { $0 = true }
                    Thread.sleep(forTimeInterval: 0.2)
                    try db.execute(sql: "INSERT INTO t VALUES (0, NULL)")
                    return 0
                }
            }
            while !holding.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
            let outcomes = await withTaskGroup(of: (Int, (any Error)?).self) { group in
                for v in 1..<40 {
                    group.addTask {
                        do {
                            _ = try await database.write { db -> Int in
                                try db.execute(sql: "INSERT INTO t VALUES (?, NULL)", arguments: [v])
                                if v == 20 {
                                    try db.execute(sql: "ROLLBACK")
                                    throw Refused()
                                }
                                return v
                            }
                            return (v, nil)
                        } catch {
                            return (v, error)
                        }
                    }
                }
                return await group.reduce(into: [Int: (any Error)?]()) { $0[$1.0] = $1.1 }
            }
            #expect(try await first.value == 0)
            #expect(outcomes[20]! is Refused)
            let groupedOut = outcomes.values.filter { $0 is GroupCommit.BatchRolledBack }.count
            #expect(groupedOut > 0, "the writes grouped with it failed with it")
            #expect(outcomes.values.allSatisfy { $0 == nil || $0 is Refused || $0 is GroupCommit.BatchRolledBack })
            let kept = [0] + (1..<40).filter { outcomes[$0]! == nil }
            #expect(try await stored(path) == kept)
        }
    }
}
