import Foundation
import MemberCore
import MutualAidDomain

/// `claim attach` at a terminal: the item from the claim type's checklist (required or not, how
/// many are in), then file paths one a line, each checked before anything is copied.
struct GuidedAttach {
    let client: MemberClient
    let claim: String?
    let item: String?
    let files: [String]
    let prompter = Prompter()

    func run() throws {
        let id = try claim ?? DraftPicker.pick(client, prompter)
        let checklist = try client.materialChecklist(id)
        let line = try pickItem(checklist)
        let room = line.max - line.count
        guard room > 0 else {
            throw ClientError.invalidInput(
                RuleViolation(field: "item", message: "「\(line.name)」已添加 \(line.count)/\(line.max) 份，不能再添加"))
        }
        var paths = files
        if paths.isEmpty {
            prompter.line("「\(line.name)」还可添加 \(room) 份；文件为 png、jpeg 或 pdf，每个不超过10MB。")
            paths.append(try prompter.ask("文件路径") { Self.checkFile($0) })
            while paths.count < room {
                guard
                    let next = try prompter.ask(
                        "下一个文件路径（输入完毕直接回车）",
                        parse: { $0.isEmpty ? .success(nil) : Self.checkFile($0).map(Optional.some) })
                else { break }
                paths.append(next)
            }
        }
        prompter.summary(
            "请核对材料",
            [("申领", String(id.prefix(8))), ("材料项", "\(line.name)（\(line.item)）")]
                + paths.map { ("文件", "\($0)（\(Self.size($0))）") })
        guard try prompter.confirm("确认添加？") else { throw Prompter.cancelled }
        for m in try client.attach(id, item: line.item, files: paths) {
            prompter.line("已添加 \(m.item)：\(m.contentType)，\(m.bytes) 字节，SHA-256 \(m.sha256.prefix(16))…")
        }
    }

    private func pickItem(_ checklist: [MaterialChecklistLine]) throws -> MaterialChecklistLine {
        if let item {
            guard let line = checklist.first(where: { $0.item == item }) else {
                let known = checklist.map(\.item).joined(separator: "、")
                throw ClientError.invalidInput(RuleViolation(field: "item", message: "该申领类型没有材料项 \(item)，可选：\(known)"))
            }
            return line
        }
        let open = checklist.firstIndex { $0.required && $0.count == 0 } ?? checklist.firstIndex { $0.count < $0.max }
        return try prompter.choice(
            "材料项",
            checklist.map { l in
                (text: "\(l.name)（\(l.item)）  \(l.required ? "必需" : "可选")  已添加 \(l.count)/\(l.max)", value: l)
            }, default: open)
    }

    /// A readable file of the accepted kinds and size; quotes from drag-and-drop and ~ are taken off.
    static func checkFile(_ typed: String) -> Result<String, Problem> {
        var path = typed
        if path.count >= 2, let first = path.first, first == path.last, first == "'" || first == "\"" {
            path = String(path.dropFirst().dropLast())
        }
        path = (path as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard !path.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Problem("找不到文件 \(path)"))
        }
        guard !isDirectory.boolValue else { return .failure(Problem("\(path) 是文件夹，请输入文件路径")) }
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            return .failure(Problem("文件无法读取或为空"))
        }
        guard data.count <= MaterialLimits.maxBytes else { return .failure(Problem("文件超过10MB，请压缩或重新拍摄")) }
        guard ContentSniffer.contentType(of: data) != nil else {
            return .failure(Problem("文件内容不是 png、jpeg 或 pdf"))
        }
        return .success(path)
    }

    private static func size(_ path: String) -> String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        return bytes >= 1024 * 1024
            ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, bytes / 1024)) KB"
    }
}
