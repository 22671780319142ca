"""SOPS, in one package: the file format's metadata, `.sops.yaml`, and the `sops` binary.

mcgen reads only what SOPS writes in the clear: a document's `sops:` metadata (who can
decrypt it, which keys SOPS encrypted) and the creation rules of `.sops.yaml`. It never
needs, reads or asks for a private key; encrypting, decrypting and re-keying are the
user's `sops` (see `mcgen.sops.binary`). A SOPS upgrade that changes the format touches
this package only.
"""
