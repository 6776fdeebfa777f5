import Crypto
import Foundation
import GRDB
import MutualAidDomain
import SyncProtocol
import TestSupport
import Testing

@testable import MemberCore
@testable import SyncServer

// MARK: - Deterministic randomness

/// The fuzz inputs, drawn from the shared seeded generator.
extension SplitMix64 {
    mutating func validMobile() -> String { "1" + pick(["3", "5", "7", "8", "9"]) + digits(9) }

    mutating func validBankName() -> String {
        let name =
            pick(["中国工商银行", "中国建设银行", "中国农业银行", "招商银行", "商洛农商银行", "Bank of China"])
            + pick(["", "商洛分行", "商州支行", "洛南县支行营业部", String(repeating: "银", count: int(1...20))])
        return padded(name)
    }

    /// Sometimes with blanks around it: the rule trims before it counts, the store keeps the text.
    private mutating func padded(_ s: String) -> String { chance(0.1) ? " \(s) " : s }

    static let ascii = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")
    static let cjk = Array("张伟李娜王芳银行账号手机中国工商建设农业招商商洛分行会员申领材料住院出院结算")
    static let odd = [
        "\u{0}", "\u{7}", "\u{1B}", "\u{200B}", "\u{202E}", "\u{FEFF}", "\u{FFFF}", "\u{10FFFF}",
        "e\u{301}\u{301}\u{301}",
        "👨‍👩‍👧‍👦", "🏦", "𝕏", "\\", "\"", "'", "<script>", "%00", "../", "\r\n", "\t", "' OR 1=1 --", "NULL",
        "\u{D7FF}", "\u{E000}", "ﷺ", "Ⅻ", "١٢٣", "１２３",
    ]

    /// Random text: mostly letters and digits, some Chinese, some troublesome scalars.
    mutating func text(_ length: Int) -> String {
        var out = ""
        out.reserveCapacity(length)
        for _ in 0..<length {
            switch int(0...9) {
            case 0...5: out.append(pick(Self.ascii))
            case 6...8: out.append(pick(Self.cjk))
            default: out += pick(Self.odd)
            }
        }
        return out
    }

    /// Header-safe text: visible ASCII and spaces inside, nothing curl or HTTP would split on.
    mutating func headerText(_ length: Int) -> String {
        let visible = (0x21...0x7E).map { Character(UnicodeScalar(UInt8($0))) }
        return String((0..<max(1, length)).map { i in i > 0 && i < length - 1 && chance(0.05) ? " " : pick(visible) })
    }
}

func fuzzHex(_ seed: UInt64) -> String { "0x" + String(seed, radix: 16) }

/// A body or answer, short and escaped, for failure messages.
func fuzzPreview(_ data: Data, limit: Int = 240) -> String {
    let text = String(decoding: data.prefix(limit), as: UTF8.self)
    return text.debugDescription + (data.count > limit ? "…(\(data.count) bytes)" : "")
}

/// A gzip body for a fuzz request; zlib failing here would be a broken machine, not a finding.
func gzipBody(_ data: Data) -> Data {
    do { return try Gzip.compress(data) } catch { fatalError("zlib failed: \(error)") }
}
