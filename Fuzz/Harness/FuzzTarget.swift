import Foundation
import SLAKit
import SSHSigKit

/// The readers of input that anyone with push access can write, each as a function from bytes
/// to the broken invariants it found (empty when all hold). The libFuzzer driver traps on a
/// non-empty answer; the regression tests run every committed input through the same code and
/// expect none. Throwing or refusing is fine: the tool must only never trap, hang, or accept
/// what it should not.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// An agreement file: YAML, validation, diff against itself, rendering, the renewal edit.
    case agreement
    /// A signature file and the SSHSIG blob and armor inside it.
    case signature
    /// OpenSSH public key lines, wire blobs, and private and public key files.
    case keys
    /// `activations.yaml`.
    case activations
    /// What git writes to the pre-receive hook's stdin, judged against a small real repository.
    case hookInput = "hook-input"

    public func run(_ data: Data) -> [String] {
        switch self {
        case .agreement: return Self.agreement(data)
        case .signature: return Self.signature(data)
        case .keys: return Self.keys(data)
        case .activations: return Self.activations(data)
        case .hookInput: return Self.hookInput(data)
        }
    }

    // MARK: agreement

    static func agreement(_ data: Data) -> [String] {
        var broken: [String] = []
        let (agreement, diagnostics) = AgreementDecoder.decode(data, file: "fuzz.yaml", expectedID: nil)
        let lineCount = data.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        for diagnostic in diagnostics where diagnostic.position.line < 1 || diagnostic.position.line > lineCount + 1 {
            broken.append("diagnostic outside the file (\(lineCount) lines): \(diagnostic)")
        }
        if agreement != nil, diagnostics.hasErrors { broken.append("an agreement was decoded despite errors") }
        if agreement == nil, !diagnostics.hasErrors { broken.append("no agreement and no error") }
        guard let agreement else { return broken }

        if !AgreementDiff(from: agreement, to: agreement).isEmpty { broken.append("an agreement differs from itself") }
        for language in Language.allCases {
            let document = AgreementDocument(agreement, subject: .draft, language: language)
            for format in DocumentFormat.allCases where DocumentRenderer.render(document, as: format).isEmpty {
                broken.append("\(format) rendering in \(language) is empty")
            }
        }
        // The renewal edit changes that one value and nothing else, or declines.
        if let renewed = YAMLEdit.replacingScalar(in: data, path: ["validity", "effective_from"], with: "2031-02-03") {
            let (again, problems) = AgreementDecoder.decode(renewed, file: "fuzz.yaml", expectedID: nil)
            if let again {
                let changes = AgreementDiff(from: agreement, to: again).changes.map(\.path)
                if changes != ["validity.effective_from"], agreement.validity.effectiveFrom.iso != "2031-02-03" {
                    broken.append("the renewal edit changed \(changes)")
                }
            } else {
                broken.append("the renewal edit broke the file: \(problems.errors.first.map { "\($0)" } ?? "")")
            }
        }
        return broken
    }

    // MARK: signature

    static func signature(_ data: Data) -> [String] {
        var broken: [String] = []
        if let file = try? SignatureFile(parsing: data) {
            if file.contents != data { broken.append("a parsed signature file does not write back byte for byte") }
            _ = try? file.verifySignature()
        }
        if let text = String(data: data, encoding: .utf8) {
            if let signature = try? SSHSignature(armored: text) {
                if (try? SSHSignature(blob: signature.blob)) != signature { broken.append("an armored signature does not round-trip") }
            }
            if let name = SignatureFileName(fileName: text), name.description != text {
                broken.append("the file name \(text.debugDescription) reads back as \(name.description.debugDescription)")
            }
        }
        if let signature = try? SSHSignature(blob: data) {
            if signature.blob != data { broken.append("a signature blob does not write back byte for byte") }
            _ = try? signature.verify(Data("message".utf8), namespace: SignatureFile.namespace)
        }
        return broken
    }

    // MARK: keys

    static func keys(_ data: Data) -> [String] {
        var broken: [String] = []
        if let text = String(data: data, encoding: .utf8) {
            if let key = try? Ed25519PublicKey(openSSHLine: text) {
                if (try? Ed25519PublicKey(openSSHLine: key.openSSHLine)) != key { broken.append("a public key line does not round-trip") }
            }
            if let file = try? KeyFile.parse(text) {
                if case .privateEd25519(let key) = file {
                    let message = Data("fuzz".utf8)
                    if let signature = try? key.signature(for: message) {
                        if !key.publicKey.isValidSignature(signature, for: message) {
                            broken.append("a private key's signature does not verify with its public key")
                        }
                    } else {
                        broken.append("a parsed private key cannot sign")
                    }
                }
            }
        }
        if let key = try? Ed25519PublicKey(wireBlob: data), key.wireBlob != data {
            broken.append("a public key blob does not write back byte for byte")
        }
        return broken
    }

    // MARK: activations

    static func activations(_ data: Data) -> [String] {
        var broken: [String] = []
        let log = ActivationLog(parsing: data)
        let written = log.entries.map {
            ActivationEntry.text(version: $0.version, sha256: $0.sha256, activatedAt: $0.activatedAt, activatedBy: $0.activatedBy)
        }
        let prefix = Data(written.joined().utf8)
        if !data.starts(with: prefix) { broken.append("the entries read are not a prefix of the file") }
        if log.problem == nil, prefix != data { broken.append("no problem reported, yet the entries are not the whole file") }
        if log.problem != nil, prefix == data, !data.isEmpty { broken.append("a problem reported in a file of well-formed entries") }
        for (index, entry) in log.entries.enumerated() where entry.line != 1 + 4 * index {
            broken.append("entry \(index + 1) placed on line \(entry.line)")
        }
        return broken
    }

    // MARK: hook input

    /// The hook's refusals for an input of the hook target (tokens replaced), nil when the
    /// input does not parse or the hook throws: what the tests check the fixture against.
    public static func hookRefusals(_ data: Data) -> [String]? {
        guard let fixture = HookFixture.shared, let updates = try? RefUpdate.parse(fixture.expand(data)),
            let repository = try? SLARepository.open(at: fixture.path)
        else { return nil }
        return (try? repository.preReceive(updates))?.map(\.description)
    }

    static func hookInput(_ data: Data) -> [String] {
        guard let fixture = HookFixture.shared else { return ["the hook fixture could not be built"] }
        let text = fixture.expand(data)
        guard let updates = try? RefUpdate.parse(text) else { return [] }
        var broken: [String] = []
        let lines = text.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        let rewritten = updates.map { "\($0.old?.hex ?? HookFixture.zero) \($0.new?.hex ?? HookFixture.zero) \($0.ref)" }
        if rewritten != lines { broken.append("the parsed updates do not write back as the input lines") }
        guard let repository = try? SLARepository.open(at: fixture.path),
            let refusals = try? repository.preReceive(updates)
        else { return broken }
        if refusals.isEmpty {
            // Accepted: nothing may delete the main branch, point at a missing commit, or bring
            // the faulted commits.
            for update in updates {
                if update.ref == HookFixture.mainBranch, update.new == nil { broken.append("accepted a deletion of the main branch") }
                if let new = update.new?.hex, !fixture.commits.contains(new) { broken.append("accepted a missing commit \(new)") }
                if update.ref == HookFixture.mainBranch, let new = update.new?.hex, fixture.faulted.contains(new) {
                    broken.append("accepted the faulted commit \(new) on the main branch")
                }
            }
        }
        return broken
    }
}
