import Foundation
import SSHSigKit

/// A version as committed: its bytes and what they say.
public struct VersionRecord: Sendable {
    public let number: Int
    public let bytes: Data
    public let sha256: String
    public let agreement: Agreement

    public init(number: Int, bytes: Data, agreement: Agreement) {
        self.number = number
        self.bytes = bytes
        self.sha256 = bytes.sha256Hex
        self.agreement = agreement
    }
}

/// What one signature file proves, checked against the version and the rules.
public struct SignatureVerdict: Sendable {
    public let path: String
    public let fileName: String
    public let principal: String?
    /// The key that made the signature, when the file parses.
    public let key: Ed25519PublicKey?
    /// The party it counts for under rule 2 (as listed in vN), if it does.
    public let countsForVersion: String?
    /// The party it counts for under rule 3 (as listed in A), if it does.
    public let countsForPrevious: String?
    /// Why it counts for nothing, or nil.
    public let problem: String?

    public var isValid: Bool { problem == nil }
}

/// A party that lacks signatures, under rule 2 (vN's signatories) or rule 3 (A's).
public struct Shortfall: Sendable, Equatable {
    public let underVersion: Int
    public let partyID: String
    public let partyName: String
    public let required: Int
    public let valid: Int
    /// Signatories of that party whose key has not validly signed.
    public let unsigned: [Signatory]
}

/// The three approval rules of DESIGN.md for version N of one agreement.
public struct ApprovalReport: Sendable {
    public let agreementID: String
    public let version: Int
    /// A: the activated version whose signatories must also approve, when rule 3 applies.
    public let previousActivated: Int?
    public let verdicts: [SignatureVerdict]
    public let shortfalls: [Shortfall]

    public var isApproved: Bool { shortfalls.isEmpty }

    /// - Parameters:
    ///   - previousSHA256: SHA-256 of v(N-1), nil when there is none.
    ///   - signatures: the files under `signatures/vN/`, by repository path.
    ///   - activated: A, the latest activated version (before vN, for one already activated).
    public init(agreementID: String, version: VersionRecord, previousSHA256: String?,
                signatures: [String: Data], activated: VersionRecord?) {
        self.agreementID = agreementID
        self.version = version.number
        let current = version.agreement
        let ruleThree = activated.flatMap { a in a.agreement.signingPolicy != current.signingPolicy ? a : nil }
        self.previousActivated = ruleThree?.number

        // Each file is judged on its own (the Ed25519 check dominates): use every core.
        let paths = signatures.keys.sorted()
        let results = VerdictSlots(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            results.set(index, Self.judge(path: paths[index], data: signatures[paths[index]]!, agreementID: agreementID,
                                          version: version, previousSHA256: previousSHA256, ruleThree: ruleThree))
        }
        let verdicts = results.values
        self.verdicts = verdicts

        var shortfalls: [Shortfall] = []
        func check(_ agreement: Agreement, number: Int, counted: (SignatureVerdict) -> String?) {
            for party in agreement.parties {
                let keys = Set(verdicts.filter { counted($0) == party.id }.compactMap { $0.key?.openSSHLine })
                let valid = party.signatories.filter { keys.contains($0.key) }.count
                if valid < party.requiredCount {
                    shortfalls.append(Shortfall(
                        underVersion: number, partyID: party.id, partyName: party.name, required: party.requiredCount,
                        valid: valid, unsigned: party.signatories.filter { !keys.contains($0.key) }))
                }
            }
        }
        check(current, number: version.number, counted: \.countsForVersion)
        if let a = ruleThree {
            check(a.agreement, number: a.number, counted: \.countsForPrevious)
        }
        self.shortfalls = shortfalls
    }

    private static func judge(path: String, data: Data, agreementID: String, version: VersionRecord,
                              previousSHA256: String?, ruleThree: VersionRecord?) -> SignatureVerdict {
        let fileName = String(path.split(separator: "/").last ?? "")
        func invalid(_ problem: String, principal: String? = nil, key: Ed25519PublicKey? = nil) -> SignatureVerdict {
            SignatureVerdict(path: path, fileName: fileName, principal: principal, key: key,
                             countsForVersion: nil, countsForPrevious: nil, problem: problem)
        }
        guard let name = SignatureFileName(fileName: fileName) else {
            return invalid("is not named PRINCIPAL.sig or PRINCIPAL.FPR.sig")
        }
        let file: SignatureFile
        do {
            file = try SignatureFile(parsing: data)
        } catch {
            return invalid(error.reason, principal: name.principal)
        }
        let key = file.signature.publicKey
        guard file.agreement == agreementID else {
            return invalid("was made for agreement '\(file.agreement)', not '\(agreementID)'", principal: name.principal, key: key)
        }
        guard file.version == version.number else {
            return invalid("was made for v\(file.version), not v\(version.number)", principal: name.principal, key: key)
        }
        guard file.sha256 == version.sha256 else {
            return invalid("was made for other bytes than v\(version.number) has now (sha256 differs)", principal: name.principal, key: key)
        }
        guard file.previous == previousSHA256 else {
            return invalid("names a different previous version (\(file.previous ?? "none"))", principal: name.principal, key: key)
        }
        do {
            try file.verifySignature()
        } catch {
            return invalid("does not verify: \(error.reason)", principal: name.principal, key: key)
        }
        guard file.signer == name.principal else {
            return invalid("is signed as '\(file.signer)' but named for '\(name.principal)'", principal: name.principal, key: key)
        }
        let line = key.openSSHLine
        let inVersion = version.agreement.party(ofPrincipal: file.signer, key: line)
        let inPrevious = ruleThree?.agreement.party(ofPrincipal: file.signer, key: line)

        if let fingerprint = name.fingerprint {
            guard fingerprint == key.shortFingerprintHex else {
                return invalid("names key \(fingerprint) but was made by key \(key.shortFingerprintHex)", principal: name.principal, key: key)
            }
            guard let a = ruleThree else {
                return invalid("is a signature by a previous version's key, but v\(version.number) changes no signatory of the version in force",
                               principal: name.principal, key: key)
            }
            guard inVersion == nil else {
                return invalid("is by a key v\(version.number) lists for \(file.signer); it must be named \(file.signer).sig", principal: name.principal, key: key)
            }
            guard let party = inPrevious else {
                return invalid("key \(key.fingerprint) is not listed for \(file.signer) in v\(a.number)", principal: name.principal, key: key)
            }
            guard file.party == party.id else {
                return invalid("says party '\(file.party)', but \(file.signer) signs for '\(party.id)' in v\(a.number)", principal: name.principal, key: key)
            }
            return SignatureVerdict(path: path, fileName: fileName, principal: file.signer, key: key,
                                    countsForVersion: nil, countsForPrevious: party.id, problem: nil)
        }
        guard let party = inVersion else {
            return invalid("key \(key.fingerprint) is not listed for \(file.signer) in v\(version.number)", principal: name.principal, key: key)
        }
        guard file.party == party.id else {
            return invalid("says party '\(file.party)', but \(file.signer) signs for '\(party.id)' in v\(version.number)", principal: name.principal, key: key)
        }
        return SignatureVerdict(path: path, fileName: fileName, principal: file.signer, key: key,
                                countsForVersion: party.id, countsForPrevious: inPrevious?.id, problem: nil)
    }
}

/// Results written from concurrent iterations, each to its own slot.
private final class VerdictSlots: @unchecked Sendable {
    private var slots: [SignatureVerdict?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ verdict: SignatureVerdict) {
        lock.lock()
        slots[index] = verdict
        lock.unlock()
    }

    var values: [SignatureVerdict] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}

extension Agreement {
    /// The party whose signatory is this principal with this key, if any.
    public func party(ofPrincipal principal: String, key: String) -> Party? {
        parties.first { $0.signatories.contains { $0.principal == principal && $0.key == key } }
    }

    /// The signatory and party listing this key, if any.
    public func signatory(withKey key: String) -> (party: Party, signatory: Signatory)? {
        for party in parties {
            if let signatory = party.signatories.first(where: { $0.key == key }) { return (party, signatory) }
        }
        return nil
    }
}
