/// Constants shared by the `sla` signing code.
public enum SSHSig {
    /// The SSHSIG namespace every SLA approval is signed for.
    public static let slaNamespace = "sla-approval"
    /// The hash algorithm `sla` signs with (the `ssh-keygen -Y sign` default).
    public static let defaultHashAlgorithm: SSHSignature.HashAlgorithm = .sha512
}
