import Foundation
import TestSupport
import Testing

/// Issue 10, item 4: a data folder restored from a backup numbers its new edits as old ones.
/// The server reports the reused change ids, the client renumbers, and no edit is lost.
@Suite(.serialized) struct RestoredBackupTests {
    @Test func editsMadeAfterARestoreReachTheServer() throws {
        let (server, passwords) = try ServerProcess.demo()
        let phone = Device("restore-phone")
        let tablet = Device("restore-tablet")
        try phone.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)
        try tablet.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)

        // The backup, taken while nothing is pending.
        let backup = Scratch.directory("restore-backup")
        try? FileManager.default.removeItem(at: backup)
        try FileManager.default.copyItem(at: phone.home, to: backup)

        // Edits after the backup reach the server under change ids the backup will reuse.
        #expect(try phone.cli(["profile", "set", "--mobile", "13911110001"]).status == 0)
        #expect(try phone.cli(["profile", "set", "--bank-name", "中国农业银行"]).status == 0)
        #expect(try phone.cli(["sync"]).status == 0)

        // The restore: the phone's folder is the backup again, and the user edits anew.
        try FileManager.default.removeItem(at: phone.home)
        try FileManager.default.copyItem(at: backup, to: phone.home)
        #expect(try phone.cli(["profile", "set", "--mobile", "13922220002"]).status == 0)
        let sync = try phone.cli(["sync", "--json"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(try sync.json()["pushed"] as? Int == 1)
        let status = try phone.cli(["status", "--json"]).json()
        #expect(status["pendingChanges"] as? Int == 0)
        #expect(status["rejectedChanges"] as? Int == 0)

        // The edit made after the restore is what everyone sees; the bank name from before it stays.
        #expect(try tablet.cli(["sync"]).status == 0)
        let profile = try tablet.cli(["profile", "show", "--json"]).json()
        #expect(profile["mobile"] as? String == "13922220002")
        #expect(profile["bankName"] as? String == "中国农业银行")
        for device in [phone, tablet] {
            let verify = try device.cli(["verify", "--json"])
            #expect(try verify.json()["ok"] as? Bool == true, "\(verify.stdout)")
        }
        server.stop()
    }
}
