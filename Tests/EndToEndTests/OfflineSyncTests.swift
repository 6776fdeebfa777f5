import Foundation
import GRDB
import TestSupport
import Testing

/// The foundation's journeys through the real binaries over real TLS on loopback.
@Suite(.serialized) struct OfflineSyncTests {
    @Test func anOfflineEditWaitsThenReachesTheOtherDevice() throws {
        let (server, passwords) = try ServerProcess.demo()
        let phone = Device("phone")
        let tablet = Device("tablet")
        try phone.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)
        try tablet.signIn(server, login: "zhangwei", password: passwords["zhangwei"]!)

        server.stop()
        let set = try phone.cli([
            "profile", "set", "--mobile", "13987654321", "--bank-account", "6222020200112233445",
            "--bank-name", "中国工商银行商洛分行", "--json",
        ])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(try phone.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 1)

        let offline = try phone.cli(["sync"])
        #expect(offline.status != 0)
        #expect(offline.stderr.contains("无法连接服务器"))
        #expect(offline.stderr.contains("更改已保存在本机"))
        #expect(try phone.cli(["status", "--json"]).json()["pendingChanges"] as? Int == 1)

        try server.start()
        let sync = try phone.cli(["sync", "--json"]).json()
        #expect(sync["pushed"] as? Int == 1)
        let status = try phone.cli(["status", "--json"]).json()
        #expect(status["pendingChanges"] as? Int == 0)
        #expect(status["rejectedChanges"] as? Int == 0)
        #expect(status["lastSync"] is String)

        #expect(try tablet.cli(["sync"]).status == 0)
        let profile = try tablet.cli(["profile", "show", "--json"]).json()
        #expect(profile["mobile"] as? String == "13987654321")
        #expect(profile["bankAccount"] as? String == "6222020200112233445")
        #expect(profile["bankName"] as? String == "中国工商银行商洛分行")
        for device in [phone, tablet] {
            #expect(try device.cli(["verify", "--json"]).json()["ok"] as? Bool == true)
        }
        server.stop()
    }

    @Test func aClientWithoutTheCAFileRefusesTheServer() throws {
        let server = ServerProcess(data: Scratch.directory("server"))
        _ = try server.loadDemo()
        try server.start()
        let device = Device("untrusting")
        let result = try device.cli(["connect", server.url])
        #expect(result.status != 0)
        #expect(result.stderr.contains("服务器证书验证失败"))
        // Nothing was remembered: the next command still asks for a server.
        #expect(try device.cli(["sync"]).stderr.contains("尚未设置服务器"))
        server.stop()
    }

    @Test func humanOutputIsChineseAndPinned() throws {
        let device = Device("fresh")
        let status = try device.cli(["status"])
        #expect(status.status == 0)
        #expect(status.stdout == "服务器：未设置\n账号：未登录\n待同步更改：0 条\n上次同步：从未同步\n")
        let sync = try device.cli(["sync", "--json"])
        #expect(sync.status == 1)
        #expect(sync.stderr == "错误：尚未设置服务器，请先运行 member-cli connect <地址>\n")
        #expect(
            try sync.json()["error"] as? [String: String] == [
                "code": "not_connected",
                "message": "尚未设置服务器，请先运行 member-cli connect <地址>",
            ])
        let bad = try device.cli(["profile", "set", "--mobile", "12"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("当前账号不是会员账号") || bad.stderr.contains("手机号码应为以1开头的11位数字"))
    }
}
