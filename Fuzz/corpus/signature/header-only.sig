agreement: acme-sales-marketing
version: 1
sha256: f1d7ec92cd06e3649014276a8248bc1ebce466ef8b265331ef7ed30cf7238796
previous: none
party: sales
signer: soren@acme.dk
signed_at: 2026-12-02T15:45:04Z
