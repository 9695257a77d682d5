/// Every bound on what `sla` reads, in one place. Files in an SLA repository can be written by
/// anyone with push access, and the server hook reads them inside `git receive-pack`: each
/// reader refuses input beyond these bounds with a message naming the limit, before it spends
/// memory or time on it. The README's "Limits" table lists the same values (a test keeps the
/// two in step).
public enum Limits {
    /// An agreement file (`draft.yaml`, `versions/vN.yaml`) and a `--mapping` file.
    public static let agreementFileBytes = 1 << 20
    /// Nesting of YAML collections; an agreement needs five.
    public static let yamlDepth = 32
    /// Parties of one agreement.
    public static let parties = 16
    /// Signatories of one party.
    public static let signatoriesPerParty = 32
    /// Entries of any other list in an agreement (criteria, goals, attendees, informed, …).
    public static let listEntries = 200
    /// A signature file (`signatures/vN/*.sig`).
    public static let signatureFileBytes = 64 << 10
    /// A key file given to `sla sign --key`, and any armored block (key or signature).
    public static let keyFileBytes = 64 << 10
    /// A line of base64 inside an armored block (OpenSSH wraps at 70).
    public static let armorLineLength = 76
    /// `activations.yaml`: about 7,000 entries.
    public static let activationLogBytes = 1 << 20
    /// What git writes to the `pre-receive` hook's stdin.
    public static let hookInputBytes = 16 << 20
    /// One `OLD NEW REF` line of it (git refuses ref names longer than 4,096 bytes itself).
    public static let hookLineLength = 4_096 + 82

    /// Name, value and what it bounds, in the order of the README's table.
    public static let all: [(name: String, value: Int, bounds: String)] = [
        ("agreementFileBytes", agreementFileBytes, "agreement file and mapping file, bytes"),
        ("yamlDepth", yamlDepth, "nesting of YAML lists and maps"),
        ("parties", parties, "parties per agreement"),
        ("signatoriesPerParty", signatoriesPerParty, "signatories per party"),
        ("listEntries", listEntries, "entries of any other list in an agreement"),
        ("signatureFileBytes", signatureFileBytes, "signature file, bytes"),
        ("keyFileBytes", keyFileBytes, "key file or armored block, bytes"),
        ("armorLineLength", armorLineLength, "line of an armored block, characters"),
        ("activationLogBytes", activationLogBytes, "activations.yaml, bytes"),
        ("hookInputBytes", hookInputBytes, "pre-receive hook input, bytes"),
        ("hookLineLength", hookLineLength, "one line of pre-receive hook input, bytes"),
    ]

    /// "1 MiB", "64 KiB", "4178 bytes": how messages name a size.
    public static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
