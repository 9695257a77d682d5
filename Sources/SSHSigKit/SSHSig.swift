public enum SSHSig {}
