import Foundation
import MutualAidDomain
import SyncStorage

/// Units and past enrolments put in place by an operator (the demo, a data migration), not
/// through the review workflow.
extension SQLCaseStore {
    /// The unit record and first contact of an existing unit node.
    public func addUnitDetails(orgId: String, _ form: UnitRegistrationForm, now: Date) async throws {
        try await database.write { db in
            guard let unit = try OrgNode.load(db, id: orgId), unit.level == .unit,
                let agency = try unit.parentId.flatMap({ try OrgNode.load(db, id: $0) })
            else { throw StoreError.notAUnit }
            var fields = Self.fields(form, agency: agency, licence: "", union: "", agentPath: true, now: now)
                .filter { UnitTable().spec.field($0.key) != nil }
            fields["state"] = .string("active")
            try ServerWrites.insert(RowTable(spec: .unit), id: orgId, fields, orgPath: unit.path, now: now, db)
            let contact: FieldMap = [
                "unitId": .string(orgId), "name": .string(form.contact.name),
                "position": form.contact.position.map(FieldValue.string) ?? .null,
                "officePhone": .string(form.contact.officePhone), "mobile": .string(form.contact.mobile),
                "email": .string(form.contact.email), "valid": .int(1),
            ]
            try ServerWrites.insert(
                RowTable(spec: .unitContact), id: "contact-" + orgId, contact, orgPath: unit.path, now: now, db)
        }
    }

    /// An archived application of an earlier year (for the dashboard's year-on-year view).
    public func addArchivedApplication(id: String, unitId: String, fees: [ActivityFees], confirmedAt: Date, now: Date)
        async throws
    {
        try await database.write { db in
            guard let unit = try OrgNode.load(db, id: unitId),
                let agency = try unit.parentId.flatMap({ try OrgNode.load(db, id: $0) })
            else {
                throw StoreError.notAUnit
            }
            let fields: FieldMap = [
                "unitId": .string(unitId),
                "lines": FieldValue.json(fees.map { EnrolmentLine(activityId: $0.activityId, shares: $0.shares) }),
                "employees": .int(Int64(fees.map(\.insured).max() ?? 0)), "women": .int(0), "highRisk": .int(0),
                "submission": .int(1), "handledSubmission": .int(1), "state": .string(EnrolmentState.archived.rawValue),
                "unitName": .string(unit.name), "agencyId": .string(agency.id), "agencyName": .string(agency.name),
                "fees": FieldValue.json(fees), "confirmedAt": .string(Timestamp.format(confirmedAt)),
                "printCount": .int(1),
                "applicationDate": .string(
                    CalendarDate.today(in: CalendarDate.chinaTimeZone, now: confirmedAt).description),
            ]
            try ServerWrites.insert(ApplicationTable().rows, id: id, fields, orgPath: unit.path, now: now, db)
        }
    }
}
