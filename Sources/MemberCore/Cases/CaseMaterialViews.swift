import Foundation

/// One material of a case as a reviewer sees it (材料查看).
public struct CaseMaterial: Sendable, Codable, Equatable {
    public var id: String
    /// The checklist item's code, e.g. "id-card".
    public var item: String
    /// The checklist item's Chinese name, e.g. "身份证".
    public var name: String
    /// 1, 2, … within its item.
    public var number: Int
    /// The name an export gives it: "<item>-<number>.<png|jpg|pdf>".
    public var fileName: String
    public var bytes: Int
    /// "390.6 KB", for people.
    public var size: String
    public var sha256: String
    public var contentType: String
    /// The server holds the whole file and has checked it, so it can be downloaded.
    public var onServer: Bool
    /// The file is in this replica's vault and can be read offline.
    public var fetched: Bool
}

public struct CaseMaterials: Sendable, Codable, Equatable {
    public var claimId: String
    @NullWhenAbsent public var caseNumber: String?
    public var materials: [CaseMaterial]
}

/// A file written by `exportCaseMaterials`; encoded in the CLI contract's shape
/// (item, path, sha256, bytes).
public struct ExportedMaterial: Sendable, Encodable, Equatable {
    public var item: String
    public var path: String
    public var sha256: String
    public var bytes: Int
    /// For the human output only.
    public var name: String
    public var size: String

    enum CodingKeys: String, CodingKey {
        case item, path, sha256, bytes
    }
}

public struct MaterialExport: Sendable, Equatable {
    public var files: [ExportedMaterial]
    /// Materials recorded with the case whose files the server has not received yet.
    public var waiting: [CaseMaterial]
}

/// What went into a 材料汇总 PDF.
public struct MaterialBundleReport: Sendable {
    public var path: String
    /// Materials drawn as images.
    public var embedded: [CaseMaterial]
    /// Materials only named, with the reason (uploaded PDFs, unreadable images).
    public var separate: [(material: CaseMaterial, reason: String)]
    public var waiting: [CaseMaterial]
}
