public enum SLAKit {}
