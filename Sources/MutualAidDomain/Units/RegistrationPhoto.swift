/// `GET /v1/registrations/{id}/{photo}`: the two photos an agent reviews.
public enum RegistrationPhoto: String, Sendable, CaseIterable {
    case licence
    case unionCertificate = "union-certificate"
}
