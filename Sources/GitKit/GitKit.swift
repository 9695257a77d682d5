public enum GitKit {}
