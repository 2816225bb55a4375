namespace SessionInterop.Crypto;

/// <summary>
/// The first byte of a 33-byte Session ID and what the 32 bytes after it are
/// (protocol-crypto.md §1.4; names follow actual usage, not libsession's enum names).
/// </summary>
public enum SessionIdPrefix : byte
{
    /// <summary>Raw Ed25519 key, used only in community auth headers.</summary>
    Unblinded = 0x00,
    /// <summary>Groups v2 id: the group's Ed25519 key.</summary>
    Group = 0x03,
    /// <summary>Standard account id: the X25519 key.</summary>
    Standard = 0x05,
    /// <summary>Version-check key for the file server.</summary>
    VersionBlinded = 0x07,
    /// <summary>Community-blinded id, version 1.</summary>
    Blinded15 = 0x15,
    /// <summary>Community-blinded id, version 2.</summary>
    Blinded25 = 0x25,
}
