import Crypto
import Foundation
import GRDB
import MutualAidDomain

extension MemberClient {
    /// The checklist of the claim's type with how many of each item are attached.
    public func materialChecklist(_ reference: String) throws -> [MaterialChecklistLine] {
        try database.read { db in
            let id = try self.resolveClaim(db, reference)
            let claim = try self.claimView(db, id: id)!
            let counts = Dictionary(claim.materials.map { ($0.item, 1) }, uniquingKeysWith: +)
            return try self.checklist(db, claimType: claim.claimType).map {
                MaterialChecklistLine(
                    item: $0.line.item, name: $0.line.name, required: $0.line.required,
                    max: $0.line.maxCount, count: counts[$0.line.item] ?? 0)
            }
        }
    }

    /// Copies files into the store, sealed, and records them; all files or none. The type is
    /// read from the content, not the name.
    public func attach(_ reference: String, item: String, files: [String]) throws -> [MaterialView] {
        guard !files.isEmpty else { throw ClientError.invalidInput(RuleViolation(field: "file", message: "请指定要添加的文件")) }
        var reading: [(data: Data, type: String)] = []
        for path in files {
            let name = URL(fileURLWithPath: path).lastPathComponent
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
                throw ClientError.invalidInput(RuleViolation(field: "file", message: "找不到文件：\(name)"))
            }
            guard size <= MaterialLimits.maxBytes else {
                throw ClientError.invalidInput(RuleViolation(field: "file", message: "文件 \(name) 超过10MB，请压缩或重新拍摄后再添加"))
            }
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
                throw ClientError.invalidInput(RuleViolation(field: "file", message: "文件 \(name) 无法读取或为空"))
            }
            guard let type = ContentSniffer.contentType(of: data) else {
                throw ClientError.invalidInput(
                    RuleViolation(
                        field: "file",
                        message: "文件 \(name) 的内容不是 png、jpeg 或 pdf（按文件内容判断，不看扩展名）"))
            }
            reading.append((data, type))
        }
        let loaded = reading
        let claimId = try database.write { db in
            let id = try self.resolveClaim(db, reference)
            try self.requireAttachable(db, claimId: id, item: item, adding: loaded.count)
            return id
        }
        let ids = loaded.map { _ in UUID().uuidString.lowercased() }
        for (id, file) in zip(ids, loaded) { try vault.store(file.data, materialId: id) }
        do {
            try database.write { db in
                try self.requireAttachable(db, claimId: claimId, item: item, adding: loaded.count)
                for (id, file) in zip(ids, loaded) {
                    let fields: FieldMap = [
                        "claimId": .string(claimId), "item": .string(item),
                        "sha256": .string(RecordDigest.hex(SHA256.hash(data: file.data))),
                        "bytes": .int(Int64(file.data.count)), "contentType": .string(file.type),
                    ]
                    try LocalEdit.upsert(db, self.database.table(.claimMaterial), id: id, fields: fields)
                    try db.execute(
                        sql: "INSERT INTO material_upload (material_id, done) VALUES (?, 0)", arguments: [id])
                }
            }
        } catch {
            for id in ids { try? FileManager.default.removeItem(at: vault.url(id)) }
            throw error
        }
        return try database.read { db in try self.materialViews(db, claimId: claimId).filter { ids.contains($0.id) } }
    }

    /// A draft takes any checklist item; a claim waiting for supplementary material only the
    /// items asked for. Counts stay within the item's maximum.
    private func requireAttachable(_ db: Database, claimId: String, item: String, adding: Int) throws {
        func fail(_ message: String) -> ClientError { .invalidInput(RuleViolation(field: "item", message: message)) }
        let claim = try claimView(db, id: claimId)!
        if claim.state == CaseState.supplementRequested.rawValue {
            guard claim.supplementItems.contains(item) else {
                throw fail("补材只能添加审核人员要求的材料：\(claim.supplementItems.joined(separator: "、"))")
            }
        } else {
            try requireEditable(db, claimId)
        }
        guard let line = try checklist(db, claimType: claim.claimType).first(where: { $0.line.item == item })?.line
        else {
            let items = try checklist(db, claimType: claim.claimType).map { "\($0.line.item)（\($0.line.name)）" }
            throw fail("该申领类型没有材料项 \(item)。可选：\(items.joined(separator: "、"))")
        }
        let count = claim.materials.filter { $0.item == item }.count
        guard count + adding <= line.maxCount else {
            throw fail("\(line.name)最多 \(line.maxCount) 份，已有 \(count) 份")
        }
    }

    /// Checks completeness offline and queues the submission; the server accepts it once every
    /// material has arrived. Also re-submits after a request for more material.
    public func submit(_ reference: String) throws -> ClaimView {
        let id = try database.write { db in
            let id = try self.resolveClaim(db, reference)
            let claim = try self.claimView(db, id: id)!
            let record = try self.database.table(.claim).load(db, id: id)!
            if claim.state == CaseState.supplementRequested.rawValue {
                let attached = Set(claim.materials.map(\.item))
                let lacking = claim.supplementItems.filter { !attached.contains($0) }
                guard lacking.isEmpty else {
                    throw ClientError.invalidInput(
                        RuleViolation(field: "materials", message: "请先添加要求补充的材料：\(lacking.joined(separator: "、"))"))
                }
            } else {
                try self.requireEditable(db, id)
                try self.checkDraft(db, merged: record.fields)
                var missing = ClaimDraftRules.missingFields(ClaimDraft(fields: record.fields))
                let counts = Dictionary(claim.materials.map { ($0.item, 1) }, uniquingKeysWith: +)
                missing += ClaimDraftRules.missingMaterials(
                    try self.checklist(db, claimType: claim.claimType).map(\.line), counts: counts)
                guard missing.isEmpty else {
                    throw ClientError.invalidInput(
                        RuleViolation(field: "claim", message: "还不能提交，缺少：\(missing.joined(separator: "、"))"))
                }
            }
            let next = (Self.int(record.fields["submission"]) ?? 0) + 1
            try LocalEdit.upsert(db, self.database.table(.claim), id: id, fields: ["submission": .int(Int64(next))])
            return id
        }
        return try claim(id)
    }
}
