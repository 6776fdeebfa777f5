import Crypto
import Foundation
import GRDB
import MutualAidDomain
import OfficeFormats

/// 材料查看: a reviewer fetches a case's materials from the server (GET /v1/materials/{id}, which
/// serves staff whose scope holds the case and the member who filed it). Each file must match
/// the SHA-256 and size recorded with it, or nothing of it is kept. Accepted files go into this
/// replica's vault, sealed like a member's own, so later runs read, export and print them
/// offline; every read from the vault is checked against the record again.
extension MemberClient {
    /// What the case has and whether each file is already here. No network.
    public func caseMaterials(_ reference: String) throws -> CaseMaterials {
        try database.read { db in
            let id = try self.resolveClaim(db, reference)
            guard let claim = try self.claimView(db, id: id) else { throw ClientError.io("本机没有这件申领") }
            var names: [String: String] = [:]
            for line in try self.checklist(db, claimType: claim.claimType) where names[line.line.item] == nil {
                names[line.line.item] = line.line.name
            }
            var counts: [String: Int] = [:]
            let materials = claim.materials.map { m in
                counts[m.item, default: 0] += 1
                let number = counts[m.item]!
                return CaseMaterial(
                    id: m.id, item: m.item, name: names[m.item] ?? m.item, number: number,
                    fileName: "\(Self.safeName(m.item))-\(number).\(Self.fileExtension(m.contentType))",
                    bytes: m.bytes, size: MaterialBundlePDF.sizeText(m.bytes), sha256: m.sha256,
                    contentType: m.contentType, onServer: m.uploaded,
                    fetched: Self.isSafeId(m.id) && FileManager.default.fileExists(atPath: self.vault.url(m.id).path))
            }
            return CaseMaterials(claimId: id, caseNumber: claim.caseNumber, materials: materials)
        }
    }

    /// Downloads the files the vault lacks and the server holds; the rest wait. Online only
    /// when something is missing: a case fetched before needs no network.
    public func fetchCaseMaterials(_ reference: String) async throws -> CaseMaterials {
        let list = try caseMaterials(reference)
        let missing = list.materials.filter { !$0.fetched && $0.onServer }
        guard !missing.isEmpty else { return list }
        let api = try self.api()
        for material in missing {
            guard Self.isSafeId(material.id) else { throw ClientError.io("材料编号格式不正确，无法下载") }
            let body = try await api.download("/v1/materials/\(material.id)", expectedBytes: material.bytes)
            guard Self.matches(body, material) else {
                throw ClientError.server(
                    status: 200, code: "material_mismatch",
                    message: "服务器发来的材料（\(material.name)）与登记的 SHA-256 校验值不符，已丢弃，没有保存或写出任何文件")
            }
            try vault.store(body, materialId: material.id)
        }
        return try caseMaterials(list.claimId)
    }

    /// Writes every fetched material into `directory` as `fileName`. All are checked before the
    /// first is written, so a refusal leaves no file behind.
    public func exportCaseMaterials(_ reference: String, to directory: URL) async throws -> MaterialExport {
        let list = try await fetchCaseMaterials(reference)
        let ready = list.materials.filter(\.fetched)
        for material in ready { _ = try verifiedContent(material) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ClientError.io("无法创建目录 \(directory.lastPathComponent)")
        }
        var files: [ExportedMaterial] = []
        do {
            for material in ready {
                let url = directory.appendingPathComponent(material.fileName)
                try Self.writePrivately(try verifiedContent(material), to: url)
                files.append(
                    ExportedMaterial(
                        item: material.item, path: url.path, sha256: material.sha256, bytes: material.bytes,
                        name: material.name, size: material.size))
            }
        } catch {
            for file in files { try? FileManager.default.removeItem(atPath: file.path) }
            throw error
        }
        return MaterialExport(files: files, waiting: list.materials.filter { !$0.fetched })
    }

    /// 材料汇总: the fetched materials in one printable PDF, the case number on every page.
    public func caseMaterialsPDF(_ reference: String, to file: URL) async throws -> MaterialBundleReport {
        let list = try await fetchCaseMaterials(reference)
        let ready = list.materials.filter(\.fetched)
        let waiting = list.materials.filter { !$0.fetched }
        var notes = ["生成时间：\(BeijingTime.text(database.clock.now()))（北京时间）"]
        if !waiting.isEmpty { notes.append("另有 \(waiting.count) 份材料服务器尚未收到，未列入本汇总。") }
        var bundle = MaterialBundlePDF(caseNumber: list.caseNumber ?? "（待分配）", notes: notes)
        var report = MaterialBundleReport(path: file.path, embedded: [], separate: [], waiting: waiting)
        for material in ready {
            let caption = "\(material.name) 第 \(material.number) 份"
            switch bundle.add(try verifiedContent(material), caption: caption, fileName: material.fileName) {
            case .embedded: report.embedded.append(material)
            case .separate(let reason): report.separate.append((material, reason))
            }
        }
        try Self.writePrivately(bundle.render(), to: file)
        return report
    }

    /// The vault's copy of a material, checked against its record. A damaged or altered copy
    /// is refused; when the server holds the file the copy is removed, so the next run online
    /// downloads it again (a member's own file not yet uploaded is left for them to judge).
    func verifiedContent(_ material: CaseMaterial) throws -> Data {
        if let data = try? vault.read(material.id), Self.matches(data, material) { return data }
        if material.onServer { try? FileManager.default.removeItem(at: vault.url(material.id)) }
        throw ClientError.io(
            "本机保存的材料文件（\(material.name)）已损坏或被改动，没有写出任何文件"
                + (material.onServer ? "；损坏的副本已删除，请联网后重新运行本命令重新下载" : ""))
    }

    static func matches(_ data: Data, _ material: CaseMaterial) -> Bool {
        data.count == material.bytes && RecordDigest.hex(SHA256.hash(data: data)) == material.sha256
    }

    /// Owner-only, written beside and renamed into place, so a reader never sees half a file.
    static func writePrivately(_ data: Data, to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: data, attributes: [.posixPermissions: 0o600]),
            rename(tmp.path, url.path) == 0
        else {
            try? FileManager.default.removeItem(at: tmp)
            throw ClientError.io("无法写入文件 \(url.lastPathComponent)")
        }
    }

    /// Ids name vault files and URL paths: letters, digits and dashes only.
    static func isSafeId(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && ($0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
            }
    }

    static func safeName(_ item: String) -> String {
        let kept = item.unicodeScalars.filter {
            $0.isASCII && ($0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
        return kept.isEmpty ? "material" : String(String.UnicodeScalarView(kept))
    }

    static func fileExtension(_ contentType: String) -> String {
        switch contentType {
        case "image/png": "png"
        case "image/jpeg": "jpg"
        case "application/pdf": "pdf"
        default: "bin"
        }
    }
}
